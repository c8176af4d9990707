"""Explicit control flow: `ag.cond` and `ag.while_loop`.

Eagerly (no staged function being traced) both simply run Python. While tracing they build the
runtime's functional Cond/While: each callable is traced once inside a nested subgraph scope of
the GraphBuilder, values of enclosing scopes are captured automatically, and the results are
restored to the callables' nested structure. Converted code stages `if`/`while`/`for` through
the ag__ operators (operators/control_flow.py), which build the same Cond/While.
"""
import numbers

import numpy as np

from . import _core
from . import nest
from . import ops
from . import structure
from .errors import StagingError, staging_error
from .tensor import Tensor
from .tensor_array import TensorArray
from .variables import Variable


class _Flat:
    """A value's leaves as graph values (structure.py), with what is needed to rebuild it. Every
    leaf is staged: a tensor, a number (a constant), a Variable (its value) or a TensorArray."""

    def __init__(self, value, what, reference=None, dtypes=None):
        # dtypes: leaf index -> the dtype a weak leaf takes (learned from the other branch).
        leaves, _, self._trees = structure.flatten([value])
        self.treedef = self._trees[0]
        self.infos = []
        self.values = []
        self.weak = []  # per leaf: a Python number or weakly typed tensor (its dtype may adapt)
        for i, leaf in enumerate(leaves):
            ref = reference.values[i] if reference is not None and i < len(reference.values) \
                else None
            self.infos.append(structure.Leaf("ta", template=leaf)
                              if isinstance(leaf, TensorArray) else structure.Leaf("tensor"))
            self.weak.append(_is_weak(leaf))
            v = _as_value(leaf, what, ref)
            if dtypes and i in dtypes and v.dtype != dtypes[i]:
                v = _core.constant(leaf, dtypes[i]) if isinstance(leaf, _PY_NUMBERS) else \
                    ops.cast(v, dtypes[i])
            self.values.append(v)

    def pack(self, values):
        return structure.pack(self.infos, self._trees, values)[0]


def _as_value(leaf, what, reference=None):
    if isinstance(leaf, TensorArray):
        if leaf._items is not None and leaf._handle is None:
            raise staging_error(
                f"{what}: a TensorArray made outside the staged function cannot be a loop "
                "variable or branch result; create it inside")
        return leaf._ensure_handle()
    if isinstance(leaf, Variable):
        return leaf.read_value()
    if isinstance(leaf, Tensor):
        return leaf
    if isinstance(leaf, (bool, numbers.Number, np.ndarray, np.generic)):
        if isinstance(reference, Tensor) and isinstance(leaf, (bool, int, float)):
            # A Python literal next to a tensor of the other branch / loop variable adopts its
            # dtype when of the same kind (weak scalars).
            return _weak_constant(leaf, reference)
        return _core.constant(leaf)
    raise staging_error(
        f"{what}: a value of type {type(leaf).__name__} ({leaf!r:.40}) cannot be staged; only "
        "tensors, numbers, TensorArrays and tuples/lists/dicts of them can")


def _weak_constant(value, reference):
    kind = 0 if isinstance(value, bool) else 1 if isinstance(value, int) else 2
    if kind <= _kind(reference.dtype):
        return _core.constant(value, reference.dtype)
    return _core.constant(value)


_PY_NUMBERS = (bool, int, float)


def _kind(dtype):
    return 0 if dtype.is_bool else 1 if dtype.is_integer else 2


def _is_weak(leaf):
    """A Python number, or a graph value the program holds as one (SPEC §3's weak typing)."""
    if isinstance(leaf, Tensor):
        return _core.is_weak(leaf)
    return isinstance(leaf, _PY_NUMBERS) and not isinstance(leaf, np.generic)


# ---- cond --------------------------------------------------------------------------------
def cond(pred, true_fn=None, false_fn=None, name=None):
    """true_fn() if pred else false_fn(); staged as a functional Cond when pred is symbolic."""
    if true_fn is None or false_fn is None:
        raise TypeError("cond: both true_fn and false_fn are required")
    if isinstance(pred, Variable):
        pred = pred.read_value()
    if not (isinstance(pred, Tensor) and pred.is_symbolic):
        # A value known now (eager tensor or Python bool): only one branch exists.
        return true_fn() if bool(pred) else false_fn()
    # Weak typing (SPEC §3): a result that is a Python number (or weakly typed) on one side takes
    # the dtype of the other side's when that is of a higher kind (`f() if c else 1.25` with f
    # returning 4 is a float32). The false branch adapts as it is traced; the true branch,
    # traced first, is traced once more knowing the dtype (_Unify).
    return _unifying(lambda dtypes, last: _cond_once(pred, true_fn, false_fn, dtypes, last))


class _Unify(Exception):
    """Internal: trace a cond (a while_loop) again with the true branch's results (the loop
    variables on entry) that are Python numbers cast to `dtypes`."""

    def __init__(self, dtypes):
        super().__init__("unify")
        self.dtypes = dtypes


# Each retrace moves a number one kind up (bool < int < float); a few suffice for any chain.
_MAX_TRACES = 4


def _unifying(trace_once):
    """trace_once(dtypes, last) until no weak value must take a higher kind (_Unify); the last
    try leaves a remaining difference to the runtime's error."""
    dtypes = {}
    for attempt in range(_MAX_TRACES):
        try:
            return trace_once(dtypes, attempt == _MAX_TRACES - 1)
        except _Unify as u:
            dtypes.update(u.dtypes)
    raise AssertionError("unreachable")  # the last attempt raises no _Unify


def _cond_once(pred, true_fn, false_fn, dtypes, last):
    flats = {}

    def branch(fn, key):
        def trace():
            out = fn()
            ref = flats.get("then")
            flat = _Flat(out, f"cond ({key} branch)", ref, dtypes if ref is None else None)
            if ref is not None and flat.treedef != ref.treedef:
                raise staging_error(
                    "cond: the branches return different structures: true_fn returns "
                    f"{nest.describe(ref.treedef)}, false_fn returns {nest.describe(flat.treedef)}"
                    " (return the same variables from both, e.g. define the variable before "
                    "the if)")
            if ref is not None:
                _unify(ref, flat, last)
            flats[key] = flat
            return flat.values

        return trace

    values = _core.cond(pred, branch(true_fn, "then"), branch(false_fn, "else"))
    return flats["then"].pack(_both_weak(values, flats["then"], flats["else"]))


def _unify(first, later, last):
    """`later`'s weak values cast to `first`'s dtypes (the false branch's to the true branch's,
    the loop body's to the loop variables'); _Unify when a weak value of `first` must take
    `later`'s higher kind."""
    need = {}
    for i, (a, b) in enumerate(zip(first.values, later.values)):
        if first.infos[i].kind != "tensor" or a.dtype == b.dtype:
            continue
        if later.weak[i] and _kind(b.dtype) <= _kind(a.dtype):
            later.values[i] = ops.cast(b, a.dtype)
        elif first.weak[i] and _kind(a.dtype) <= _kind(b.dtype):
            need[i] = b.dtype
    if need and not last:
        raise _Unify(need)


def _both_weak(values, first, later):
    """A value that was a Python number on both sides still is one (weakly typed)."""
    return [_core.weakly_typed(v) if a and b else v
            for v, a, b in zip(values, first.weak, later.weak)]


# ---- while_loop ------------------------------------------------------------------------------
def while_loop(cond, body, loop_vars, maximum_iterations=None, name=None, shape_invariants=None,
               parallel_iterations=None, back_prop=None, swap_memory=None):
    """Runs `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`; returns the final vars
    in the structure of `loop_vars` (a list or tuple). Staged as a functional While inside a
    staged function; a plain Python loop eagerly."""
    if not isinstance(loop_vars, (list, tuple)):
        raise TypeError("while_loop: loop_vars must be a list or tuple")
    single = len(loop_vars) == 1

    def normalize(out):
        # TensorFlow lets body return the single variable unwrapped.
        if single and not (isinstance(out, (list, tuple)) and len(out) == 1):
            out = [out]
        if not isinstance(out, (list, tuple)) or len(out) != len(loop_vars):
            raise staging_error(
                f"while_loop: body must return {len(loop_vars)} loop variable(s), got "
                f"{out!r:.60}")
        return type(loop_vars)(out)

    if not _core.tracing():
        vars_ = loop_vars
        n = 0
        limit = None if maximum_iterations is None else int(maximum_iterations)
        while (limit is None or n < limit) and bool(cond(*vars_)):
            vars_ = normalize(body(*vars_))
            n += 1
        return type(loop_vars)(vars_)

    # A loop variable that enters as a Python number is weakly typed in the loop, and takes the
    # higher kind the body gives it (`s = 0` then `s + 0.5`: float32), traced again (_Unify).
    return type(loop_vars)(_unifying(lambda dtypes, last: _while_once(
        cond, body, normalize, loop_vars, maximum_iterations, dtypes, last)))


def _while_once(cond, body, normalize, loop_vars, maximum_iterations, dtypes, last):
    entry = _Flat(loop_vars, "while_loop", dtypes=dtypes)
    after = []

    def unpack(params):
        return entry.pack([_core.weakly_typed(p) if w else p for p, w in zip(params, entry.weak)])

    def cond_fn(params):
        return cond(*unpack(params))

    def body_fn(params):
        out = normalize(body(*unpack(params)))
        flat = _Flat(out, "while_loop (body)", entry)
        if flat.treedef != entry.treedef:
            raise staging_error(
                "while_loop: body returns " + nest.describe(flat.treedef) +
                " but the loop variables are " + nest.describe(entry.treedef))
        _unify(entry, flat, last)
        after[:] = [flat]
        return flat.values

    values = _core.while_loop(entry.values, cond_fn, body_fn, maximum_iterations)
    return entry.pack(_both_weak(values, entry, after[0]))


def _assert(pred, message="assertion failed"):
    """Graph assertion (the converter stages `assert` with it): fails the run with
    ag.InvalidArgumentError naming the user's file and line when pred is false."""
    if isinstance(pred, Variable):
        pred = pred.read_value()
    if isinstance(pred, Tensor) and _core.tracing():
        _core.staged_assert(pred, str(message))
        return None
    if not bool(pred):
        from .errors import InvalidArgumentError, _located

        raise _located(InvalidArgumentError, f"assertion failed: {message}")
    return None


__all__ = ["cond", "while_loop", "StagingError"]
