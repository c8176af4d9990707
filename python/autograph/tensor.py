"""`ag.Tensor`: the C++ type from the bindings, plus the few methods that read best in Python.

Operators, conversions and `repr` are in C++ (python/src/ops.cpp, core.cpp) for speed; here are
iteration, formatting and NumPy's operator deference.
"""
from . import _core

Tensor = _core.Tensor

# NumPy defers `ndarray + tensor` to Tensor.__radd__ when our priority is higher, so mixed
# expressions stay tensors (and staged) instead of becoming arrays.
Tensor.__array_priority__ = 100


def _iter(self):
    if self.is_symbolic:
        from .errors import _symbolic_misuse

        _symbolic_misuse("iterable (a for loop over a tensor needs autograph or ag.while_loop)")
    for i in range(len(self)):
        yield self[i]


def _format(self, spec):
    if not self.is_symbolic and self.ndim == 0:
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


Tensor.__iter__ = _iter
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
