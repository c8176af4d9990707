"""`ag.keras.datasets.mnist`: MNIST from a local mnist.npz (Keras's file: x_train, y_train,
x_test, y_test). Nothing is downloaded; without the file the error names the datasets that
are available offline."""
import os

import numpy as np


def load_data(path="mnist.npz"):
    """((x_train, y_train), (x_test, y_test)) from `path` (also looked for under
    ~/.keras/datasets/, where Keras keeps its download)."""
    candidates = [path]
    if not os.path.isabs(path):
        candidates.append(os.path.join(os.path.expanduser("~"), ".keras", "datasets", path))
    for candidate in candidates:
        if os.path.exists(candidate):
            with np.load(candidate, allow_pickle=False) as f:
                missing = [k for k in ("x_train", "y_train", "x_test", "y_test") if k not in f]
                if missing:
                    raise ValueError(f"{candidate}: not a Keras mnist.npz (missing "
                                     f"{', '.join(missing)})")
                return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
    raise FileNotFoundError(
        f"MNIST file {path!r} not found (looked in: {', '.join(candidates)}); xautograph "
        "downloads nothing. Pass the path of a local mnist.npz, or use a dataset that ships "
        "offline: ag.keras.datasets.fashion_mnist (Debian's dataset-fashion-mnist) or "
        "ag.keras.datasets.digits (scikit-learn's bundled digits)")
