"""Return values of converted functions, as the user sees them in messages.

Lowered returns (converter/transforms/return_statements.cpp) assign `retval_ = ag__.retval(v)`:
while tracing, this remembers the line of the `return` that produced each value, so that an error
about the return value names the user's `return` lines ("the function returns a bool at line 10
but an int32 at line 11") instead of the generated variable that carries it."""
import re
import threading

from .. import _core, dtypes
from ..errors import StagingError, _located
from ..tensor import Tensor

# The generated variable that holds a function's return value (`retval_`, `retval__1`, ...).
_RETVAL = re.compile(r"retval_(_\d+)?$")


class UndefinedReturnValue:
    """The return value of a function before a `return` ran (`retval_` of the lowered returns).
    Staging replaces it by zeros of the real return value's type where a path has not returned:
    `do_return` guards it, so that value is never observed."""

    __slots__ = ()

    def __repr__(self):
        return "<no return value>"

    def __eq__(self, other):
        return isinstance(other, UndefinedReturnValue)

    def __hash__(self):
        return hash("UndefinedReturnValue")


class _Traced(threading.local):
    def __init__(self):
        self.stack = []  # per converted function being traced: [(value, location)]


_traced = _Traced()


def enter():
    """A converted function starts running (FunctionScope): its returns are recorded apart."""
    if _core.tracing():
        _traced.stack.append([])
        return True
    return False


def leave():
    _traced.stack.pop()


def retval(value):
    """`retval_ = ag__.retval(value)`: value itself; remembers where it was returned."""
    stack = _traced.stack
    if stack and _core.tracing():
        loc = _core.user_location()
        if loc is not None:
            stack[-1].append((value, loc))
    return value


def carry(names, state, *sources):
    """A staged statement made new graph values of its state: a return value among them was
    returned where its sources (the branches' or the loop body's values) were."""
    stack = _traced.stack
    if not stack:
        return
    for i, name in enumerate(names[:len(state)]):
        if not is_retval(name):
            continue
        for src in sources:
            loc = location_of(src[i]) if src is not None and i < len(src) else None
            if loc is not None:
                stack[-1].append((state[i], loc))
                break


def is_retval(name):
    return bool(_RETVAL.match(name))


def location_of(value):
    """(file, line, source) of the `return` that produced `value`, or None."""
    for v, loc in reversed(_traced.stack[-1] if _traced.stack else ()):
        if v is value:
            return loc
    return None


def _lines():
    """The lines of the returns traced so far in the current function: ' (line 4, 9)'."""
    lines = sorted({loc[1] for _, loc in (_traced.stack[-1] if _traced.stack else ())})
    if not lines:
        return ""
    return f" (line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))})"


def describe(value):
    """'a bool', 'an int32 of shape (3,)', 'None'... for a return value."""
    if value is None:
        return "None"
    if isinstance(value, UndefinedReturnValue):
        return "nothing"
    if isinstance(value, (tuple, list)) and 0 < len(value) <= 4:
        kind = "a tuple" if isinstance(value, tuple) else "a list"
        return f"{kind} ({', '.join(describe(v) for v in value)})"
    if isinstance(value, Tensor):
        name, shape = value.dtype.name, tuple(value.shape or ())
    elif isinstance(value, (bool, int, float)):  # a Python number: the dtype it stages as
        name, shape = dtypes.as_dtype(type(value)).name, ()
    else:
        return f"a {type(value).__name__}"
    return ("an " if name[0] in "aeiou" else "a ") + name + (f" of shape {shape}" if shape else "")


def _dtype(value):
    return value.dtype if isinstance(value, Tensor) else dtypes.as_dtype(type(value))


def _difference(a, b):
    """What differs between two return values: 'dtype', 'shape' or 'structure'."""
    numbers = (Tensor, bool, int, float)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return "dtype" if _dtype(a) != _dtype(b) else "shape"
    if isinstance(a, (tuple, list)) and type(a) is type(b) and len(a) == len(b):
        kinds = {_difference(x, y) for x, y in zip(a, b) if x is not y}
        for why in ("structure", "dtype", "shape"):
            if why in kinds:
                return why
    return "structure"


def mismatch(first, second, fallback_loc):
    """StagingError: two return values, chosen between by a staged condition, cannot be one
    graph value. Named by their `return` lines, in line order; located at the earlier one."""
    pairs = sorted(((location_of(v), v) for v in (first, second)),
                   key=lambda p: p[0][1] if p[0] else 1 << 30)
    (loc_a, a), (loc_b, b) = pairs
    why = _difference(a, b)
    if isinstance(b, UndefinedReturnValue):
        return _located(
            StagingError,
            f"the function returns {describe(a)}{f' at line {loc_a[1]}' if loc_a else ''} "
            "inside staged control flow, where only tensors and numbers can be returned (the "
            "graph picks the value when it runs)", loc_a or fallback_loc)
    at = [f" at line {loc[1]}" if loc else "" for loc in (loc_a, loc_b)]
    return _located(
        StagingError,
        f"the function returns {describe(a)}{at[0]} but {describe(b)}{at[1]}, and a staged "
        f"condition decides which: give every return the same {why}"
        + (" (e.g. with ag.cast)" if why == "dtype" else ""), loc_a or fallback_loc)


def finish(fscope, value, did_return, may_fall_off):
    """`fscope.ret(...)` once some `return` ran: its value, unless a staged condition decides
    whether the function returned or reached its end (Python: None)."""
    if may_fall_off and isinstance(did_return, Tensor) and did_return.is_symbolic:
        raise _located(
            StagingError,
            f"'{fscope.function_name}' returns {describe(value)}{_lines()} on some paths but "
            "reaches its end without a return (None in Python) on others, and a staged "
            "condition decides which: add a return at the end so that every path returns a "
            "value")
    return value
