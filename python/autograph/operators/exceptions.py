"""`ag__.assert_stmt`: `assert` as a graph assertion when its condition is symbolic."""
from .. import _core
from .. import control_flow as _cf
from .. import trace_marks
from ..variables import Variable
from .staging import is_symbolic


def assert_stmt(expression, msg_fn):
    """`assert expression, msg_fn()`. Staged, a failure makes the running graph raise
    ag.InvalidArgumentError naming the user's file and line (the op's source location)."""
    if isinstance(expression, Variable):
        expression = expression.read_value() if _core.tracing() else expression.numpy()
    if trace_marks.recorder is not None:
        trace_marks.recorder.condition("assert", expression, is_symbolic(expression))
    if is_symbolic(expression):
        message = "assertion failed"
        if msg_fn is not None:
            msg = msg_fn()
            message = msg if isinstance(msg, str) else str(msg)
        _cf._assert(expression, message)
        return None
    if not expression:
        raise AssertionError(msg_fn() if msg_fn is not None else None)
    return None
