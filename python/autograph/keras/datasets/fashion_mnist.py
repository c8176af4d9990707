"""`ag.keras.datasets.fashion_mnist`: Zalando's Fashion-MNIST from Debian's
dataset-fashion-mnist package (IDX files under /usr/share/datasets/fashion-mnist)."""
import os

from . import _idx

DEFAULT_DIR = "/usr/share/datasets/fashion-mnist"
_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def _find(directory, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(
        f"Fashion-MNIST file {name}(.gz) not found in {directory}: install Debian's "
        "dataset-fashion-mnist (apt-get install dataset-fashion-mnist, or "
        "scripts/install-deps.sh)")


def load_data(path=None):
    """((x_train, y_train), (x_test, y_test)) as Keras gives them: uint8 images (n, 28, 28)
    and uint8 labels 0..9. `path`: a directory holding the four IDX files instead of the
    package's."""
    directory = path or DEFAULT_DIR
    x_train, y_train, x_test, y_test = (_idx.read(_find(directory, n)) for n in _FILES)
    for x, y, what in ((x_train, y_train, "training"), (x_test, y_test, "test")):
        if len(x) != len(y):
            raise ValueError(f"Fashion-MNIST {what} set in {directory}: {len(x)} images but "
                             f"{len(y)} labels")
    return (x_train, y_train), (x_test, y_test)
