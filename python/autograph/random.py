"""`ag.random`: counter-based random tensors (same seed, same values; no seed: fresh values).

TensorFlow's signatures: `uniform` makes floats in [minval, maxval) or, for int32/int64, integers
in [minval, maxval) (maxval is then required); `normal` makes floats only. Bounds given as
symbolic tensors scale a [0, 1) draw in the graph."""
from . import dtypes as _dtypes
from . import ops as _ops
from .errors import InvalidArgumentError
from .ops import _random
from .tensor import Tensor


def _bound(v):
    """A bound the runtime takes as an attribute (a number), or None for a symbolic tensor."""
    if isinstance(v, Tensor):
        return None if v.is_symbolic else v.numpy().item()
    return v


def uniform(shape, minval=0, maxval=None, dtype=_dtypes.float32, seed=None, name=None):
    """Uniform values in [minval, maxval) (maxval defaults to 1 for floats)."""
    del name
    dtype = _dtypes.as_dtype(dtype)
    if dtype.is_integer and maxval is None:
        raise InvalidArgumentError(f"random.uniform: maxval must be given for dtype {dtype.name}")
    if not (dtype.is_floating or dtype.is_integer):
        raise InvalidArgumentError(
            f"random.uniform: dtype must be float32, float64, int32 or int64, got {dtype.name}")
    maxval = 1 if maxval is None else maxval
    lo, hi = _bound(minval), _bound(maxval)
    if lo is not None and hi is not None:
        return _random("random_uniform", shape, lo, hi, dtype, seed)
    # A bound known only when the graph runs: scale a [0, 1) draw (float64 for integers, whose
    # floor then lands in [minval, maxval)).
    unit = _random("random_uniform", shape, 0.0, 1.0,
                   _dtypes.float64 if dtype.is_integer else dtype, seed)
    lo_t, hi_t = _ops.cast(minval, unit.dtype), _ops.cast(maxval, unit.dtype)
    r = lo_t + unit * (hi_t - lo_t)
    return _ops.cast(_ops.floor(r), dtype) if dtype.is_integer else r


def normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    """Normally distributed floats."""
    del name
    dtype = _dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise InvalidArgumentError(
            f"random.normal: dtype must be float32 or float64, got {dtype.name}")
    m, s = _bound(mean), _bound(stddev)
    if m is not None and s is not None:
        return _random("random_normal", shape, m, s, dtype, seed)
    z = _random("random_normal", shape, 0.0, 1.0, dtype, seed)
    return _ops.cast(mean, dtype) + z * _ops.cast(stddev, dtype)
