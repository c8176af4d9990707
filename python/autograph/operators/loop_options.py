"""What the body of a staged loop being traced knows about its loop: the loop's parameters
(weak ones: loop variables that entered as Python numbers) and its options, shape invariants
(stated with `ag.autograph.experimental.set_loop_options`, or found when a loop variable's shape
changes) and `maximum_iterations`.

The runtime's While types its loop variables before the body is traced, so a body that asks for
a relaxed shape raises `Retry` and the loop is traced again with it (staging.py explains
retries). Relaxations found automatically are noted (`ShapeRelaxation`) on the function being
traced, `ag.function(f).shape_relaxations`, so the user can see which variable and line.
"""
import threading
from collections import namedtuple

from ..errors import StagingError, _located
from ..tensor import Tensor
from ..tensor_shape import TensorShape
from .retry import Retry

ShapeRelaxation = namedtuple("ShapeRelaxation", "name line entry_shape relaxed_shape")
ShapeRelaxation.__doc__ = (
    "A staged loop variable whose shape changed across iterations: its `name`, the loop's "
    "`line`, its shape on entry and the relaxed shape it got (None where the size changes).")


class _State(threading.local):
    def __init__(self):
        self.bodies = []  # (learned, {id(param): (leaf index, param)}) per loop body
        # id -> tensor: loop parameters that entered their loop as Python numbers (weak). A
        # staged if inside the body that leaves one unchanged on one path lets it take the
        # dtype of the other path, as the number itself would have (staging.follow).
        self.weak = {}
        self.notes = None  # ShapeRelaxation list of the function being traced


_tls = _State()


class body:
    """Context: tracing the body of the loop `learned.owner` whose leaves' graph values are
    `values` (Leaf records `infos`)."""

    __slots__ = ("weak_ids",)

    def __init__(self, learned, infos, values):
        params = {}
        self.weak_ids = []
        valued = [j for j, info in enumerate(infos) if info.kind not in ("static", "undef")]
        for j, v in zip(valued, values):
            params[id(v)] = (j, v)
            if infos[j].weak and id(v) not in _tls.weak:
                _tls.weak[id(v)] = v
                self.weak_ids.append(id(v))
        _tls.bodies.append((learned, params))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _tls.bodies.pop()
        for i in self.weak_ids:
            _tls.weak.pop(i, None)
        return False


def is_weak(value):
    """True for a loop parameter that entered its loop as a Python number."""
    return isinstance(value, Tensor) and _tls.weak.get(id(value)) is value


def request(shape_invariants, maximum_iterations):
    """set_loop_options inside a staged loop's body: Retry unless already in effect."""
    if not _tls.bodies:
        return  # the loop runs as Python: nothing to do
    learned, params = _tls.bodies[-1]
    shapes = {}
    for pair in shape_invariants:
        value, shape = pair
        j, param = params.get(id(value), (None, None))
        if param is not value:
            raise _located(StagingError,
                           "set_loop_options: each shape invariant must name a variable of the "
                           "loop it is in, before the body changes it (call it first in the "
                           "loop body)")
        shape = TensorShape(shape)
        if learned.shapes.get(j) != shape:
            shapes[j] = shape
    new_max = maximum_iterations is not None and learned.max_iterations is not maximum_iterations
    if shapes or new_max:
        raise Retry(learned.owner, shapes=shapes,
                    max_iterations=maximum_iterations if new_max else None)


def relaxed(entry_shape, shape):
    """`entry_shape` with None where `shape` differs (same rank)."""
    return TensorShape(a if a == b else None for a, b in zip(entry_shape, shape))


class recording:
    """Context around tracing one function: collects its automatic shape relaxations."""

    __slots__ = ("notes", "_saved")

    def __init__(self):
        self.notes = []

    def __enter__(self):
        self._saved, _tls.notes = _tls.notes, self.notes
        return self

    def __exit__(self, *exc):
        _tls.notes = self._saved
        return False


def note(relaxation):
    if _tls.notes is not None and relaxation not in _tls.notes:
        _tls.notes.append(relaxation)
