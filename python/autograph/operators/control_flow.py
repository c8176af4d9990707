"""`ag__.if_stmt`, `ag__.while_stmt`, `ag__.for_stmt`, `ag__.if_exp`: dynamic dispatch.

Each runs as plain Python unless its condition (or iterable) is symbolic, i.e. only known when
the graph runs; then it becomes the runtime's functional Cond / While through `_core.cond` and
`_core.while_loop`, with the statement's variables (get_state/set_state of the converted code)
as the graph values in and out. A Python loop whose condition becomes symbolic part way (a
`break` under a staged `if`, a counter that became a tensor) is staged from that point on.
"""
import re
import warnings

from .. import _core
from .. import control_flow as _cf
from .. import nest
from .. import ops
from .. import structure
from .. import trace_marks
from ..tensor import Tensor
from ..variables import Variable
from . import loop_options, returns, side_effects, staging
from .loop_targets import check_target
from .purity import is_pure
# What a staged for loop walks (re-exported: py_builtins and autograph.data use them from here).
from .sequences import (  # noqa: F401
    ListSequence, StagedEnumerate, StagedRange, StagedSequence, StagedZip, TensorSequence,
    is_dataset as _is_dataset, staged_sequence,
)
from .staging import Retry, is_list_tensor, is_symbolic


# ---- if ------------------------------------------------------------------------------------
def if_stmt(cond, body, orelse, get_state, set_state, symbol_names, nouts, opts=None):
    """`if cond: body() else: orelse()`, staged as a Cond when `cond` is symbolic."""
    if isinstance(cond, Variable):
        cond = cond.read_value() if _core.tracing() else cond.numpy()
    symbolic = is_symbolic(cond)
    if trace_marks.recorder is not None:
        trace_marks.recorder.condition("if", cond, symbolic)
    if not symbolic:
        if cond:
            body()
        else:
            orelse()
        return
    loc = staging.location()
    staging.unsupported(opts, "this if statement", loc)
    with side_effects.outside("if", loc, symbol_names, body, orelse):
        if is_pure(body) and is_pure(orelse) and _select_if(
                cond, body, orelse, get_state, set_state, symbol_names, nouts, loc):
            return
        _stage_if(cond, body, orelse, get_state, set_state, symbol_names, nouts, loc)


def _select_if(cond, body, orelse, get_state, set_state, names, nouts, loc):
    """A staged if with pure branches as `where(cond, then, else)` per variable (both sides
    computed, no Cond subgraph). False (state restored) when a variable does not fit: not a
    tensor or number, or a dtype/shape that differs between the branches."""
    init = get_state()
    body()
    then = get_state()[:nouts]
    set_state(init)
    orelse()
    other = get_state()[:nouts]
    set_state(init)
    pred = None
    out = []
    for a0, b0 in zip(then, other):
        if a0 is b0:
            out.append(a0)
            continue
        a, b = _select_operands(a0, b0)
        if a is None:
            return False
        weak = staging.is_weak_value(a0) and staging.is_weak_value(b0)
        if pred is None:
            pred = staging.as_bool(cond, "if", loc)
        out.append(staging.weak_where([ops.where(pred, a, b)], [weak])[0])
    set_state(tuple(out) + tuple(init[nouts:]))
    returns.carry(names, out, then, other)
    return True


def _select_operands(a, b):
    """(a, b) as tensors of one dtype and shape, or (None, None)."""
    if isinstance(a, staging._PY_SCALARS) and isinstance(b, Tensor):
        a = staging.constant(a, b.dtype) if staging._py_kind(a) <= staging._kind(b.dtype) \
            else None
    elif isinstance(b, staging._PY_SCALARS) and isinstance(a, Tensor):
        b = staging.constant(b, a.dtype) if staging._py_kind(b) <= staging._kind(a.dtype) \
            else None
    elif isinstance(a, staging._PY_SCALARS) and isinstance(b, staging._PY_SCALARS):
        # Two Python numbers (`4 if c else 1.25`): the default dtype of the higher kind.
        dtype = staging._default_dtype(a if staging._py_kind(a) >= staging._py_kind(b) else b)
        a, b = staging.constant(a, dtype), staging.constant(b, dtype)
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)) or is_list_tensor(a) \
            or is_list_tensor(b):
        return None, None
    if a.dtype != b.dtype or tuple(a.shape) != tuple(b.shape) or None in tuple(a.shape):
        return None, None
    return a, b


def _stage_if(cond, body, orelse, get_state, set_state, names, nouts, loc):
    cond = staging.as_bool(cond, "if", loc)

    for attempt in staging.traces(get_state(), set_state, "if", loc):
        with attempt:
            entry, record = attempt.entry, {}
            branch_args = (entry, attempt.list_ids, record, get_state, set_state, names, nouts,
                           loc, attempt.learned)
            values = _core.cond(cond, _branch(body, "then", *branch_args),
                                _branch(orelse, "else", *branch_args))
            # A variable that is a Python number on both paths still is one after the if.
            values = staging.weak_where(values, [a and b for a, b in zip(record["then_weak"],
                                                                           record["else_weak"])])
            infos, _, trees = record["then"]
            out = structure.pack(infos, trees, values)
            set_state(tuple(out) + tuple(entry[nouts:]))
            returns.carry(names, out, record["then_out"], record["else_out"])


def _branch(fn, key, entry, list_ids, record, get_state, set_state, names, nouts, loc, learned):
    what = ("in the true branch", "in the false branch", "if")
    owner, hints, structs = learned.owner, learned.hints, learned.structs

    def trace():
        set_state(entry)
        with staging.active(list_ids):
            fn()
        out = list(get_state()[:nouts])
        staging.list_retry(owner, entry[:nouts], out)
        placeholders = set()  # return values not set on this path: zeros, never observed
        for i in structs:
            if isinstance(out[i], staging.UndefinedReturnValue):
                out[i] = structs[i]()
                placeholders.add(i)
        if key == "else":
            then_infos, then_owners, then_trees = record["then"]
            for i, v in enumerate(out):
                if isinstance(v, staging.UndefinedReturnValue) and then_trees[i] != nest._LEAF:
                    out[i] = staging.zeros_for(then_infos, then_owners, then_trees[i], i)
                    placeholders.add(i)
                elif then_trees[i] == nest._LEAF and i not in structs and any(
                        info.kind == "ret" for info, o in zip(then_infos, then_owners) if o == i
                ) and not isinstance(v, staging.UndefinedReturnValue):
                    raise Retry(owner, structs={i: staging.template(v)})
        leaves, owners, trees = staging.flatten(out)
        if key == "then":
            infos, values, weak = [], [], []
            for j, leaf in enumerate(leaves):
                info, value = staging.first(leaf, hints.get(j))
                infos.append(info)
                if value is not None:
                    values.append(value)
                    weak.append(owners[j] in placeholders or staging.is_weak_value(leaf))
            record["then"] = (infos, owners, trees)
            record["then_weak"] = weak
            record["then_out"] = out
            return values
        record["else_out"] = out
        infos, _, then_trees = record["then"]
        if trees != then_trees:
            for i, (a, b) in enumerate(zip(then_trees, trees)):
                if returns.is_retval(names[i]) and a != b:
                    raise returns.mismatch(record["then_out"][i], out[i], loc)
                if a != b:
                    staging.pending_structure(record["then_out"][i], out[i])
                    raise staging.error(
                        f"'{names[i]}' has a different structure in the two branches of the "
                        f"staged if{staging.where(loc)}", loc)
        values, weak = [], []
        for j, (info, leaf) in enumerate(zip(infos, leaves)):
            try:
                v = staging.follow(info, leaf, names[owners[j]], what, loc, owner, j, False)
            except staging.StagingError:
                if not returns.is_retval(names[owners[j]]):
                    raise
                i = owners[j]
                raise returns.mismatch(record["then_out"][i], out[i], loc) from None
            if v is not None:
                values.append(v)
                weak.append(owners[j] in placeholders or staging.is_weak_value(leaf))
        record["else_weak"] = weak
        return values

    return trace


# ---- while ---------------------------------------------------------------------------------
def while_stmt(test, body, get_state, set_state, symbol_names, opts):
    """`while test(): body()`; staged as a While from the first symbolic test on."""
    c = test()
    python_iterations = 0
    tracing = _core.tracing()
    while True:
        if isinstance(c, Variable):
            c = c.read_value() if tracing else c.numpy()
        if is_symbolic(c):
            if trace_marks.recorder is not None:
                trace_marks.recorder.loop("while", python_iterations, trace_marks.describe(c))
            loc = staging.location()
            staging.unsupported(opts, "this while loop", loc)
            with side_effects.outside("while loop", loc, symbol_names, body, test):
                _stage_loop(lambda hidden: test(), lambda hidden: (body(), [])[1], [],
                            get_state, set_state, symbol_names, "while loop", loc)
            return
        if not c:
            if trace_marks.recorder is not None:
                trace_marks.recorder.loop("while", python_iterations, None)
            return
        if tracing and python_iterations + 1 >= UNROLLED_LOOP_WARNING:
            _check_unrolled(python_iterations + 1, _WHILE_LOOP)
        body()
        python_iterations += 1
        c = test()


def _stage_loop(test, body, hidden_init, get_state, set_state, names, what_name, loc):
    """Stages `while test(h): h = body(h)` where h are hidden loop variables (graph values the
    user does not see, like a for loop's counter) and the user's state rides along."""
    what = ("before the loop", "after one iteration", what_name)
    for attempt in staging.traces(get_state(), set_state, what_name, loc):
        with attempt:
            list_ids, owner = attempt.list_ids, attempt.learned.owner
            entry, infos, trees, values, entry_weak = _loop_entry(
                attempt.entry, attempt.learned, set_state, what_name, loc)
            state_count = len(values)
            # entry_weak: which graph values of the state entered as Python numbers. They are
            # weakly typed inside the loop, and after it when the body kept them so (`w += 3`,
            # not `w += x`).
            body_out, body_weak = [], []

            def weak_params(params):
                return staging.weak_where(params[:state_count], entry_weak) + list(
                    params[state_count:])

            def unpack(params):
                state = structure.pack(infos, trees, params[:state_count])
                staging.alias_lists(list_ids, entry, state)
                set_state(state)
                returns.carry(names, state, entry)  # a return value carried by the loop
                trace_marks.name_loop_inputs(state, names, params[state_count:])
                return params[state_count:]

            def cond_fn(params):
                hidden = unpack(weak_params(params))
                with staging.active(list_ids):
                    r = test(hidden)
                return staging.as_bool(r, what_name, loc)

            def body_fn(params):
                params = weak_params(params)
                hidden = unpack(params)
                with staging.active(list_ids), loop_options.body(attempt.learned, infos,
                                                                 params[:state_count]):
                    new_hidden = body(hidden)
                out = get_state()
                body_out[:] = out
                staging.list_retry(owner, entry, out)
                out_leaves, out_owners, out_trees = staging.flatten(out)
                if out_trees != trees:
                    _structure_change(entry, out, trees, out_trees, names, what_name, loc, owner)
                result, weak = [], []
                for j, (info, leaf) in enumerate(zip(infos, out_leaves)):
                    try:
                        v = staging.follow(info, leaf, names[out_owners[j]], what, loc, owner,
                                           j, True)
                    except staging.StagingError:
                        i = out_owners[j]
                        if not returns.is_retval(names[i]):
                            raise
                        raise returns.mismatch(entry[i], out[i], loc) from None
                    if v is not None:
                        result.append(v)
                        weak.append(staging.is_weak_value(leaf))
                body_weak[:] = weak
                return result + list(new_hidden)

            out = _core.while_loop(
                values + list(hidden_init), cond_fn, body_fn, _max_iterations(attempt.learned),
                _invariants(infos, attempt.learned) + [None] * len(hidden_init))
            out = staging.weak_where(out[:state_count], [
                a and b for a, b in zip(entry_weak, body_weak)]) + list(out[state_count:])
            state = structure.pack(infos, trees, out[:state_count])
            state = tuple(
                staging.after_loop(v.symbol_name, what_name, loc)
                if isinstance(v, staging.Undefined) else s
                for v, s in zip(attempt.entry, state))
            set_state(state)
            returns.carry(names, state, body_out, entry)
            return out[state_count:]


def _max_iterations(learned):
    n = learned.max_iterations
    if n is None or isinstance(n, Tensor):
        return n
    return _core.constant(int(n))


def _structure_change(entry, out, trees, out_trees, names, what_name, loc, owner):
    """A loop variable whose structure changed in the body: a return value's structure learned
    (Retry), or an error."""
    for i, (a, b) in enumerate(zip(trees, out_trees)):
        if a != b and isinstance(entry[i], (staging.UndefinedReturnValue, staging.Undefined)):
            raise Retry(owner, structs={i: staging.template(out[i])})
        if a != b and returns.is_retval(names[i]):
            raise returns.mismatch(entry[i], out[i], loc)
        if a != b:
            raise staging.error(
                f"'{names[i]}' changes structure in the staged {what_name}"
                f"{staging.where(loc)}: {staging.describe(entry[i])} before the "
                f"loop, {staging.describe(out[i])} after one iteration", loc)


def _loop_entry(entry, learned, set_state, what_name, loc):
    """(entry, Leaf records, treedefs, graph values, whether each graph value is weak) of a
    loop's state on entry, with what earlier traces taught (return values' structures, weak
    numbers' types)."""
    structs = learned.structs
    if structs:
        entry = tuple(structs[i]() if i in structs else v for i, v in enumerate(entry))
    set_state(entry)
    leaves, owners, trees = staging.flatten(entry)
    infos, values, weak = [], [], []
    for j, leaf in enumerate(leaves):
        if isinstance(leaf, staging.Undefined):
            # First assigned in the body (SPEC §3: local to the loop): a placeholder carries it
            # from one iteration to the next; after the loop, reading it is an error.
            info, value = staging.pending(leaf.symbol_name, learned.owner, j, owners[j],
                                          learned.hints.get(j))
        else:
            info, value = staging.first(leaf, learned.hints.get(j))
        if j in learned.shapes and info.kind == "tensor":
            info.shape = tuple(learned.shapes[j])  # relaxed: see loop_options.py
        infos.append(info)
        if value is not None:
            values.append(value)
            weak.append(info.kind == "tensor" and info.weak)
    return entry, infos, trees, values, weak


def _invariants(infos, learned):
    """The shape invariant of each graph value of a loop's state (None: its own shape)."""
    valued = [j for j, info in enumerate(infos) if info.kind not in ("static", "undef")]
    return [learned.shapes.get(j) for j in valued]


# ---- for -----------------------------------------------------------------------------------
# An unrolled (Python) for or while loop in a function being traced adds its body's ops to the
# graph once per iteration. Tracing is linear in the number of ops, so long unrolled loops work,
# but the graph (and the program compiled from it) grows with them: past UNROLLED_LOOP_WARNING
# iterations (TensorFlow's threshold) the loop warns once, naming its line and suggesting a
# staged loop. Past MAX_UNROLLED_ITERATIONS it stops with a StagingError: a traced op costs
# about 1 KB (the node, its constants, the compiled instruction), so 10**6 iterations of even
# `x = x + 1` take 2 GB, and a loop like range(10**8) (or `while True` over a Python
# condition) would fill memory long before it finished.
UNROLLED_LOOP_WARNING = 3_000
MAX_UNROLLED_ITERATIONS = 1_000_000


class UnrolledLoopWarning(UserWarning):
    """A for loop over a Python iterable was unrolled many times while tracing (see
    UNROLLED_LOOP_WARNING in autograph/operators/control_flow.py)."""


# Registry of shown warnings (warnings.warn_explicit): the default filter shows each loop's
# warning once per process, as warnings.warn does for an ordinary line.
_warning_registry = {}

_STAGED_LOOP_ADVICE = ("loop over ag.range(n) (or range(n) with a tensor n, or over a tensor) "
                       "so it becomes one staged loop whose graph size does not depend on n")
_FOR_LOOP = ("this for loop over a Python iterable", _STAGED_LOOP_ADVICE)
_WHILE_LOOP = ("this while loop with a Python condition",
               "make its condition a tensor (a staged loop: e.g. `while ag.constant(True):` "
               "with a break, or a condition on tensors) so its graph size does not grow with "
               "the number of iterations")


def for_stmt(iter_, extra_test, body, get_state, set_state, symbol_names, opts):
    """`for target in iter_: body(target)`; staged over tensors, staged ranges, TensorArrays
    and tensor lists; Python iterables are unrolled."""
    if _is_dataset(iter_):
        body = _checked_body(body, opts)
    seq = staged_sequence(iter_)
    if seq is not None:
        if trace_marks.recorder is not None:
            trace_marks.recorder.loop("for", 0, trace_marks.describe_iterable(seq))
        loc = staging.location()
        staging.unsupported(opts, "this for loop", loc)
        with side_effects.outside("for loop", loc, symbol_names, body):
            _stage_for(seq, extra_test, body, get_state, set_state, symbol_names, loc)
        return
    tracing = _core.tracing()
    mark = trace_marks.recorder.unrolled(iter_) if trace_marks.recorder is not None else None
    for count, itr in enumerate(iter_):
        if tracing and count >= UNROLLED_LOOP_WARNING:
            _check_unrolled(count, _FOR_LOOP)
        if extra_test is not None:
            go = extra_test()
            if isinstance(go, Variable):
                go = go.read_value()
            if is_symbolic(go):
                # A break/return under a staged if: the remaining iterations run under it.
                if mark is not None:
                    mark.count += 1
                if_stmt(go, lambda itr=itr: body(itr), _nothing, get_state, set_state,
                        symbol_names, len(symbol_names), opts)
                continue
            if not go:
                break
        if mark is not None:
            mark.count += 1
        body(itr)


def _checked_body(body, opts):
    """The loop body, first checking that the target unpacks the dataset's elements (a clear
    error at the for statement instead of a tensor unpacked along its rows)."""
    checked = []

    def run(itr):
        if not checked:
            check_target(itr, opts)
            checked.append(True)
        body(itr)

    return run


def _check_unrolled(count, kind):
    """Warns when an unrolled loop reaches UNROLLED_LOOP_WARNING iterations; fails at
    MAX_UNROLLED_ITERATIONS. The location is the user's loop statement (the caller's frame);
    `kind` is (what the loop is, what to do instead)."""
    what, advice = kind
    if count == UNROLLED_LOOP_WARNING:
        loc = staging.location()
        where = f" ({loc[0]}:{loc[1]})" if loc else ""
        message = (f"{what}{where} has been unrolled "
                   f"{count} times while tracing: each iteration adds its ops to the graph, "
                   "so the graph and the time to trace, optimize and compile it grow with the "
                   "loop (about 1 KB and a few microseconds per op; tracing stops with a "
                   f"StagingError at {MAX_UNROLLED_ITERATIONS} iterations); {advice}")
        if loc:
            warnings.warn_explicit(message, UnrolledLoopWarning, loc[0], loc[1],
                                   registry=_warning_registry)
        else:
            warnings.warn(message, UnrolledLoopWarning, stacklevel=3)
    elif count == MAX_UNROLLED_ITERATIONS:
        raise staging.error(
            f"{what} was unrolled {count} times while tracing; "
            "each iteration adds its ops to the graph (about 1 KB of memory per op), so a "
            f"longer loop would take gigabytes; {advice}", staging.location())


def _nothing():
    return None


def _stage_for(seq, extra_test, body, get_state, set_state, names, loc):
    n = seq.length()

    def test(hidden):
        k = hidden[0]
        go = k < n if n is not None else _core.constant(True)  # None: an endless dataset
        if extra_test is not None:
            more = extra_test()
            if is_symbolic(more) or isinstance(more, Tensor):
                go = ops.logical_and(go, staging.as_bool(more, "for loop", loc))
            elif not more:
                go = _core.constant(False)
        return go

    def step(hidden):
        k = hidden[0]
        body(seq.item(k))
        return [k + 1]

    _stage_loop(test, step, [_core.constant(0, seq.index_dtype)], get_state, set_state, names,
                "for loop", loc)


# ---- conditional expression ----------------------------------------------------------------
def if_exp(cond, if_true, if_false, expr_repr):
    """`if_true() if cond else if_false()`; a staged Cond (only the taken branch runs) when
    `cond` is symbolic."""
    if isinstance(cond, Variable):
        cond = cond.read_value() if _core.tracing() else cond.numpy()
    if not is_symbolic(cond):
        return if_true() if cond else if_false()
    loc = staging.location()
    pred = staging.as_bool(cond, f"conditional expression ({expr_repr})", loc)
    if is_pure(if_true) and is_pure(if_false):
        a0, b0 = if_true(), if_false()
        a, b = _select_operands(a0, b0)
        if a is not None:
            weak = staging.is_weak_value(a0) and staging.is_weak_value(b0)
            return staging.weak_where([ops.where(pred, a, b)], [weak])[0]
    try:
        return _cf.cond(pred, if_true, if_false)
    except staging.StagingError as e:
        # The runtime's words name the Cond's outputs; say it with the user's expression.
        m = _COND_OUTPUTS_DIFFER.match(str(e))
        if m is None:
            raise
        a, a_shape, b, b_shape = m.groups()
        if a == b:  # the shapes differ
            a, b = f"{a} of shape ({a_shape})", f"{b} of shape ({b_shape})"
        why = "the same dtype (e.g. 4.0 instead of 4, or ag.cast)" if m.group(1) != m.group(3) \
            else "the same shape"
        raise staging.error(
            f"the conditional expression `... if {expr_repr} else ...` is {a} when its "
            f"condition is true but {b} when it is false; give both {why}", loc) from None


_COND_OUTPUTS_DIFFER = re.compile(
    r"cond: output \d+ is (\w+)\((.*?)\) in the true branch but (\w+)\((.*?)\) in the false "
    r"branch")


def if_exp_chain(cond, if_true, expr_repr, *rest):
    """`a if c1 else b if c2 else ... else z` as one call (the converter flattens chains so that
    the converted code nests no deeper than the user's): `rest` holds each later link's test
    (a lambda), if_true and expr_repr, then the last if_false.

    Python conditions decide link by link, as Python does. A staged link whose branch and next
    test are pure is computed at once and the links folded from the end (ops.where, or a Cond
    where the operands differ), so a chain as long as CPython accepts stages without one Python
    call level per link; an impure staged link stages as if_exp over the rest of the chain."""
    staged = []  # (cond, value, expr_repr) of the pure staged links so far, outermost first
    while True:
        if isinstance(cond, Variable):
            cond = cond.read_value() if _core.tracing() else cond.numpy()
        last = len(rest) == 1  # rest[0] is then the last if_false, else the next test
        if not is_symbolic(cond):
            if cond:
                result = if_true()
                break
            if last:
                result = rest[0]()
                break
        elif is_pure(if_true) and is_pure(rest[0]):
            staged.append((cond, if_true(), expr_repr))
            if last:
                result = rest[0]()
                break
        else:
            tail = rest
            orelse = tail[0] if last else (lambda: if_exp_chain(tail[0](), *tail[1:]))
            result = if_exp(cond, if_true, orelse, expr_repr)
            break
        cond, if_true, expr_repr, rest = rest[0](), rest[1], rest[2], rest[3:]
    for cond, value, expr_repr in reversed(staged):
        result = if_exp(cond, lambda v=value: v, lambda r=result: r, expr_repr)
    return result
