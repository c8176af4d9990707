"""`ag.keras.datasets`: Keras's `load_data()` loaders for data that Debian ships (SPEC §7).

Nothing is downloaded: `digits` reads scikit-learn's bundled 8x8 digits (python3-sklearn),
`fashion_mnist` the IDX files of the dataset-fashion-mnist package, and `mnist` a local
mnist.npz. Each returns ((x_train, y_train), (x_test, y_test)) as NumPy arrays, like Keras.
"""
from . import digits, fashion_mnist, mnist

__all__ = ["digits", "fashion_mnist", "mnist"]
