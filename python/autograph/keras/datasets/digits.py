"""`ag.keras.datasets.digits`: scikit-learn's bundled 8x8 handwritten digits (1,797 images).

The file (sklearn/datasets/data/digits.csv.gz of Debian's python3-sklearn) holds one image per
row: 64 pixel values 0..16, then the label. It is ordered by writer, so a split that keeps the
file's order tests on unseen writers (an MLP then stays near 0.87); as SPEC §7 says, the split
is made after a seeded shuffle, the same on every call: 1,437 training and 360 test images.
"""
import gzip
import importlib.util
import os

import numpy as np

SPLIT_SEED = 0
TRAIN_FRACTION = 0.8


def default_path():
    """Where python3-sklearn installs digits.csv.gz (found without importing sklearn)."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "ag.keras.datasets.digits needs scikit-learn's bundled digits.csv.gz: install "
            "Debian's python3-sklearn (scripts/install-deps.sh does)")
    return os.path.join(list(spec.submodule_search_locations)[0], "datasets", "data",
                        "digits.csv.gz")


def load_data(path=None):
    """((x_train, y_train), (x_test, y_test)): images float32 (n, 8, 8) in [0, 1] (the 0..16
    values / 16), labels int32."""
    path = path or default_path()
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float64, ndmin=2)
    if table.shape[1] != 65:
        raise ValueError(f"{path}: expected 65 columns (64 pixels and the label), got "
                         f"{table.shape[1]}")
    x = (table[:, :64] / 16.0).astype(np.float32).reshape(-1, 8, 8)
    y = table[:, 64].astype(np.int32)
    order = np.random.default_rng(SPLIT_SEED).permutation(len(y))
    n_train = int(len(y) * TRAIN_FRACTION)  # 1,437 of 1,797
    train, test = order[:n_train], order[n_train:]
    return (x[train], y[train]), (x[test], y[test])
