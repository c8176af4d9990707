"""Shared helpers: run a function eagerly and staged, compare with NumPy."""
import numpy as np
import pytest

import autograph as ag


def run_both(fn, *args):
    """fn(*args) eagerly and through ag.function(autograph=False); both as NumPy values."""
    eager = fn(*args)
    staged = ag.function(fn, autograph=False)(*args)
    return _np(eager), _np(staged)


def _np(x):
    if isinstance(x, (tuple, list)):
        return type(x)(_np(v) for v in x)
    return x.numpy() if isinstance(x, ag.Tensor) else x


def assert_same(result, expected, rtol=1e-6, atol=0.0, check_dtype=True):
    result = np.asarray(result)
    expected = np.asarray(expected)
    assert result.shape == expected.shape, (result.shape, expected.shape)
    if check_dtype:
        assert result.dtype == expected.dtype, (result.dtype, expected.dtype)
    if expected.dtype.kind == "f":
        np.testing.assert_allclose(result, expected, rtol=rtol, atol=atol, equal_nan=True)
    else:
        np.testing.assert_array_equal(result, expected)


def run_in_thread(fn, stack_size):
    """fn() on a new thread whose stack is `stack_size` bytes (work that must not depend on the
    caller's stack); returns when it is done."""
    import threading

    old = threading.stack_size(stack_size)
    try:
        t = threading.Thread(target=fn)
        t.start()
        t.join()
    finally:
        threading.stack_size(old)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def random_array(rng, shape, dtype, low=-5, high=5):
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if dtype.kind == "i":
        return rng.integers(low, high, size=shape).astype(dtype)
    return (rng.random(shape) * (high - low) + low).astype(dtype)


def cuda_devices():
    """'gpu:N' for every GPU the CUDA runtime sees, asked from the runtime directly (not from
    the registry that list_devices() reads): [] without CUDA, a driver or a device."""
    from autograph import _core
    return [f"gpu:{i}" for i in range(_core._cuda_device_count())]
