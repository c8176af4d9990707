"""`ag__.and_`, `ag__.or_`, `ag__.not_`: Python's lazy boolean operators, staged for tensors;
`ag__.in_` and `ag__.not_in`: membership, staged for tensors and ranges with tensor bounds.

The right operand is a function: Python evaluates it only when needed, and so does the graph
(it is traced into one branch of a Cond), so guards like `i < n and x[i] > 0` stay safe.

Python's `a or b` is an operand, not a bool (`a or 5` is `a` when `a` is truthy, else `5`), so
with a number tensor `a` the staged result selects between the operands, with one dtype for
both (a Python number takes the tensor's dtype, as everywhere). Between bools the selection is
the logical operator itself."""
from .. import _core
from .. import dtypes
from .. import control_flow as _cf
from .. import ops
from ..tensor import Tensor
from ..variables import Variable
from . import staging
from .sequences import StagedRange
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
    # Python numbers on both sides give one (weakly typed): `-(y and -1)` with a Python int y
    # meets a float32 later as Python's int would.
    x_weak = staging.is_weak_value(x)
    if is_pure(b):
        # Nothing to skip: both sides in the graph, no Cond.
        y = _value(b())
        if x.dtype.is_bool and _is_bool(y):
            y = staging.as_bool(y, "and/or", loc)
            return ops.logical_or(pred, y) if is_or else ops.logical_and(pred, y)
        weak = x_weak and staging.is_weak_value(y)
        x, y = _unify(x, y)
        out = ops.where(pred, x, y) if is_or else ops.where(pred, y, x)
        return staging.weak_where([out], [weak])[0]
    # b() is traced first (into the branch that needs it), so that x can take the dtype both
    # operands share.
    common = {}

    def right():
        y = _value(b())
        if x.dtype.is_bool and _is_bool(y):
            common["dtype"] = x.dtype
            return staging.as_bool(y, "and/or", loc)
        common["weak"] = staging.is_weak_value(y)
        _, y = _unify(x, y)
        common["dtype"] = y.dtype
        return y

    def left():
        return staging.cast(x, common["dtype"])

    out = _cf.cond(ops.logical_not(pred) if is_or else pred, right, left)
    return staging.weak_where([out], [x_weak and common.get("weak", False)])[0]


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


def in_(x, container):
    """`x in container`: a bool tensor when the answer is known only when the graph runs (x or a
    tensor container symbolic, or a range with tensor bounds), else Python's own `in`."""
    if not _core.tracing():
        return x in container  # nothing is symbolic: plain Python, at Python's cost
    x = _value(x)
    container = _value(container)
    if isinstance(container, StagedRange) and (container._known() is None or is_symbolic(x)):
        return _in_range(x, container.start, container.stop, container.step)
    listed = isinstance(container, (list, tuple))
    if not is_symbolic(x) and not (isinstance(container, Tensor) and container.is_symbolic) and \
            not (listed and any(is_symbolic(v) for v in container)):
        return x in container
    if isinstance(container, Tensor):
        if not container.shape:
            raise TypeError("argument of type 'scalar ag.Tensor' is not iterable")
        # Python walks the first axis: a row matches when all its elements equal x.
        eq = ops.equal(container, x)
        if len(container.shape) > 1:
            eq = ops.reduce_all(eq, axis=list(range(1, len(container.shape))))
        return ops.reduce_any(eq)
    if isinstance(container, range):
        return _in_range(x, container.start, container.stop, container.step)
    if listed and all(isinstance(v, (int, float, bool, Tensor)) for v in container):
        found = _core.constant(False)
        for v in container:
            found = ops.logical_or(found, ops.reduce_all(ops.equal(x, v)))
        return found
    return x in container  # Python's own error or answer for anything else


def not_in(x, container):
    """`x not in container`."""
    found = in_(x, container)
    return ops.logical_not(found) if isinstance(found, Tensor) else not found


def _in_range(x, start, stop, step):
    """Membership in range(start, stop, step) as a bool tensor: between the bounds on the side
    the step goes, a whole number of steps from start."""
    x = x if isinstance(x, Tensor) else _core.constant(x)
    x = x if x.dtype.is_floating else ops.cast(x, dtypes.int64)
    whole = ops.equal(ops.floor(x), x) if x.dtype.is_floating else _core.constant(True)
    up = ops.logical_and(ops.greater_equal(x, start), ops.less(x, stop))
    down = ops.logical_and(ops.less_equal(x, start), ops.greater(x, stop))
    between = ops.where(ops.greater(step, 0), up, down)
    on_step = ops.equal(ops.floormod(x - start, step), 0)
    return ops.logical_and(ops.logical_and(between, on_step), whole)
