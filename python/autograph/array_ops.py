"""TensorFlow's array ops built on the runtime's: `ag.cumsum`, `ag.sort`/`ag.argsort`, `ag.tile`,
`ag.squeeze`/`ag.expand_dims`, `ag.unstack`, `ag.eye`, `ag.linspace`.

Only cumsum and argsort have kernels of their own (the `cumsum` and `argsort` rows of
runtime/ops/op_kinds.def); everything else composes subscripts, gathers, reshapes and ranges.
Each of those traces and has a gradient, so these ops stage and differentiate like the ops they
are made of, and a dimension unknown while tracing is read with `ag.shape` at run time.
"""
import builtins

import numpy as _np

from . import _core
from . import dtypes as _dtypes
from . import ops
from .errors import InvalidArgumentError
from .tensor import Tensor

_K = _core.op_kinds
_apply = _core.apply


def _static_int(value, what):
    """A Python int from an int or an eager integer tensor (axes are static, as in TF)."""
    if isinstance(value, Tensor):
        if value.is_symbolic:
            raise InvalidArgumentError(f"{what} must be known when the graph is built, got a "
                                       "symbolic tensor")
        value = value.numpy()
    if isinstance(value, (bool, _np.bool_)) or not isinstance(value, (int, _np.integer)):
        raise InvalidArgumentError(f"{what} must be an int, got {value!r}")
    return int(value)


def _axis(axis, rank, op, extra=0):
    """`axis` normalized for a tensor of `rank` (extra=1: a new axis may go after the last)."""
    axis = _static_int(axis, f"{op}: axis")
    n = rank + extra
    if not -n <= axis < n:
        raise InvalidArgumentError(
            f"{op}: axis {axis} is out of range for a tensor of rank {rank} (expected "
            f"{-n} <= axis < {n})")
    return axis + n if axis < 0 else axis


def _dim(x, axis):
    """x's size along `axis`: an int when known while tracing, else an int32 scalar tensor."""
    d = x.shape[axis]
    return d if d is not None and d >= 0 else ops.shape(x)[axis]


def _along(axis, item):
    """A subscript applying `item` to dim `axis` and keeping the others."""
    return (builtins.slice(None),) * axis + (item, Ellipsis)


def _reverse(x, axis):
    return x[_along(axis, builtins.slice(None, None, -1))]


# ---- scans and sorting -----------------------------------------------------------------------
def cumsum(x, axis=0, exclusive=False, reverse=False):
    """Running sums along `axis` (TensorFlow's tf.cumsum): `exclusive` leaves each element out
    of its own sum, `reverse` sums from the end."""
    x = _core.constant(x)
    axis = _axis(axis, len(x.shape), "cumsum")
    if reverse:
        x = _reverse(x, axis)
    y = _apply(_K["cumsum"], [x], {"axis": axis})
    if exclusive:
        # Shifted by one place: a zero first, the inclusive sums up to the one before last.
        first = ops.zeros_like(y[_along(axis, builtins.slice(0, 1))])
        y = ops.concat([first, y[_along(axis, builtins.slice(None, -1))]], axis)
    return _reverse(y, axis) if reverse else y


def _direction(direction, op):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise InvalidArgumentError(
            f"{op}: direction must be 'ASCENDING' or 'DESCENDING', got {direction!r}")
    return direction == "DESCENDING"


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """int32 positions that sort `values` along `axis`. Always stable (equal values keep their
    order, in both directions, as TensorFlow's sort does); NaN sorts above every number."""
    del stable, name  # every sort here is stable
    values = _core.constant(values)
    if not values.shape:
        raise InvalidArgumentError("argsort: needs a tensor of rank >= 1, got a scalar")
    axis = _axis(axis, len(values.shape), "argsort")
    if not _direction(direction, "argsort"):
        return _apply(_K["argsort"], [values], {"axis": axis})
    # Descending, ties in index order: sort the reversed values ascending (a stable sort keeps
    # equal ones in reversed order), reverse that order and map positions back: n - 1 - i.
    up = _apply(_K["argsort"], [_reverse(values, axis)], {"axis": axis})
    n = _dim(values, axis)
    return ops.cast(n, _dtypes.int32) - 1 - _reverse(up, axis)


def _take_along(values, idx, axis):
    """values[..., idx[..., k], ...] along `axis`: one gather on the flattened values, so its
    gradient is gather's."""
    rank = len(values.shape)
    perm = None
    if axis != rank - 1:
        perm = [d for d in builtins.range(rank) if d != axis] + [axis]
        values, idx = ops.transpose(values, perm), ops.transpose(idx, perm)
    n = _dim(values, rank - 1)
    flat = ops.reshape(idx, [-1])
    # Each row of n positions starts n further into the flattened values (max: no division by
    # zero when the axis is empty, and then there are no rows anyway).
    rows = ops.range(ops.size(flat)) // ops.maximum(n, 1) * n
    picked = ops.gather(ops.reshape(values, [-1]), flat + rows)
    out = ops.reshape(picked, ops.shape(values))
    if perm is None:
        return out
    inverse = [perm.index(d) for d in builtins.range(rank)]
    return ops.transpose(out, inverse)


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """`values` sorted along `axis` (stable; NaN above every number). Differentiable: the
    gradient of each sorted element goes back to the position it came from."""
    del name
    values = _core.constant(values)
    if not values.shape:
        raise InvalidArgumentError("sort: needs a tensor of rank >= 1, got a scalar")
    axis = _axis(axis, len(values.shape), "sort")
    return _take_along(values, argsort(values, axis, direction), axis)


# ---- shapes ----------------------------------------------------------------------------------
def expand_dims(input, axis, name=None):  # noqa: A002 - TF's argument name
    """`input` with a new dimension of size 1 inserted at `axis` (-1: after the last)."""
    del name
    input = _core.constant(input)  # noqa: A001
    axis = _axis(axis, len(input.shape), "expand_dims", extra=1)
    return input[_along(axis, None)]


def squeeze(input, axis=None, name=None):  # noqa: A002
    """`input` without dimensions of size 1: all of them (axis None: every dim must be known
    while tracing) or those at `axis` (an int or a list), which must have size 1."""
    del name
    input = _core.constant(input)  # noqa: A001
    shape = input.shape
    rank = len(shape)
    if axis is None:
        unknown = [d for d in builtins.range(rank) if shape[d] is None or shape[d] < 0]
        if unknown:
            # The result's rank would depend on run-time sizes, which a graph cannot have.
            raise InvalidArgumentError(
                f"squeeze: dim {unknown[0]} of shape {tuple(shape)} is unknown while tracing, so "
                f"which dims have size 1 is not known; pass axis=")
        axes = [d for d in builtins.range(rank) if shape[d] == 1]
    else:
        listed = [axis] if not isinstance(axis, (list, tuple)) else list(axis)
        axes = sorted({_axis(a, rank, "squeeze") for a in listed})
        for d in axes:
            if shape[d] is not None and shape[d] >= 0 and shape[d] != 1:
                raise InvalidArgumentError(
                    f"squeeze: cannot squeeze dim {d} of a tensor of shape {tuple(shape)}: "
                    f"expected a dimension of size 1, got {shape[d]}")
    if builtins.all(shape[d] == 1 for d in axes):
        # Known ones: index them away (a view, whose gradient is getitem's).
        return input[tuple(0 if d in axes else builtins.slice(None)
                           for d in builtins.range(rank))]
    # A dim unknown until run time: a reshape, which fails then unless it is 1.
    kept = [_dim(input, d) for d in builtins.range(rank) if d not in axes]
    return ops.reshape(input, kept if kept else [])


def unstack(value, num=None, axis=0, name=None):
    """The slices of `value` along `axis`, as a list of `num` tensors (num defaults to the
    dimension, which must then be known while tracing)."""
    del name
    value = _core.constant(value)
    rank = len(value.shape)
    if rank == 0:
        raise InvalidArgumentError("unstack: needs a tensor of rank >= 1, got a scalar")
    axis = _axis(axis, rank, "unstack")
    d = value.shape[axis]
    if num is None:
        if d is None or d < 0:
            raise InvalidArgumentError(
                f"unstack: cannot infer num from shape {tuple(value.shape)}; pass num=")
        num = d
    elif d is not None and d >= 0 and num != d:
        raise InvalidArgumentError(
            f"unstack: num={num} does not match dimension {axis} of shape "
            f"{tuple(value.shape)}")
    return [value[_along(axis, i)] for i in builtins.range(num)]


def tile(input, multiples, name=None):  # noqa: A002
    """`input` repeated `multiples[d]` times along each dimension d (TensorFlow's tf.tile).
    Multiples may be tensors: each tiled axis is one gather by `range(m * n) % n`."""
    del name
    input = _core.constant(input)  # noqa: A001
    rank = len(input.shape)
    if isinstance(multiples, Tensor):
        if len(multiples.shape) != 1 or multiples.shape[0] not in (rank, None):
            raise InvalidArgumentError(
                f"tile: multiples must be a vector of length {rank}, got shape "
                f"{tuple(multiples.shape)}")
        multiples = [multiples[d] for d in builtins.range(rank)] if multiples.is_symbolic \
            else multiples.numpy().tolist()
    multiples = list(multiples)
    if len(multiples) != rank:
        raise InvalidArgumentError(
            f"tile: expected {rank} multiples for a tensor of shape {tuple(input.shape)}, got "
            f"{len(multiples)}")
    out = input
    for d, m in enumerate(multiples):
        if isinstance(m, Tensor):
            m = ops.cast(m, _dtypes.int32)
        elif m == 1:
            continue
        elif m < 0:
            raise InvalidArgumentError(f"tile: multiples must be non-negative, got {m}")
        n = _dim(out, d)
        if isinstance(n, int) and not isinstance(m, Tensor):
            idx = _core.constant(_np.tile(_np.arange(n, dtype=_np.int32), m))
        else:
            idx = ops.range(m * n) % builtins.max(n, 1) if isinstance(n, int) else \
                ops.range(m * n) % ops.maximum(n, 1)
        out = ops.gather(out, idx, d)
    return out


# ---- constructors ----------------------------------------------------------------------------
def eye(num_rows, num_columns=None, batch_shape=None, dtype=_dtypes.float32, name=None):
    """Identity matrices: ones on the diagonal (TensorFlow's tf.eye); sizes may be tensors."""
    del name
    cols = num_rows if num_columns is None else num_columns
    on = ops.equal(expand_dims(ops.range(num_rows), 1), expand_dims(ops.range(cols), 0))
    e = ops.cast(on, dtype)
    if batch_shape is None:
        return e
    batch = list(batch_shape.numpy().tolist() if isinstance(batch_shape, Tensor) else batch_shape)
    return tile(e[(None,) * len(batch)], batch + [1, 1])


def linspace(start, stop, num, axis=0, name=None):
    """`num` evenly spaced values from `start` to `stop`, both included (tf.linspace): the last
    one is `stop` exactly. Tensor `start`/`stop` give one sequence per element, along `axis`."""
    del name
    start, stop = _core.constant(start), _core.constant(stop)
    dtype = start.dtype if start.dtype.is_floating else (
        stop.dtype if stop.dtype.is_floating else _dtypes.float32)
    start, stop = ops.cast(start, dtype), ops.cast(stop, dtype)
    rank = builtins.max(len(start.shape), len(stop.shape))
    axis = _axis(axis, rank, "linspace", extra=1)
    num = num if isinstance(num, Tensor) else _static_int(num, "linspace: num")
    if isinstance(num, int) and num < 0:
        raise InvalidArgumentError(f"linspace: num must be non-negative, got {num}")
    i = ops.cast(ops.range(num), dtype)
    # i along `axis`, size-1 dims elsewhere; start and stop get the matching size-1 dim.
    i = i[(None,) * axis + (builtins.slice(None),) + (None,) * (rank - axis)]
    s0 = expand_dims(start if len(start.shape) == rank else start + ops.zeros_like(stop), axis)
    s1 = expand_dims(stop if len(stop.shape) == rank else stop + ops.zeros_like(start), axis)
    last = ops.cast(num, dtype) - 1
    step = (s1 - s0) / ops.maximum(last, 1)
    return ops.where(ops.logical_and(ops.equal(i, last), last > 0), s1, s0 + i * step)
