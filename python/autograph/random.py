"""`ag.random`: counter-based random tensors (same seed, same values; no seed: fresh values)."""
from . import dtypes as _dtypes
from .ops import _random


def uniform(shape, minval=0.0, maxval=1.0, dtype=_dtypes.float32, seed=None):
    """Uniform values in [minval, maxval)."""
    return _random("random_uniform", shape, minval, maxval, dtype, seed)


def normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None):
    """Normally distributed values."""
    return _random("random_normal", shape, mean, stddev, dtype, seed)
