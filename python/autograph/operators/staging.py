"""A statement's state (the `get_state()` tuple of converted code) as graph values, and back.

Staged `if`/`while`/`for` hand the runtime flat lists of graph values; this module decides how
each variable becomes one and checks the rules of SPEC §3 with messages that name the user's
variable and line:

* tensors stay tensors; Python numbers become constants ("weak": a literal next to a tensor of
  the other branch or of the loop's next iteration adopts its dtype);
* a Python number whose type turns out to differ (a loop starting at `total = 0` that adds
  floats, `x = 0` in one branch and a vector in the other) is retried with the type learned
  from the trace (`Retry`), as Python's own promotion would do; a *tensor* that changes dtype or
  shape is an error;
* values that cannot be staged (None, strings, objects) may pass through a staged statement as
  long as they do not change;
* the return value of a function that has not returned yet (`UndefinedReturnValue`) becomes
  zeros of the right type, and so does a variable first assigned inside a loop body (local to
  the loop: reading it after the loop is an error); any other variable that is undefined on one
  path is an error;
* Python lists appended to inside a staged statement become runtime tensor lists.

Retrying means tracing a statement again (`traces`): the runtime's builder discards a subgraph
whose tracing raised, so a failed attempt leaves nothing behind but dead constants.
"""
import threading

import numpy as np

from .. import _core
from .. import dtypes as _dtypes
from .. import nest
from .. import structure
from ..errors import StagingError, _located
from ..tensor import Tensor
from ..tensor_array import TensorArray, element_type
from ..variables import Variable
from . import loop_options
from .retry import Learned, Retry  # (callers use staging.Retry)
from .variables import PendingLoopVariable, Undefined, UndefinedAfterStagedLoop, UndefinedReturnValue


def is_symbolic(x):
    """True for values only known when the graph runs (what makes a statement staged)."""
    if isinstance(x, Tensor):
        return x.is_symbolic
    return isinstance(x, Variable) and _core.tracing()


def is_list_tensor(x):
    return isinstance(x, Tensor) and _core.is_list(x)


# ---- tracing again, knowing more types -------------------------------------------------------
# A staged statement is traced once when its types are known on entry. The runtime's Cond and
# While fix the dtype and shape of every value they carry before the branches or the body are
# traced, and three things are only known from that trace:
# 1. weak numbers: a variable that is a Python number on entry (`total = 0`) takes the dtype the
#    statement gives it (`total += x` with a float tensor x), SPEC §3's weak typing; a number in
#    the true branch of an if and a tensor in the false branch likewise;
# 2. return values: after a `return` inside a staged loop or in one branch of a staged if, the
#    function's return value has no type (UndefinedReturnValue) until the traced code returns
#    one, nor a structure (a tuple of tensors, say);
# 3. Python lists: an inner staged statement appends to a list the outer one carries, so the
#    outer one must carry it as a runtime tensor list from its entry;
# 4. loop-local variables: one first assigned in a loop body (Undefined on entry) is carried as
#    a placeholder whose type the body (or a staged if in it) tells (PendingLoopVariable);
# 5. shapes: a loop variable whose size changes, or a set_loop_options call in the body, asks
#    for a relaxed shape (loop_options.py).
# A trace that finds one raises Retry with what it learned, and the statement traces again.
# Each Retry teaches a type that was unknown or weak; MAX_TRACES only guards against a bug that
# would teach the same thing forever (tests/python/test_retrace.py has one case of each kind).
MAX_TRACES = 16


def traces(init, set_state, what, loc):
    """The traces of a statement whose state is `init`, as context managers:

        for attempt in staging.traces(init, set_state, "if", loc):
            with attempt:
                ...  # trace once from attempt.entry; return the result

    A Retry for this statement out of the `with` restores the state and the loop traces again
    (see above); anything else propagates. The traced code runs in the caller's frame (this
    generator is suspended meanwhile), so a retry loop adds no frames to a deep recursion."""
    learned = Learned()
    for _ in range(MAX_TRACES):
        entry, list_ids = convert_lists(init, learned.lists)
        attempt = _Attempt(entry, list_ids, learned, init, set_state)
        yield attempt
        if attempt.done:
            return
    raise error(f"internal: staging this {what} did not converge", loc)


class _Attempt:
    """One trace of a statement: its entry state (`entry`: Python lists to stage already tensor
    lists), the ids of its other Python lists, and what earlier traces taught (`learned`)."""

    __slots__ = ("entry", "list_ids", "learned", "_init", "_set_state", "done")

    def __init__(self, entry, list_ids, learned, init, set_state):
        self.entry = entry
        self.list_ids = list_ids
        self.learned = learned
        self._init = init
        self._set_state = set_state
        self.done = False

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.done = True
            return False
        if not issubclass(exc_type, Retry):
            return False
        self._set_state(self._init)
        return self.learned.absorb(exc, self.list_ids)  # True: swallowed, trace again


class _Tracing(threading.local):
    def __init__(self):
        # One entry per staged statement being traced: ids of the Python lists its state
        # carries (an append to one of them must make it a tensor list).
        self.active = []


_tls = _Tracing()


def staged_depth():
    """How many staged statements are being traced around the current code."""
    return len(_tls.active)


def carried_list(lst):
    """True when `lst` is a Python list carried by a staged statement being traced."""
    i = id(lst)
    return any(i in ids for ids in _tls.active)


class active:
    """Context: tracing the body of a staged statement whose state carries `list_ids`."""

    __slots__ = ("ids",)

    def __init__(self, list_ids):
        self.ids = list_ids

    def __enter__(self):
        _tls.active.append(self.ids)

    def __exit__(self, *exc):
        _tls.active.pop()
        return False


def error(message, location=None):
    return _located(StagingError, message, location)


def location():
    """(file, line, source) of the user's statement being staged (the converted code's frame
    carries the original positions)."""
    return _core.user_location()


def where(loc):
    return f" at line {loc[1]}" if loc else ""


def unsupported(opts, what, loc):
    """StagingError for a staged loop/if that assigns global variables (`opts['globals']`).
    (`try` and `with` inside one are not reported: they run while it is traced.)"""
    if opts and opts.get("globals"):
        raise error(
            f"{what}{where(loc)} assigns the global variable {opts['globals']}: the staged "
            "statement runs in the graph, which cannot update a Python global (Python would "
            "update it on every iteration or call); return the value from the function, or "
            "keep it in an ag.Variable", loc)


# ---- leaves ----------------------------------------------------------------------------------
_PY_SCALARS = (bool, int, float, np.bool_, np.number)
_TEXT = (str, bytes)  # Python strings: string tensors where they change (SPEC §3)


# A statement's state may also hold the placeholders of variables not defined yet.
LEAF_TYPES = structure.LEAF_TYPES + (Undefined, UndefinedReturnValue)


def _is_leaf(x):
    return isinstance(x, LEAF_TYPES)


def _kind(dtype):
    return 0 if dtype.is_bool else 1 if dtype.is_integer else 2


def _py_kind(value):
    if isinstance(value, (bool, np.bool_)):
        return 0
    if isinstance(value, (int, np.integer)):
        return 1
    return 2


def _default_dtype(value):
    if isinstance(value, (np.number, np.bool_)):
        return _dtypes.as_dtype(np.asarray(value).dtype)
    return _dtypes.as_dtype(type(value))


def _known(shape):
    return shape is not None and all(d is not None and d >= 0 for d in shape)


def constant(value, dtype, shape=()):
    """Python scalar `value` as a tensor of `dtype`, broadcast to `shape` (unknown dims as 0)."""
    shape = tuple(0 if d is None or d < 0 else d for d in (shape or ()))
    if not shape:
        return _core.constant(value, dtype)
    np_dtype = object if dtype == _dtypes.string else np.dtype(dtype.name)
    return _core.constant(np.full(shape, value, dtype=np_dtype))


def zeros(dtype, shape):
    return constant("" if dtype == _dtypes.string else False if dtype.is_bool else 0, dtype,
                    shape)


def _dummy():
    # The graph value standing for a return value no path has produced yet.
    return _core.constant(False)


def refines(entry_shape, shape):
    """True when `shape` fits a loop variable typed `entry_shape`: same rank, and equal where
    `entry_shape` is known (the runtime's rule: a dim the body leaves unknown, e.g. out of a
    Cond whose branches differ, does not fit a known one)."""
    if entry_shape is None or shape is None:
        return True
    if len(entry_shape) != len(shape):
        return False
    return all(a is None or a == b for a, b in zip(entry_shape, shape))


def describe(x):
    if isinstance(x, Tensor):
        if is_list_tensor(x):
            return "a tensor list"
        return f"{_a(x.dtype.name)} tensor of shape {x.shape}"
    if isinstance(x, Undefined):
        return "undefined"
    if isinstance(x, UndefinedReturnValue):
        return "not returned yet"
    if isinstance(x, TensorArray):
        return "a TensorArray"
    if isinstance(x, _PY_SCALARS):
        return f"the Python {type(x).__name__} {x!r}"
    return f"a Python {type(x).__name__} ({x!r:.40})"


def _same_static(a, b):
    if a is b:
        return True
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        return False
    try:
        return bool(type(a) is type(b) and a == b)
    except Exception:  # noqa: BLE001 - objects with odd __eq__ are simply "different"
        return False


# ---- entry conversion of Python lists -------------------------------------------------------
def list_spec(lst, requested):
    """(dtype, shape) of the elements of Python list `lst` if it must become a tensor list."""
    spec = requested.get(id(lst))
    if spec is None:
        spec = element_type(lst)
    return spec


def to_tensor_list(lst, spec):
    """A runtime tensor list holding the elements of Python list `lst`."""
    dtype, shape = spec
    if shape is None and lst:
        shape = _core.constant(lst[0]).shape
    handle = _core.list_new(dtype, list(shape or ()), None, True)
    for item in lst:
        handle = _core.list_push_back(handle, cast(item, dtype))
    return handle


def cast(value, dtype):
    """`value` as `dtype`; a weakly typed tensor stays weak (a Python number converted to another
    kind is still a Python number)."""
    if isinstance(value, Tensor):
        if value.dtype != dtype:
            from .. import ops

            return weak_where([ops.cast(value, dtype)], [is_weak_value(value)])[0]
        return value
    return _core.constant(value, dtype)


def convert_lists(values, requested):
    """`values` with the Python lists to stage replaced by tensor lists; the ids of the
    remaining Python lists (an append to one asks for a retry)."""
    out, ids = [], {}
    for v in values:
        if type(v) is list:
            spec = list_spec(v, requested)
            if spec is not None:
                v = to_tensor_list(v, spec)
            else:
                ids[id(v)] = id(v)
        out.append(v)
    return tuple(out), ids


def alias_lists(list_ids, entry, state):
    """Python lists rebuilt from the entry's (loop variables are re-packed) answer for them."""
    for a, b in zip(entry, state):
        if type(a) is list and type(b) is list and id(a) in list_ids:
            list_ids[id(b)] = id(a)


def list_retry(owner, entry_values, exit_values):
    """Retry when a Python list of the entry came back as a tensor list (an inner statement
    staged appends to it)."""
    lists = {}
    for a, b in zip(entry_values, exit_values):
        if type(a) is list and is_list_tensor(b):
            lists[id(a)] = (b.dtype, tuple(b.shape))
    if lists:
        raise Retry(owner, lists=lists)


# ---- leaves of a state (structure.py flattens and packs) ---------------------------------------
Leaf = structure.Leaf


def flatten(values):
    """(leaves, owners, treedefs) of a state: the leaves of each variable, and which variable
    each leaf belongs to."""
    return structure.flatten(values, LEAF_TYPES)


def is_weak_value(value):
    """A leaf the program holds as a Python number: a number itself, a weakly typed graph value
    (a range counter, a number on every path of an earlier staged if) or a loop parameter that
    entered as a number."""
    if isinstance(value, _PY_SCALARS) or isinstance(value, UndefinedReturnValue):
        return True  # (an undefined return value is never observed: it does not decide)
    return isinstance(value, Tensor) and (_core.is_weak(value) or loop_options.is_weak(value))


def weak_where(values, weak_flags):
    """`values` with those whose every source was weak marked weakly typed."""
    return [_core.weakly_typed(v) if w and isinstance(v, Tensor) else v
            for v, w in zip(values, weak_flags)]


def first(value, hint):
    """(Leaf, graph value or None) for a leaf with no reference (loop entry, true branch)."""
    if isinstance(value, Variable):
        return Leaf("static", static=value), None
    if isinstance(value, Tensor):
        if hint is not None and not is_list_tensor(value) and value.dtype != hint[0]:
            value = cast(value, hint[0])
        return Leaf("tensor", value.dtype, tuple(value.shape), weak=is_weak_value(value)), value
    if isinstance(value, TensorArray):
        return Leaf("ta", template=value), value._ensure_handle()
    if isinstance(value, UndefinedReturnValue):
        if hint is None:
            return Leaf("ret", static=value), _dummy()
        return Leaf("tensor", hint[0], hint[1]), zeros(hint[0], hint[1])
    if isinstance(value, Undefined):
        return Leaf("undef", static=value), None
    if isinstance(value, _TEXT):
        # A Python string a staged statement assigns: a string tensor, as TensorFlow converts
        # loop variables (at once, not on a retry: the trace's Python prints happen once).
        t = constant(value, _dtypes.string, hint[1] if hint is not None else ())
        return Leaf("tensor", t.dtype, tuple(t.shape)), t
    if isinstance(value, _PY_SCALARS) or isinstance(value, np.ndarray):
        if isinstance(value, np.ndarray):
            t = _core.constant(value)
            return Leaf("tensor", t.dtype, tuple(t.shape)), t
        if hint is not None and _kind(hint[0]) >= _py_kind(value):
            t = constant(value, hint[0], hint[1])
        else:
            t = _core.constant(value, _default_dtype(value))
        return Leaf("tensor", t.dtype, tuple(t.shape), weak=True), t
    return Leaf("static", static=value), None


def follow(ref, value, name, what, loc, owner, j, relax_shape):
    """The graph value for `value`, which must match `ref` (the same leaf on the other branch,
    or at loop entry). Raises Retry when `ref` was weak and `value` says what it should be."""
    if ref.kind == "static":
        if isinstance(value, (Tensor, TensorArray)) or not _same_static(ref.static, value):
            raise error(
                f"'{name}' is {describe(ref.static)} {what[0]} but {describe(value)} {what[1]}"
                f"{where(loc)}; only tensors and numbers can change in a staged statement",
                loc)
        return None
    if ref.kind == "undef":
        if isinstance(value, Undefined):
            return None
        _pending_retry(ref.static, value)
        raise error(
            f"'{name}' is defined {what[1]} but not {what[0]} of the staged {what[2]}"
            f"{where(loc)}; it is used afterwards, so define it on every path (e.g. assign it "
            f"before the {what[2]})", loc)
    if ref.kind == "ret" and isinstance(ref.static, PendingLoopVariable):
        return _pending_loop_value(ref, value, name, what, loc)
    if isinstance(value, Undefined):
        if ref.kind == "tensor":
            _pending_retry(value, None, (ref.dtype, ref.shape))
        raise error(
            f"'{name}' is defined {what[0]} but not {what[1]} of the staged {what[2]}"
            f"{where(loc)}; it is used afterwards, so define it on every path (e.g. assign it "
            f"before the {what[2]})", loc)
    if ref.kind == "ret":
        if isinstance(value, UndefinedReturnValue):
            return _dummy()
        if isinstance(value, Tensor):
            raise Retry(owner, hints={j: (value.dtype, tuple(value.shape))})
        if isinstance(value, _PY_SCALARS):
            raise Retry(owner, hints={j: (_default_dtype(value), ())})
        if isinstance(value, _TEXT):
            raise Retry(owner, hints={j: (_dtypes.string, ())})
        raise error(f"the return value {what[1]} is {describe(value)}; a staged function can "
                    "only return tensors from inside staged control flow", loc)
    if ref.kind == "ta":
        if not isinstance(value, TensorArray):
            raise error(f"'{name}' is a TensorArray {what[0]} but {describe(value)} {what[1]}",
                        loc)
        return value._ensure_handle()
    # ref is a tensor
    if isinstance(value, UndefinedReturnValue):
        return zeros(ref.dtype, ref.shape)
    if isinstance(value, Variable):
        value = value.read_value()
    if isinstance(value, _TEXT) and ref.dtype == _dtypes.string:
        value = _core.constant(value)
    if isinstance(value, (_PY_SCALARS)) and ref.dtype != _dtypes.string:
        if _py_kind(value) <= _kind(ref.dtype):
            if ref.shape and _known(ref.shape):
                return constant(value, ref.dtype, ref.shape)
            if not ref.shape:
                return _core.constant(value, ref.dtype)
        value = _core.constant(value, _default_dtype(value))
    if isinstance(value, np.ndarray):
        value = _core.constant(value)
    if not isinstance(value, Tensor):
        raise error(f"'{name}' is {_ref_text(ref)} {what[0]} but {describe(value)} {what[1]}"
                    f"{where(loc)}; a staged statement can only carry tensors", loc)
    if is_list_tensor(value):
        return value
    shape = tuple(value.shape)
    ok_shape = refines(ref.shape, shape) if relax_shape else (
        ref.shape is None or len(ref.shape) == len(shape))
    if value.dtype == ref.dtype and ok_shape:
        return value
    if ref.weak and _kind(value.dtype) >= _kind(ref.dtype):
        raise Retry(owner, hints={j: (value.dtype, shape)})
    if relax_shape and value.dtype == ref.dtype and ref.shape is not None and len(
            ref.shape) == len(shape):
        # SPEC §3: a loop variable whose size changes gets unknown dims where it changes.
        new = loop_options.relaxed(ref.shape, shape)
        loop_options.note(loop_options.ShapeRelaxation(name, loc[1] if loc else None,
                                                       tuple(ref.shape), new))
        raise Retry(owner, shapes={j: new})
    if is_weak_value(value) and _kind(value.dtype) <= _kind(ref.dtype) and ok_shape:
        return cast(value, ref.dtype)  # a weak number left unchanged on this path
    change = "dtype" if value.dtype != ref.dtype else "shape"
    if what[2] == "if":
        raise error(
            f"'{name}' has a different {change} in the two branches of the staged if"
            f"{where(loc)}: {_ref_text(ref)} {what[0]} but {describe(value)} {what[1]}; "
            f"give it the same {change} in both branches"
            + (" (e.g. with ag.cast)" if change == "dtype" else ""), loc)
    raise error(
        f"'{name}' changes {change} in the staged {what[2]}{where(loc)}: it is "
        f"{_ref_text(ref)} {what[0]} but {describe(value)} {what[1]}; "
        + ("keep its dtype the same (initialize it with the right type, e.g. 0.0 instead of 0, "
           "or use ag.cast)" if change == "dtype" else
           "keep its rank the same on every path (sizes may change: they are relaxed)"), loc)


def _spec(value):
    """(dtype, shape) a placeholder for `value` needs, or None when it is not a number."""
    if isinstance(value, Tensor) and not is_list_tensor(value):
        return value.dtype, tuple(value.shape)
    if isinstance(value, _PY_SCALARS):
        return _default_dtype(value), ()
    return None


def _pending_retry(undefined, value, spec=None):
    """Retry for the staged loop whose body first assigns `undefined` (a PendingLoopVariable)
    where a staged if inside it defines it on one path as `value` (or with `spec`)."""
    if isinstance(undefined, PendingLoopVariable):
        spec = spec or _spec(value)
        if spec is not None:
            raise Retry(undefined.owner, hints={undefined.index: spec})


def _pending_loop_value(ref, value, name, what, loc):
    """The body's value of a variable first assigned in a staged loop, traced before its type
    was known: a Retry with its type (a placeholder of that type enters the loop next time)."""
    if isinstance(value, Undefined):
        return _dummy()
    spec = _spec(value)
    if spec is None:
        raise error(
            f"'{name}' is first assigned inside the staged {what[2]}{where(loc)} and read in "
            f"a later iteration, but it is {describe(value)}; a staged loop can only carry "
            f"tensors and numbers (assign it before the loop)", loc)
    raise Retry(ref.static.owner, hints={ref.static.index: spec})


def pending_structure(a, b):
    """Retry when one of `a`, `b` (a variable's values on the two paths of a staged if) is a
    PendingLoopVariable and the other a structure (a tuple of tensors, say)."""
    for p, other in ((a, b), (b, a)):
        if isinstance(p, PendingLoopVariable) and not isinstance(other, Undefined):
            raise Retry(p.owner, structs={p.var: template(other)})


def pending(name, owner, index, var, hint):
    """(Leaf, graph value) at loop entry for a variable first assigned in the loop body:
    zeros of the type an earlier trace learned (`hint`), or a placeholder to learn it."""
    if hint is None:
        return Leaf("ret", static=PendingLoopVariable(name, owner, index, var)), _dummy()
    return Leaf("tensor", hint[0], hint[1], weak=True), zeros(hint[0], hint[1])


def after_loop(name, what, loc):
    return UndefinedAfterStagedLoop(name, what, loc[1] if loc else None)


def _ref_text(ref):
    return f"{_a(ref.dtype.name)} tensor of shape {ref.shape}"


def _a(word):
    return ("an " if word[0] in "aeiou" else "a ") + word


def as_bool(value, what, loc):
    """A loop condition as a scalar bool graph value."""
    if isinstance(value, Variable):
        value = value.read_value()
    if isinstance(value, Tensor):
        if value.shape not in ((), None) and len(value.shape) != 0:
            raise error(f"the condition of the staged {what}{where(loc)} must be a scalar, got "
                        f"{describe(value)} (use ag.reduce_all / ag.reduce_any)", loc)
        if not value.dtype.is_bool:
            from .. import ops

            value = ops.not_equal(value, 0)
        return value
    return _core.constant(bool(value))


def template(value):
    """A function making zeros with the structure, dtypes and shapes of `value` (stands for a
    return value on paths that have not returned). A weak scalar (a Python number, a weakly typed
    tensor) stands as a Python zero of its kind, so that `return (a, 0)` in a staged loop still
    unifies with `return (a, a)` after it, as Python's numbers do."""
    leaves, tree = nest.flatten(value, _is_leaf)
    specs = []
    for leaf in leaves:
        if isinstance(leaf, Tensor) and not (is_weak_value(leaf) and not leaf.shape):
            specs.append((leaf.dtype, tuple(leaf.shape)))
        elif isinstance(leaf, _PY_SCALARS + (Tensor,)):
            dtype = leaf.dtype if isinstance(leaf, Tensor) else _default_dtype(leaf)
            specs.append(False if dtype.is_bool else 0 if dtype.is_integer else 0.0)
        else:
            specs.append(None)

    def make():
        return nest.pack(tree, [zeros(*s) if isinstance(s, tuple) else s for s in specs])

    return make


def zeros_for(infos, owners, tree, i):
    """Zeros shaped like variable `i` of a recorded state (its leaves' infos)."""
    leaves = [zeros(info.dtype, info.shape) if info.kind == "tensor" else None
              for info, o in zip(infos, owners) if o == i]
    return nest.pack(tree, leaves)


__all__ = ["is_symbolic", "Retry", "staged_depth", "carried_list", "active", "error",
           "location", "unsupported"]
