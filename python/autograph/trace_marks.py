"""What each control-flow statement did while a function was traced (the teaching view).

While `Function._trace` runs the user's function it sets `recorder` to a Recorder; the operators
(operators/control_flow.py, exceptions.py, calls.py) then report every `if`, `while`, `for`,
`assert` and `print` they run: staged into the graph, or run in Python (and how). The report is
keyed by the user's file and line, read from the converted code's frame (its line numbers are
the user's). When nothing is being traced `recorder` is None and the operators pay one global
read. autograph/explain.py turns the records into text and pane marks. `name_loop_inputs` gives
a staged loop's graph inputs the user's names, for the pictures.
"""
import sys

# The Recorder of the trace in progress (None: not tracing, nothing is recorded).
recorder = None


class Event:
    """Runs of one statement that went the same way: `kind` ('if', 'while', 'for', 'assert',
    'print'), `staged`, `detail` (if/assert: the staged condition's dtype and the tensors
    around, or the Python condition's value; while/for: what the staged loop runs on, or the
    Python iterable's type name), `count`, the iterations a loop ran in Python while tracing,
    and `runs`, how many times the statement ran this way (an `if` in an unrolled loop)."""

    __slots__ = ("kind", "staged", "detail", "count", "runs")

    def __init__(self, kind, staged, detail, count=0):
        self.kind, self.staged, self.detail, self.count = kind, staged, detail, count
        self.runs = 1

    def __repr__(self):
        return (f"Event({self.kind!r}, staged={self.staged}, {self.detail!r}, {self.count}, "
                f"runs={self.runs})")


class Recorder:
    """Events of one trace, per user statement, in the order they first ran. Runs that went the
    same way share one Event (loops each get their own: their iteration counts differ), so an
    unrolled loop does not grow the record. While tracing, statements are keyed by the calling
    instruction (code object, offset): cheap, where a frame's line number is a table scan;
    `events` turns the keys into the user's (file, line) once, at the end."""

    def __init__(self):
        self._by_call = {}  # (code, instruction offset) -> [Event]
        self._last = {}  # (code, instruction offset) -> the Event of the latest run there

    @property
    def events(self):
        """{(filename, line): [Event]}"""
        out = {}
        for (code, offset), events in self._by_call.items():
            if events:
                out.setdefault((code.co_filename, _line_of(code, offset)), []).extend(events)
        return out

    def _add(self, depth, kind, staged, detail, count=0):
        frame = sys._getframe(depth + 1)
        key = (frame.f_code, frame.f_lasti)
        if staged and kind != "print":
            # The tensors the statement's expression may read, to say "x: int32" next to it.
            detail = (detail, _tensor_locals(frame))
        events = self._by_call.get(key)
        if events is None:
            events = self._by_call[key] = []
        guard = _enclosing_guard(frame, self._last)
        if guard is not None:
            # The converter guards the statements after a `return`/`break`/`continue` with an
            # `if not do_return:` of its own, placed at the first guarded line: that guard is
            # not the user's statement, drop its run.
            guard_event, guard_key = guard
            guard_event.runs -= 1
            if guard_event.runs == 0:
                self._by_call[guard_key].remove(guard_event)
                del self._last[guard_key]
        if kind not in ("for", "while"):
            for event in events:
                if event.kind == kind and event.staged == staged and event.detail == detail:
                    event.runs += 1
                    self._last[key] = event
                    return event
        event = Event(kind, staged, detail, count)
        events.append(event)
        self._last[key] = event
        return event

    def condition(self, kind, cond, staged, depth=1):
        """An if/assert (or the first test of a while that is staged) at the caller's caller
        (`depth` frames above the operator that calls this)."""
        if staged:
            self._add(depth + 1, kind, True, describe(cond))
            return
        try:
            value = bool(cond)
        except Exception:  # noqa: BLE001 - the operator itself reports a bad condition
            value = None
        # An eager tensor (a value computed while tracing) is known now: still Python.
        self._add(depth + 1, kind, False, (value, hasattr(cond, "dtype")))

    def loop(self, kind, iterations, staged_on, depth=1):
        """A while/for loop that ran `iterations` times in Python, then (`staged_on` not None)
        was staged: `staged_on` describes the condition or the iterable."""
        self._add(depth + 1, kind, staged_on is not None, staged_on, iterations)

    def unrolled(self, iterable, depth=1):
        """A for loop over a Python iterable; the caller counts its iterations in the returned
        Event's `count`."""
        return self._add(depth + 1, "for", False, type(iterable).__name__)

    def print_(self, values, depth=1):
        from .tensor import Tensor

        self._add(depth + 1, "print", any(isinstance(v, Tensor) for v in values), None)


def _tensor_locals(frame):
    """{name: 'int32 (3,)'} of the tensors among the frame's variables."""
    from .tensor import Tensor

    return {k: describe(v) for k, v in frame.f_locals.items() if isinstance(v, Tensor)}


_IF_MODULE = __name__.rsplit(".", 1)[0] + ".operators.control_flow"


def _enclosing_guard(frame, last):
    """(Event, key) of the converter-made guard whose branch the user's frame is, or None: the
    nearest `ag__.if_stmt` up the stack, called from the same user line (between a branch and
    its if_stmt there are only frames of the operators' module; anything else ends the search,
    so a statement outside any branch costs one step)."""
    f = frame.f_back
    while f is not None and f.f_globals.get("__name__") == _IF_MODULE:
        if f.f_code.co_name == "if_stmt":
            caller = f.f_back
            key = (caller.f_code, caller.f_lasti) if caller is not None else None
            event = last.get(key)
            if event is not None and event.kind == "if" and caller.f_lineno == frame.f_lineno:
                return event, key
            return None
        f = f.f_back
    return None


def _line_of(code, offset):
    """The line of the instruction at `offset` in `code` (the user's line, for converted
    code)."""
    for start, end, line in code.co_lines():
        if start <= offset < end:
            return line
    return code.co_firstlineno


def describe(x):
    """'int32' / 'float32 (3,)': the dtype (and shape, unless scalar) of a staged value."""
    dtype = getattr(x, "dtype", None)
    name = getattr(dtype, "name", None) or type(x).__name__
    shape = tuple(getattr(x, "shape", ()) or ())
    if not shape:
        return name
    return f"{name} (" + ", ".join("?" if d is None else str(d) for d in shape) + \
        (",)" if len(shape) == 1 else ")")


def describe_iterable(seq):
    """How a staged for loop walks its iterable (a StagedSequence of operators/sequences.py)."""
    name = type(seq).__name__
    if name == "StagedRange":
        return "a range with a tensor bound"
    if name == "TensorSequence":
        return f"a tensor ({describe(seq.tensor)})"
    if name == "ListSequence":
        return "a tensor list"
    return "a dataset" if "Dataset" in name else "a staged sequence"


def name_loop_inputs(state, names, hidden):
    """Names a staged loop subgraph's inputs after the user's variables (graph pictures and
    dumps draw them so); `hidden` are the loop's own counters."""
    from . import _core
    from .tensor import Tensor

    for value, name in zip(state, names):
        if isinstance(value, Tensor):
            _core.name_placeholder(value, name)
    for value in hidden:
        _core.name_placeholder(value, "index")


class recording:
    """`with recording() as rec:` sets the module's recorder for the trace (nested traces keep
    their own and restore the outer one)."""

    def __enter__(self):
        global recorder
        self._outer = recorder
        self.recorder = recorder = Recorder()
        return self.recorder

    def __exit__(self, *exc):
        global recorder
        recorder = self._outer
        return False
