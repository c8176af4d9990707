"""Python side effects that a staged statement would run once, while tracing, instead of on
every iteration or only on the branch taken: an error naming the variable, never a silent
difference (SPEC §3).

* A Python list, dict or set that exists before a staged if/while/for and is changed in place
  inside it (`lst.extend(v)`, `d.update(...)`): the change happens once, at trace time. (An
  `append`/`pop` on a list is staged instead: operators/data_structures.py.)
* A user function called inside a staged statement that assigns a `nonlocal` or `global`
  variable, or an attribute of an object it did not make (`self.n += 1` in a method, `o.x = v`
  for an argument `o`), and `setattr`/`delattr` there: they run once, at trace time. (An
  attribute assigned in the staged block itself is state of the statement instead.)
* After a whole trace (ag.function): a global or a variable of an enclosing function that
  now holds a graph value (`outer_snapshot` / `check_outer`).

`outside(...)` marks the containers the staged statement's blocks can see from outside (the
cells of their body functions) and keeps a shallow copy of each; `converted_call` asks
`check_call` about each call it makes while one is active (the error then names the method),
and when the statement is staged a container that changed anyway (`d[k] = v` with a variable
key) is restored from its copy and reported."""
import dis
import threading
import types

from ..errors import StagingError, _located
from ..impl import conversion
from . import staging

# Methods that change a list, dict or set in place.
_MUTATORS = {
    list: {"extend", "insert", "remove", "clear", "sort", "reverse", "__setitem__",
           "__delitem__", "__iadd__"},
    dict: {"update", "setdefault", "clear", "popitem", "pop", "__setitem__", "__delitem__"},
    set: {"add", "discard", "remove", "update", "clear", "pop", "difference_update",
          "intersection_update", "symmetric_difference_update"},
}


class _Active(threading.local):
    def __init__(self):
        self.stack = []  # per staged statement being traced: (what, loc, {id: (name, obj)})


_active = _Active()


def _containers(fn, out, depth=0):
    code, closure = getattr(fn, "__code__", None), getattr(fn, "__closure__", None)
    if code is None or not closure:
        return
    # An operator's wrapper around a body function (`lambda: body(itr)`) is looked through;
    # its own variables (flags, counters) are the operator's business.
    mine = _operator_code(fn)
    for name, cell in zip(code.co_freevars, closure):
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell: a variable not assigned yet
            continue
        if type(value) in _MUTATORS and not mine:
            out.setdefault(id(value), (name, value, type(value)(value)))  # and a snapshot
        elif depth < 2 and _operator_code(value):
            _containers(value, out, depth + 1)
        elif depth < 2 and mine and callable(value) and hasattr(value, "__code__"):
            _containers(value, out, depth + 1)  # the body function a wrapper holds


def _operator_code(fn):
    return getattr(fn, "__module__", None) == __name__.rsplit(".", 1)[0] + ".control_flow"


class outside:
    """Context: a staged statement (`what` at `loc`, state `names`) whose blocks are the
    functions `fns` is being traced."""

    __slots__ = ("entry",)

    def __init__(self, what, loc, names, *fns):
        seen = {}
        for fn in fns:
            _containers(fn, seen)
        # Items the statement carries as state (`hist['neg']`, `lst[0]`) are written back by
        # its set_state: their container changes as it should.
        carried = {n.split("[", 1)[0] for n in names if "[" in n}
        self.entry = (what, loc, {k: v for k, v in seen.items() if v[0] not in carried})

    def __enter__(self):
        _active.stack.append(self.entry)

    def __exit__(self, exc_type, exc, tb):
        _active.stack.pop()
        if exc_type is None:
            _check_unchanged(*self.entry)
        return False


def _same(a, b):
    if len(a) != len(b):
        return False
    if isinstance(a, list):
        return all(x is y for x, y in zip(a, b))
    if isinstance(a, dict):
        return all(k in b and a[k] is b[k] for k in a)
    return all(x in b for x in a)


def _check_unchanged(what, loc, seen):
    """A container changed without a method call converted code sees (`d[k] = v`,
    `lst[i] += 1`): restored, and an error (it changed once, at trace time)."""
    for name, obj, snapshot in seen.values():
        if _same(obj, snapshot):
            continue
        obj.clear()
        obj.update(snapshot) if not isinstance(obj, list) else obj.extend(snapshot)
        kind = type(obj).__name__
        raise _located(
            StagingError,
            f"'{name}' is a Python {kind} made before the staged {what}{staging.where(loc)} "
            f"and changed inside it: the change ran once, while tracing, not on every "
            f"iteration or only on the branch taken; build a new {kind} instead (or keep "
            f"tensors in an ag.TensorArray)", loc)


def active():
    return bool(_active.stack)


def check_call(f):
    """Raises StagingError when calling f inside the staged statements being traced would
    change Python state once instead of as Python would."""
    if f is setattr or f is delattr:
        what, loc, _ = _active.stack[-1]
        raise _located(
            StagingError,
            f"{f.__name__}() inside the staged {what}{staging.where(loc)} would change the "
            "attribute once, while tracing, not on every iteration or only on the branch "
            "taken; write `obj.attr = value` in the block instead (staged as its state)")
    owner = getattr(f, "__self__", None)
    if type(owner) in _MUTATORS and getattr(f, "__name__", "") in _MUTATORS[type(owner)]:
        for what, loc, seen in reversed(_active.stack):
            if id(owner) in seen:
                name = seen[id(owner)][0]
                kind = type(owner).__name__
                raise _located(
                    StagingError,
                    f"'{name}' is a Python {kind} made before the staged {what}"
                    f"{staging.where(loc)} and changed inside it ({name}.{f.__name__}): the "
                    f"change would run once, while tracing, not on every iteration or only "
                    f"on the branch taken; build a new {kind} instead, or use an "
                    f"ag.TensorArray (or {name}.append with ag.set_element_type)")
        return
    func = getattr(f, "__func__", f)
    if not isinstance(func, types.FunctionType) or conversion.is_library_function(func):
        return  # only user code: library code may keep caches
    code = func.__code__
    store = _outer_store(code)
    if store is not None:
        what, loc, _ = _active.stack[-1]
        kind, name, line = store
        qualname = getattr(f, "__name__", "the function")
        if kind == "attribute":
            raise _located(
                StagingError,
                f"'{qualname}' sets {name} (line {line}) and is called inside the staged "
                f"{what}{staging.where(loc)}: the assignment would run once, while tracing, not "
                "on every iteration or only on the branch taken; assign the attribute in the "
                "block itself (it is then staged as its state), return the new value from the "
                "function, or keep it in an ag.Variable")
        raise _located(
            StagingError,
            f"'{qualname}' assigns the {kind} variable '{name}' (line {line}) and is called "
            f"inside the staged {what}{staging.where(loc)}: the assignment would run once, "
            "while tracing, not on every iteration or only on the branch taken; return the "
            "new value from the function instead, or keep it in an ag.Variable")


_stores = {}  # code object -> (kind, name, line) or None


def _outer_store(code):
    """The first assignment (or del) of a nonlocal or global variable in `code`, or of an
    attribute of an object the function did not make (a parameter, a global, a closure
    variable: `self.n`): (kind, name, line), or None."""
    try:
        return _stores[code]
    except KeyError:
        pass
    found = None
    params = set(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])
    instructions = list(dis.get_instructions(code))
    for i, ins in enumerate(instructions):
        if ins.opname in ("STORE_GLOBAL", "DELETE_GLOBAL"):
            found = ("global", ins.argval, ins.positions.lineno)
        elif ins.opname in ("STORE_DEREF", "DELETE_DEREF") and ins.argval in code.co_freevars:
            found = ("nonlocal", ins.argval, ins.positions.lineno)
        elif ins.opname in ("STORE_ATTR", "DELETE_ATTR"):
            target = _attribute_target(instructions, i, params)
            if target is not None:
                found = ("attribute", target, ins.positions.lineno)
        if found:
            break
    _stores[code] = found
    return found


def _attribute_target(instructions, i, params):
    """'self.a.b' for the STORE_ATTR at i when its object is reached from a parameter, global
    or closure variable (the nearest load before it on its line), else None."""
    path = [instructions[i].argval]
    chain = True  # LOAD_ATTRs right before the store name the path (`self.a.b = v`)
    line = instructions[i].positions.lineno
    for ins in reversed(instructions[:i]):
        if ins.positions.lineno != line:
            return None
        if ins.opname == "LOAD_ATTR" and chain:
            path.insert(0, ins.argval)
            continue
        if ins.opname in ("LOAD_FAST", "LOAD_GLOBAL", "LOAD_DEREF"):
            outer = ins.opname != "LOAD_FAST" or ins.argval in params
            return ".".join([ins.argval] + path) if outer else None
        chain = False
    return None


# ---- after a trace: graph values left in Python variables outside the staged function ------
def outer_snapshot(fn):
    """What `fn` (the Python function an ag.function traces) can assign outside itself: the
    cells of its closure and the globals its code assigns, with their values now."""
    fn = getattr(fn, "__func__", fn)
    code = getattr(fn, "__code__", None)
    if code is None:
        return []
    out = []
    for name, cell in zip(code.co_freevars, fn.__closure__ or ()):
        try:
            out.append(("nonlocal", name, cell, cell.cell_contents))
        except ValueError:
            out.append(("nonlocal", name, cell, _EMPTY))
    for name in sorted(_global_stores(code)):
        out.append(("global", name, fn.__globals__, fn.__globals__.get(name, _EMPTY)))
    return out


_EMPTY = object()


_global_names = {}  # code object -> the globals it (or code nested in it) assigns


def _global_stores(code):
    if code not in _global_names:
        _global_names[code] = _find_global_stores(code)
    return _global_names[code]


def _find_global_stores(code):
    names, stack = set(), [code]
    while stack:  # not recursive: lambdas may nest thousands deep
        c = stack.pop()
        names |= {ins.argval for ins in dis.get_instructions(c) if ins.opname == "STORE_GLOBAL"}
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    return names


def check_outer(snapshot, fn):
    """StagingError (after restoring them) when the trace left a graph value in a variable of
    `snapshot`: the graph would never update it, and Python would see a value of a finished
    graph. Called at the end of a trace."""
    for kind, name, holder, before in snapshot:
        now = holder.get(name, _EMPTY) if kind == "global" else _cell_value(holder)
        if now is before or not _symbolic(now):
            continue
        if kind == "global":
            holder.pop(name, None) if before is _EMPTY else holder.__setitem__(name, before)
        elif before is not _EMPTY:
            holder.cell_contents = before
        owner = "a global variable" if kind == "global" else \
            "a variable of the function around it (nonlocal)"
        fn = getattr(fn, "__func__", fn)
        raise _located(
            StagingError,
            f"'{getattr(fn, '__name__', fn)}' assigns a tensor to '{name}', {owner}: that "
            "value exists only inside the graph, which cannot update a Python variable on "
            "each call; return it from the function instead, or keep it in an ag.Variable",
            _store_location(fn, name))


def _cell_value(cell):
    try:
        return cell.cell_contents
    except ValueError:
        return _EMPTY


def _symbolic(x):
    return getattr(x, "is_symbolic", False) is True


def _store_location(fn, name):
    """(file, line, source) of the first assignment of `name` in fn's code, or None."""
    import linecache

    code = fn.__code__
    stack = [code]
    while stack:
        c = stack.pop()
        for ins in dis.get_instructions(c):
            if ins.opname in ("STORE_GLOBAL", "STORE_DEREF") and ins.argval == name:
                line = ins.positions.lineno
                return (c.co_filename, line, linecache.getline(c.co_filename, line).strip())
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    return None
