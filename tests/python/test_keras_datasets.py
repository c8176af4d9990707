"""ag.keras.datasets loaders: on small files the tests write, and on the real offline files."""
import gzip
import os

import numpy as np
import pytest

from autograph.keras.datasets import _idx, digits, fashion_mnist, mnist


# ---- IDX (Fashion-MNIST) ---------------------------------------------------------------------
def _write_idx_by_hand(path, array, code):
    """The IDX bytes built here independently of _idx.write: magic, dims, big-endian data."""
    header = bytes([0, 0, code, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape)
    dtype = {0x08: ">u1", 0x0C: ">i4", 0x0D: ">f4"}[code]
    data = header + array.astype(dtype).tobytes()
    with (gzip.open if path.endswith(".gz") else open)(path, "wb") as f:
        f.write(data)


@pytest.mark.parametrize("suffix", [".gz", ""])
def test_idx_reader_parses_uint8_int32_float32(tmp_path, suffix):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    ints = np.array([1, -2, 300000], np.int32)
    floats = np.array([[0.5, -1.25]], np.float32)
    for name, array, code in (("i", images, 0x08), ("n", ints, 0x0C), ("f", floats, 0x0D)):
        path = str(tmp_path / (name + suffix))
        _write_idx_by_hand(path, array, code)
        back = _idx.read(path)
        assert back.dtype == array.dtype and back.shape == array.shape
        np.testing.assert_array_equal(back, array)


def test_idx_reader_rejects_bad_files(tmp_path):
    bad = tmp_path / "bad"
    bad.write_bytes(b"\x12\x34\x08\x01")
    with pytest.raises(ValueError, match="not an IDX file"):
        _idx.read(str(bad))
    short = tmp_path / "short"
    short.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]))
    with pytest.raises(ValueError, match="shape \\(5,\\)"):
        _idx.read(str(short))


def test_fashion_mnist_from_a_directory_of_idx_files(tmp_path):
    rng = np.random.default_rng(0)
    x_train = rng.integers(0, 256, (5, 28, 28)).astype(np.uint8)
    y_train = np.array([9, 0, 3, 2, 7], np.uint8)
    x_test = rng.integers(0, 256, (2, 28, 28)).astype(np.uint8)
    y_test = np.array([1, 5], np.uint8)
    for name, array in (("train-images-idx3-ubyte.gz", x_train),
                        ("train-labels-idx1-ubyte.gz", y_train),
                        ("t10k-images-idx3-ubyte", x_test),  # uncompressed works too
                        ("t10k-labels-idx1-ubyte.gz", y_test)):
        _write_idx_by_hand(str(tmp_path / name), array, 0x08)
    (a, b), (c, d) = fashion_mnist.load_data(str(tmp_path))
    for got, want in ((a, x_train), (b, y_train), (c, x_test), (d, y_test)):
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, want)


def test_fashion_mnist_missing_files_name_the_package(tmp_path):
    with pytest.raises(FileNotFoundError, match="dataset-fashion-mnist"):
        fashion_mnist.load_data(str(tmp_path))


@pytest.mark.skipif(not os.path.isdir(fashion_mnist.DEFAULT_DIR),
                    reason="Debian's dataset-fashion-mnist is not installed "
                           "(scripts/install-deps.sh installs it)")
def test_fashion_mnist_package_files():
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert x_train.dtype == np.uint8 and set(np.unique(y_test)) == set(range(10))


# ---- digits (CSV) ----------------------------------------------------------------------------
def test_digits_from_a_small_csv(tmp_path):
    rows = np.zeros((10, 65))
    rows[:, :64] = np.arange(10)[:, None] % 17  # pixel value = row index
    rows[:, 64] = np.arange(10) % 10
    path = str(tmp_path / "d.csv.gz")
    with gzip.open(path, "wt") as f:
        np.savetxt(f, rows, delimiter=",", fmt="%d")
    (x_train, y_train), (x_test, y_test) = digits.load_data(path)
    assert x_train.shape == (8, 8, 8) and x_test.shape == (2, 8, 8)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int32
    x = np.concatenate([x_train, x_test])
    y = np.concatenate([y_train, y_test])
    assert sorted(y.tolist()) == list(range(10))
    # Rows stay paired with their labels through the shuffle; pixels are value / 16.
    np.testing.assert_allclose(x[:, 0, 0], y / 16.0)
    assert y.tolist() != list(range(10))  # shuffled before the split


def test_digits_split_is_fixed_and_shuffled():
    (x_train, y_train), (x_test, y_test) = digits.load_data()
    assert x_train.shape == (1437, 8, 8) and x_test.shape == (360, 8, 8)
    assert y_train.shape == (1437,) and y_test.shape == (360,)
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert set(np.unique(y_test)) == set(range(10))
    (x2, y2), _ = digits.load_data()
    np.testing.assert_array_equal(y2, y_train)  # the same split every call
    np.testing.assert_array_equal(x2, x_train)


# ---- mnist (npz) -----------------------------------------------------------------------------
def test_mnist_reads_a_local_npz(tmp_path):
    path = str(tmp_path / "mnist.npz")
    x = np.ones((3, 28, 28), np.uint8)
    np.savez(path, x_train=x, y_train=np.arange(3, dtype=np.uint8), x_test=x[:1],
             y_test=np.array([4], np.uint8))
    (a, b), (c, d) = mnist.load_data(path)
    assert a.shape == (3, 28, 28) and b.tolist() == [0, 1, 2] and d.tolist() == [4]


def test_mnist_without_a_file_names_the_offline_sets(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        mnist.load_data(str(tmp_path / "absent.npz"))
    message = str(info.value)
    assert "fashion_mnist" in message and "digits" in message and "downloads nothing" in message
