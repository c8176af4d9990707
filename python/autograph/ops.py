"""The ops of SPEC §3 (`ag.exp`, `ag.reduce_sum`, `ag.matmul`, ...).

Each runs at once on eager tensors and adds a graph node while a staged function is traced; the
runtime's tracer decides which (runtime/graph/tracer.cpp). Element-wise unary and binary ops are the C++
functions themselves (no Python frame per call); the rest build an attribute dict for the
generic entry point `_core.apply`.

Python scalars next to tensors are "weak": `t_int32 + 1` stays int32, `t_float32 * 0.5` stays
float32; a literal of a higher kind takes its SPEC default (int -> int32, float -> float32), so
`t_int32 + 1.5` is float32 as in JAX (the runtime casts the integer tensor first). (NumPy would
make `bool_array + 1` int64; we give int32, the SPEC's type for Python ints.)
"""
import builtins

import numpy as _np

from . import _core
from . import dtypes as _dtypes
from .errors import InvalidArgumentError
from .tensor import Tensor

_K = _core.op_kinds
_apply = _core.apply
_raw = _core.ops

# Inside a function being traced, a value of the graph (python/src/core.cpp says why).
constant = _core.graph_constant


def _dtype_or_none(dtype):
    return None if dtype is None else _dtypes.as_dtype(dtype)._code


# ---- element-wise unary ------------------------------------------------------------------
abs = _raw.abs  # noqa: A001 - SPEC name
negative = _raw.negative
exp = _raw.exp
log = _raw.log
sqrt = _raw.sqrt
square = _raw.square
sin = _raw.sin
cos = _raw.cos
tanh = _raw.tanh
sigmoid = _raw.sigmoid
floor = _raw.floor
ceil = _raw.ceil
round = _raw.round  # noqa: A001 - SPEC name; half to even like NumPy and TF
sign = _raw.sign
relu = _raw.relu
logical_not = _raw.logical_not
bitwise_not = _raw.invert

# ---- element-wise binary (broadcasting) -----------------------------------------------------
add = _raw.add
subtract = _raw.subtract
multiply = _raw.multiply
truediv = _raw.truediv
divide = truediv
floordiv = _raw.floordiv
mod = _raw.mod
floormod = mod
pow = _raw.pow  # noqa: A001 - SPEC name
maximum = _raw.maximum
minimum = _raw.minimum
equal = _raw.equal
not_equal = _raw.not_equal
less = _raw.less
less_equal = _raw.less_equal
greater = _raw.greater
greater_equal = _raw.greater_equal
logical_and = _raw.logical_and
logical_or = _raw.logical_or
logical_xor = _raw.logical_xor
bitwise_and = _raw.bitwise_and
bitwise_or = _raw.bitwise_or
bitwise_xor = _raw.bitwise_xor


def where(condition, x, y):
    """Elements of x where condition holds, else of y (broadcasting; x and y promoted)."""
    return _apply(_K["where"], [condition, x, y])


def clip_by_value(t, clip_value_min, clip_value_max):
    """minimum(maximum(t, clip_value_min), clip_value_max)."""
    return _apply(_K["clip_by_value"], [t, clip_value_min, clip_value_max])


def cast(x, dtype):
    """x converted to dtype (NumPy astype: float -> int truncates)."""
    return _apply(_K["cast"], [x], {"dtype": _dtypes.as_dtype(dtype)._code})


# ---- reductions ------------------------------------------------------------------------------
def _axes(axis):
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()  # eager only: reduction axes are static
    return [axis] if isinstance(axis, int) else list(axis)


def _reduction(name):
    kind = _K[name]

    def reduce(input_tensor, axis=None, keepdims=False):
        return _apply(kind, [input_tensor], {"axes": _axes(axis), "keepdims": keepdims})

    reduce.__name__ = name
    reduce.__qualname__ = name
    reduce.__doc__ = f"{name} over `axis` (None: all axes), like NumPy/TensorFlow."
    return reduce


reduce_sum = _reduction("reduce_sum")
reduce_mean = _reduction("reduce_mean")
reduce_max = _reduction("reduce_max")
reduce_min = _reduction("reduce_min")
reduce_prod = _reduction("reduce_prod")
reduce_any = _reduction("reduce_any")
reduce_all = _reduction("reduce_all")


def argmax(input, axis=None):  # noqa: A002 - TF's argument name
    """Index (int64) of the largest element along `axis`; None: of the flattened tensor."""
    return _apply(_K["argmax"], [input], {"axis": axis})


def argmin(input, axis=None):  # noqa: A002
    """Index (int64) of the smallest element along `axis`; None: of the flattened tensor."""
    return _apply(_K["argmin"], [input], {"axis": axis})


# ---- linear algebra and shapes ------------------------------------------------------------
matmul = _raw.matmul


def transpose(a, perm=None):
    """Axes permuted by `perm` (default: reversed)."""
    return _apply(_K["transpose"], [a], {"perm": None if perm is None else list(perm)})


def _dynamic_shape(shape):
    """True when a shape argument holds tensors (its values are known only at run time)."""
    if isinstance(shape, Tensor):
        return True
    return isinstance(shape, (list, tuple)) and builtins.any(isinstance(d, Tensor) for d in shape)


def _shape_tensor(shape):
    if isinstance(shape, Tensor):
        return shape
    return stack([cast(d, _dtypes.int64) for d in shape])


def reshape(tensor, shape):
    """Same elements in another shape; one dim may be -1."""
    if _dynamic_shape(shape):
        return _apply(_K["reshape"], [tensor, _shape_tensor(shape)])
    return _apply(_K["reshape"], [tensor], {"shape": _static_shape(shape)})


def concat(values, axis=0):
    """Tensors joined along an existing axis."""
    return _apply(_K["concat"], list(values), {"axis": axis})


def stack(values, axis=0):
    """Tensors of one shape joined along a new axis."""
    values = list(values)
    if not values:
        raise ValueError("stack: expected at least one tensor")
    return _apply(_K["stack"], values, {"axis": axis})


def _stack_nested(value):
    """ag.constant of a (nested) list holding tensors: stacks level by level."""
    if isinstance(value, (list, tuple)):
        return stack([_stack_nested(v) for v in value])
    return value


def _holds_tensor(value):
    """Whether a (nested) list holds a tensor anywhere (then it is stacked, not converted)."""
    return builtins.any(isinstance(v, Tensor) or (isinstance(v, (list, tuple)) and _holds_tensor(v))
                        for v in value)


def _all_text(value):
    """Whether every leaf of a nested list is a str or bytes."""
    if isinstance(value, (list, tuple)):
        return all(_all_text(v) for v in value)
    return isinstance(value, (str, bytes))


def _convertible(value):
    """What the bindings' conversion to a tensor makes of a value that is not an ag.Tensor, a Python
    number or a NumPy array: a tensor, or (array, literal) where literal says that the array came
    from Python lists, whose dtype the runtime picks (int32 when the values fit, float32)."""
    if isinstance(value, (list, tuple)):
        if _holds_tensor(value):
            return _stack_nested(value)  # stack handles symbolic ones
        try:
            array = _np.asarray(value)  # [[]] and other empty nests: a shape with a 0 dim
        except ValueError:
            array = _np.empty(0, object)  # ragged: the error below
        if array.dtype.kind in "US" and _all_text(value):
            return array, False  # strings (NumPy also stringifies numbers: not those)
        if array.dtype.kind in "OUS":
            raise InvalidArgumentError(
                f"constant: cannot convert {repr(value)[:80]} to a tensor (nested lists of numbers "
                f"or tensors of one shape are accepted)")
        return array, True
    if hasattr(value, "__ag_tensor__"):  # variables and other tensor-likes of the package
        return value.__ag_tensor__()
    if hasattr(value, "dtype") and hasattr(value, "shape"):
        return _np.asarray(value), False  # NumPy scalars (np.float32(1)) keep their dtype
    raise InvalidArgumentError(
        f"cannot convert an object of type '{type(value).__name__}' to a tensor")


def gather(params, indices, axis=0):
    """Slices of params at integer `indices` along `axis` (negative indices count back)."""
    return _apply(_K["gather"], [params, indices], {"axis": axis})


def size(input, out_type=None):  # noqa: A002
    """Number of elements as an int32 scalar."""
    r = _apply(_K["size"], [input])
    return r if out_type is None else cast(r, out_type)


def shape(input, out_type=None):  # noqa: A002
    """The shape as an int32 vector."""
    r = _apply(_K["shape"], [input])
    return r if out_type is None else cast(r, out_type)


# ---- constructors ---------------------------------------------------------------------------
def _static_shape(shape):
    if isinstance(shape, int):
        return [shape]
    return [int(d) for d in shape]


def zeros(shape, dtype=_dtypes.float32):
    """A tensor of zeros; `shape` may hold tensors."""
    if _dynamic_shape(shape):
        return _apply(_K["zeros"], [_shape_tensor(shape)], {"dtype": _dtype_or_none(dtype)})
    return _apply(_K["zeros"], [], {"shape": _static_shape(shape), "dtype": _dtype_or_none(dtype)})


def ones(shape, dtype=_dtypes.float32):
    """A tensor of ones; `shape` may hold tensors."""
    if _dynamic_shape(shape):
        return _apply(_K["ones"], [_shape_tensor(shape)], {"dtype": _dtype_or_none(dtype)})
    return _apply(_K["ones"], [], {"shape": _static_shape(shape), "dtype": _dtype_or_none(dtype)})


def fill(dims, value):
    """A tensor of shape `dims` filled with `value` (its dtype is value's)."""
    if _dynamic_shape(dims):
        return _apply(_K["fill"], [_shape_tensor(dims), value])
    return _apply(_K["fill"], [value], {"shape": _static_shape(dims)})


def zeros_like(input, dtype=None):  # noqa: A002
    return _apply(_K["zeros_like"], [input], {"dtype": _dtype_or_none(dtype)})


def ones_like(input, dtype=None):  # noqa: A002
    return _apply(_K["ones_like"], [input], {"dtype": _dtype_or_none(dtype)})


def range(start, limit=None, delta=1, dtype=None):  # noqa: A001 - SPEC name
    """[start, limit) by delta, like tf.range: range(n) counts 0..n-1."""
    if limit is None:
        start, limit = 0, start
    r = _apply(_K["range"], [start, limit, delta])
    return r if dtype is None else cast(r, dtype)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None):
    """One-hot vectors of length `depth` for integer `indices` (float32 unless dtype)."""
    if dtype is None:
        dtype = _dtypes.float32
        for v in (on_value, off_value):
            if isinstance(v, Tensor):
                dtype = v.dtype
    attrs = {
        "depth": int(depth),
        # The runtime reads the on value from value_b and the off value from value_a.
        "value_a": 0.0 if off_value is None else float(off_value),
        "value_b": 1.0 if on_value is None else float(on_value),
        "axis": -1 if axis is None else axis,
        "dtype": _dtypes.as_dtype(dtype)._code,
    }
    return _apply(_K["one_hot"], [indices], attrs)


def identity(x):
    return _apply(_K["identity"], [x])


def softmax(logits, axis=-1):
    """exp(x) / sum(exp(x)) along `axis`, computed stably."""
    return _apply(_K["softmax"], [logits], {"axis": axis})


def _random(name, shape, a, b, dtype, seed):
    attrs = {"value_a": float(a), "value_b": float(b), "dtype": _dtypes.as_dtype(dtype)._code,
             "seed": seed}
    if _dynamic_shape(shape):
        return _apply(_K[name], [_shape_tensor(shape)], attrs)
    attrs["shape"] = _static_shape(shape)
    return _apply(_K[name], [], attrs)
