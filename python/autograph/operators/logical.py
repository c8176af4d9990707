"""`ag__.and_`, `ag__.or_`, `ag__.not_`: Python's lazy boolean operators, staged for tensors.

The right operand is a function: Python evaluates it only when needed, and so does the graph
(it is traced into one branch of a Cond), so guards like `i < n and x[i] > 0` stay safe."""
from .. import _core
from .. import control_flow as _cf
from .. import ops
from ..tensor import Tensor
from ..variables import Variable
from . import staging
from .purity import is_pure
from .staging import is_symbolic


def _value(x):
    if isinstance(x, Variable):
        return x.read_value() if _core.tracing() else x.numpy()
    return x


def and_(a, b):
    """`a() and b()`."""
    x = _value(a())
    if not is_symbolic(x):
        return x and b()
    loc = staging.location()
    x = staging.as_bool(x, "and", loc)
    if is_pure(b):
        # Nothing to skip: both sides in the graph, no Cond.
        return ops.logical_and(x, _as_bool(b(), loc))
    return _cf.cond(x, lambda: _as_bool(b(), loc), lambda: False)


def or_(a, b):
    """`a() or b()`."""
    x = _value(a())
    if not is_symbolic(x):
        return x or b()
    loc = staging.location()
    x = staging.as_bool(x, "or", loc)
    if is_pure(b):
        return ops.logical_or(x, _as_bool(b(), loc))
    return _cf.cond(x, lambda: True, lambda: _as_bool(b(), loc))


def _as_bool(y, loc):
    y = _value(y)
    if isinstance(y, Tensor):
        return staging.as_bool(y, "and/or", loc)
    return bool(y)


def not_(a):
    """`not a`: ag.logical_not of a symbolic (or boolean tensor) operand."""
    a = _value(a)
    if isinstance(a, Tensor) and (a.is_symbolic or a.shape):
        if not a.dtype.is_bool:
            return ops.equal(a, 0)
        return ops.logical_not(a)
    return not a
