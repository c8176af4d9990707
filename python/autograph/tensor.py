"""`ag.Tensor`: the C++ type from the bindings, plus the few methods that read best in Python.

Operators, conversions, `numpy()` and `repr` are in C++ (python/src/ops.cpp, core.cpp) for speed;
here are their docstrings and the methods Python calls rarely, built on those: iteration, `len`,
`str`, formatting, `__array__`, copying, and NumPy's operator deference.
"""
import math

from . import _core
from .tensor_shape import TensorShape

Tensor = _core.Tensor
Tensor.__doc__ = (
    "A value on the runtime: eager (has data) or symbolic (a value of a graph being traced).")
for _name, _doc in [
    ("dtype", "The element type."),
    ("shape", "The shape, an ag.TensorShape: a tuple of dims (None for dims unknown while "
              "tracing) with as_list(), rank and is_fully_defined()."),
    ("device", "Where the tensor's data lives ('cpu', 'gpu:0', ...); None while tracing."),
    ("is_symbolic", "True for a value of a graph being traced."),
]:
    getattr(Tensor, _name).__doc__ = _doc

# `.shape` is an ag.TensorShape (a tuple with TensorFlow's methods), made by the getter in C++.
_core._register_tensor_shape(TensorShape)

# NumPy defers `ndarray + tensor` to Tensor.__radd__ when our priority is higher, so mixed
# expressions stay tensors (and staged) instead of becoming arrays.
Tensor.__array_priority__ = 100


def _iter(self):
    if self.is_symbolic:
        from .errors import _symbolic_misuse

        _symbolic_misuse("iterable (a for loop over a tensor needs autograph or ag.while_loop)")
    for i in range(len(self)):
        yield self[i]


def _len(self):
    shape = self.shape
    if not shape:
        raise TypeError("len() of a 0-d tensor (shape ())")
    if shape[0] is None:
        from .errors import _symbolic_misuse

        _symbolic_misuse("int (len() of a dynamic dimension)")
    return shape[0]


def _str(self):
    if self.is_symbolic:
        return repr(self)
    if self.dtype == "string":  # the text ag.print shows, so print() eager and staged agree
        return self._format()
    return str(self.numpy())


def _array(self, dtype=None):
    # NumPy's fallback when the buffer protocol refuses (a tensor on a device): numpy() copies
    # the data to the host.
    if self.is_symbolic:
        from .errors import _symbolic_misuse

        _symbolic_misuse("value (__array__)")
    import numpy as np

    a = np.asarray(self.numpy(), dtype=object if self.dtype == "string" else None)
    return a if dtype is None else a.astype(dtype)


def _int(self):
    if self.is_symbolic:
        from .errors import _symbolic_misuse

        _symbolic_misuse("int")
    if not self.dtype.is_floating:
        return self.__index__()
    value = float(self)
    if not math.isfinite(value):
        from .errors import InvalidArgumentError

        raise InvalidArgumentError(f"cannot convert {self._format()} to int")
    return int(value)


def _copy(self):
    return self  # tensors are immutable: a copy may share everything


def _deepcopy(self, memo):
    return self


def _format(self, spec):
    if not self.is_symbolic and self.ndim == 0:
        if self.dtype == "string":  # f"{t}": the text, as str(t) of a scalar string
            return format(self._format(), spec)
        return format(self.numpy().item(), spec)
    return format(str(self), spec)


def _round(self, ndigits=None):
    if ndigits is not None:
        raise TypeError("round(tensor, ndigits) is not supported; use ag.round")
    return _core.ops.round(self)  # ag.round (ops.py imports this module: no import back)


def _setitem(self, key, value):
    raise TypeError(
        "ag.Tensor is immutable: use ag.TensorArray.write, ag.where or build a new tensor"
    )


Tensor.ndim = property(lambda self: len(self.shape), doc="The number of dimensions.")
Tensor.__int__ = _int
Tensor.__iter__ = _iter
Tensor.__len__ = _len
Tensor.__str__ = _str
Tensor.__array__ = _array
Tensor.__copy__ = _copy
Tensor.__deepcopy__ = _deepcopy
Tensor.__format__ = _format
Tensor.__round__ = _round
Tensor.__setitem__ = _setitem


def is_tensor(x):
    """True for ag.Tensor values (eager or symbolic)."""
    return isinstance(x, Tensor)


# Python list methods a staged list (a tensor list) cannot have: the converter rewrites
# `lst.append(x)` and `lst.pop()` statements into ag__ list operations, but not calls inside
# expressions it leaves alone (a `while` test, a lambda, a comprehension).
_LIST_METHODS = ("append", "pop", "extend", "insert", "remove", "clear")


def _getattr(self, name):
    if name in _LIST_METHODS and _core.is_list(self):
        from .errors import staging_error

        raise staging_error(
            f"lst.{name}() on a list that staged code carries works as a statement of its own "
            f"(`lst.append(x)`, `x = lst.pop()`), not inside a while test, lambda or "
            f"comprehension: move it into a statement first")
    raise AttributeError(f"'ag.Tensor' object has no attribute '{name}'")


Tensor.__getattr__ = _getattr
