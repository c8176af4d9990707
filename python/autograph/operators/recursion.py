"""Recursive functions staged as graph functions (SPEC §3: a `call` op, not an endless trace).

While tracing, both branches of a staged `if` run, so a function whose stopping test is a tensor
would inline itself for ever. Instead, when a converted function is called again, with the same
Python arguments and symbolic tensors, while an inlined call of it is still being traced, that
outer call starts over (`Restart`, a BaseException so that a user's `except Exception` in the
traced code cannot swallow it): the function is traced once more as a graph function of its own
(a separate top-level graph whose params are its tensor arguments), its recursive calls inside
become `call` nodes referring to that graph, and the outer call becomes a `call` node too. The
executor runs a call in a fresh frame (runtime/exec/call.cpp), at most 1,000 deep.

A recursive call's result type must be known when it is traced, before the function's trace is
finished: it is the type of the first `return` traced so far in the function (TensorFlow's rule:
the base case comes first). The function is traced again, at most a few times, when its real
result type or its arguments' shapes turn out to differ from what was assumed (a dimension that
changes between calls becomes unknown)."""
import threading

from .. import _core, dtypes, nest, structure
from ..errors import StagingError, _located
from ..tensor import Tensor
from . import returns

# Traces of one function as a graph function before giving up on agreeing types.
_MAX_ATTEMPTS = 4


class Restart(BaseException):
    """Internal: the call `frame` of a converted function recursed; it is staged as a graph
    function instead of inlined."""

    def __init__(self, frame):
        super().__init__("restart")
        self.frame = frame


class _Relax(BaseException):
    """Internal: a recursive call passed tensors of other shapes than the graph function's params:
    trace it again with `specs`."""

    def __init__(self, function, specs):
        super().__init__("relax")
        self.function = function
        self.specs = specs


class _State(threading.local):
    def __init__(self):
        self.frames = {}  # code -> [Frame] of the inlined calls running
        self.building = {}  # code -> [_GraphFunction] being traced


_state = _State()


class Frame:
    """One call of a converted function while tracing. Its signature is worked out only when
    the function is called again inside it (most calls never are)."""

    __slots__ = ("code", "args", "kwargs", "_signature")

    def __init__(self, code, args, kwargs, signature=None):
        self.code = code
        self.args, self.kwargs = args, kwargs
        self._signature = signature

    def signature(self):
        """(key, whether a symbolic tensor is among the arguments)."""
        if self._signature is None:
            self._signature = _signature(*_flatten(self.args, self.kwargs))
        return self._signature


def _flatten(args, kwargs):
    leaves, tree = nest.flatten((tuple(args), dict(kwargs)), structure.is_leaf)
    return leaves, tree


def _key(leaves, tree):
    """What must be equal for two calls to be one graph function: the structure, the Python
    values (other objects: the same object) and the tensors' dtypes (not their shapes: those
    are relaxed)."""
    parts = []
    for x in leaves:
        if isinstance(x, Tensor):
            parts.append(("T", x.dtype._code))
        elif x is None or isinstance(x, (bool, int, float, str, bytes)):
            parts.append((type(x), x))
        else:
            parts.append(("id", id(x)))
    return (repr(tree), tuple(parts))


def _signature(leaves, tree):
    return _key(leaves, tree), any(isinstance(x, Tensor) and x.is_symbolic for x in leaves)


def enter(code, args, kwargs):
    """Called before running an inlined call of a converted function while tracing: the
    graph function to call instead (a _GraphFunction), or the Frame of this call. Raises Restart
    when an enclosing call of the same function, with the same signature, is still running."""
    building, frames = _state.building.get(code), _state.frames.get(code)
    if not building and not frames:  # the common case: not a recursion
        _state.frames[code] = [Frame(code, args, kwargs)]
        return _state.frames[code][0]
    key, symbolic = _signature(*_flatten(args, kwargs))
    for fn in reversed(building or ()):
        if fn.key == key:
            return fn
    if symbolic:
        for frame in reversed(frames or ()):
            if frame.signature() == (key, True):
                raise Restart(frame)
    frame = Frame(code, args, kwargs, (key, symbolic))
    _state.frames.setdefault(code, []).append(frame)
    return frame


def leave(frame):
    stack = _state.frames[frame.code]
    stack.pop()
    if not stack:
        del _state.frames[frame.code]


class _GraphFunction:
    """A recursive function traced as a graph function: its trace and the types assumed so far."""

    def __init__(self, code, key, name, specs, results, out_tree):
        self.code = code
        self.key = key
        self.name = name
        self.specs = specs  # [(dtype, shape)] of the tensor params
        self.results = results  # [(dtype, shape)] assumed for the result leaves, or None
        self.out_tree = out_tree  # their structure (set with results)
        self.traced_tree = None  # the structure of what the trace returned
        self.returns_depth = 0  # index of the function's entry in returns' stack
        self.trace = _core.Trace(name)

    def call(self, args, kwargs):
        """A recursive call, from inside the function's own trace: a call node."""
        leaves, _ = _flatten(args, kwargs)
        tensors = self._arguments(leaves)
        if self.results is None:
            self.results, self.out_tree = self._results_so_far()
        out = _core.call_function(self.trace, tensors, self.results, False)
        return _pack(self.out_tree, out)

    def _arguments(self, leaves):
        tensors = [x for x in leaves if isinstance(x, Tensor)]
        relaxed, changed = [], False
        for (dtype, shape), t in zip(self.specs, tensors):
            got = tuple(t.shape)
            if len(got) != len(shape):
                raise _located(
                    StagingError,
                    f"'{self.name}' calls itself with a tensor of rank {len(got)} where its "
                    f"first call had rank {len(shape)}: a staged recursion keeps each "
                    "argument's rank")
            dims = tuple(a if a == b else None for a, b in zip(shape, got))
            changed = changed or dims != shape
            relaxed.append((dtype, dims))
        if changed:
            raise _Relax(self, relaxed)
        return tensors

    def _results_so_far(self):
        """The result types of the first `return` traced in the function (its base case)."""
        stack = returns._traced.stack
        recorded = stack[self.returns_depth] if len(stack) > self.returns_depth else []
        for value, _ in recorded:
            leaves, tree = nest.flatten(value, structure.is_leaf)
            if leaves and all(isinstance(x, (Tensor, bool, int, float)) for x in leaves):
                return [self._spec_of(x) for x in leaves], tree
        raise _located(
            StagingError,
            f"'{self.name}' calls itself before any of its returns was traced, so the type of "
            "the recursive call's result is unknown: put the base case (a return that does not "
            "recurse, such as `if n <= 1: return n`) before the recursive call")

    def _spec_of(self, x):
        if isinstance(x, Tensor):
            return (x.dtype, tuple(x.shape))
        # A Python number takes the dtype of the tensor params of its kind (weak typing), the
        # guess checked when the trace ends.
        for dtype, _ in self.specs:
            if (isinstance(x, bool) == dtype.is_bool and isinstance(x, float) == dtype.is_floating
                    and (isinstance(x, (bool, float)) or dtype.is_integer)):
                return (dtype, ())
        return (dtypes.as_dtype(type(x)), ())


def _pack(tree, tensors):
    return nest.pack(tree, iter(tensors))


def stage(frame, name, target, args, kwargs):
    """The call `frame` (of target(*args, **kwargs)) recursed: traces the function as a graph
    function and returns the results of a call node in the enclosing trace."""
    leaves, tree = _flatten(args, kwargs)
    specs = [(x.dtype, tuple(x.shape)) for x in leaves if isinstance(x, Tensor)]
    results = out_tree = None
    for _ in range(_MAX_ATTEMPTS):
        fn = _GraphFunction(frame.code, frame.signature()[0], name, specs, results, out_tree)
        try:
            outputs = _trace_body(fn, leaves, tree, target)
        except _Relax as r:
            if r.function is not fn:
                raise
            specs = r.specs
            continue
        got = [(t.dtype, tuple(t.shape)) for t in outputs]
        if fn.results is None or _fits(got, fn.results):
            if fn.results is None:  # it never called itself this time: plain results
                fn.results = got
            tensors = [x for x in leaves if isinstance(x, Tensor)]
            out = _core.call_function(fn.trace, tensors, fn.results, True)
            return _pack(fn.out_tree, out)
        # Trace again assuming what this trace returned (dimensions that differ: unknown).
        results = [_join(a, b) for a, b in zip(got, fn.results)] if len(got) == len(
            fn.results) else got
        out_tree = fn.traced_tree
    raise _located(
        StagingError,
        f"'{name}' returns values whose types keep changing between its recursive calls "
        f"(last: {', '.join(f'{d.name}{s}' for d, s in got)}): give every return the same dtype "
        "and rank")


def _trace_body(fn, leaves, tree, target):
    """Runs target on placeholders inside fn's trace; the result tensors (fn.out_tree set)."""
    building = _state.building.setdefault(fn.code, [])
    building.append(fn)
    # Inlined calls of enclosing traces are not this trace's: a call matching one of them inside
    # the graph function is a recursion of its own.
    saved_frames, _state.frames = _state.frames, {}
    try:
        with fn.trace:
            it = iter(fn.specs)
            staged = []
            for x in leaves:
                if isinstance(x, Tensor):
                    dtype, shape = next(it)
                    staged.append(fn.trace.placeholder(dtype, list(shape), ""))
                else:
                    staged.append(x)
            call_args, call_kwargs = nest.pack(tree, iter(staged))
            fn.returns_depth = len(returns._traced.stack)
            out = target(*call_args, **call_kwargs)
            out_leaves, out_tree = nest.flatten(out, structure.is_leaf)
            outputs = []
            for x in out_leaves:
                if not isinstance(x, (Tensor, bool, int, float)):
                    raise _located(
                        StagingError,
                        f"'{fn.name}' calls itself with a tensor stopping test and returns "
                        f"{returns.describe(x)}: a staged recursive function returns tensors "
                        "or numbers")
                outputs.append(x if isinstance(x, Tensor) else _core.graph_constant(x))
            if fn.results is not None and len(outputs) == len(fn.results):
                # A Python number returned where the recursion assumed a tensor dtype.
                from ..ops import cast

                outputs = [o if o.dtype == d else cast(o, d) if not isinstance(x, Tensor) else o
                           for o, x, (d, _) in zip(outputs, out_leaves, fn.results)]
            fn.traced_tree = out_tree
            if fn.out_tree is None:
                fn.out_tree = out_tree
            fn.trace.set_outputs(outputs)
            return outputs
    finally:
        _state.frames = saved_frames
        building.pop()
        if not building:
            del _state.building[fn.code]


def _fits(got, assumed):
    """Whether results of types `got` can be typed as `assumed` (dims it leaves unknown)."""
    if len(got) != len(assumed):
        return False
    for (dg, sg), (da, sa) in zip(got, assumed):
        if dg != da or len(sg) != len(sa):
            return False
        if any(a is not None and a != g for g, a in zip(sg, sa)):
            return False
    return True


def _join(got, assumed):
    (dg, sg), (_, sa) = got, assumed
    if len(sg) != len(sa):
        return got
    return (dg, tuple(g if g == a else None for g, a in zip(sg, sa)))
