"""`ag__.and_`, `ag__.or_`, `ag__.not_`: Python's lazy boolean operators, staged for tensors.

The right operand is a function: Python evaluates it only when needed, and so does the graph
(it is traced into one branch of a Cond), so guards like `i < n and x[i] > 0` stay safe.

Python's `a or b` is an operand, not a bool (`a or 5` is `a` when `a` is truthy, else `5`), so
with a number tensor `a` the staged result selects between the operands, with one dtype for
both (a Python number takes the tensor's dtype, as everywhere). Between bools the selection is
the logical operator itself."""
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
    """`a() and b()`: b() where a() is truthy, else a()."""
    x = _value(a())
    if not is_symbolic(x):
        return x and b()
    return _staged(x, b, "and")


def or_(a, b):
    """`a() or b()`: a() where it is truthy, else b()."""
    x = _value(a())
    if not is_symbolic(x):
        return x or b()
    return _staged(x, b, "or")


def _staged(x, b, op):
    loc = staging.location()
    pred = staging.as_bool(x, op, loc)
    is_or = op == "or"
    if is_pure(b):
        # Nothing to skip: both sides in the graph, no Cond.
        y = _value(b())
        if x.dtype.is_bool and _is_bool(y):
            y = staging.as_bool(y, "and/or", loc)
            return ops.logical_or(pred, y) if is_or else ops.logical_and(pred, y)
        x, y = _unify(x, y)
        return ops.where(pred, x, y) if is_or else ops.where(pred, y, x)
    # b() is traced first (into the branch that needs it), so that x can take the dtype both
    # operands share.
    common = {}

    def right():
        y = _value(b())
        if x.dtype.is_bool and _is_bool(y):
            common["dtype"] = x.dtype
            return staging.as_bool(y, "and/or", loc)
        _, y = _unify(x, y)
        common["dtype"] = y.dtype
        return y

    def left():
        return staging.cast(x, common["dtype"])

    if is_or:
        return _cf.cond(ops.logical_not(pred), right, left)
    return _cf.cond(pred, right, left)


def _is_bool(y):
    return isinstance(y, bool) or (isinstance(y, Tensor) and y.dtype.is_bool)


def _unify(x, y):
    """Tensor x and operand y as tensors of one dtype: a Python number takes x's dtype when it
    fits it; otherwise the wider of the two (float over int over bool, then the larger)."""
    if not isinstance(y, Tensor):
        if isinstance(y, staging._PY_SCALARS) and staging._py_kind(y) <= staging._kind(x.dtype):
            return x, staging.constant(y, x.dtype)
        y = _core.constant(y)
    if x.dtype == y.dtype:
        return x, y
    rank = (staging._kind(x.dtype), x.dtype.size) < (staging._kind(y.dtype), y.dtype.size)
    dtype = y.dtype if rank else x.dtype
    return staging.cast(x, dtype), staging.cast(y, dtype)


def not_(a):
    """`not a`: ag.logical_not of a symbolic (or boolean tensor) operand."""
    a = _value(a)
    if isinstance(a, Tensor) and (a.is_symbolic or a.shape):
        if not a.dtype.is_bool:
            return ops.equal(a, 0)
        return ops.logical_not(a)
    return not a
