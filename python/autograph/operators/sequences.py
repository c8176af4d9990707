"""What a staged for loop walks: tensors (along their first dimension), ranges with a tensor
bound, tensor lists and TensorArrays, enumerate/zip of those, datasets. `staged_sequence` says
which, or None when Python iterates (the loop is unrolled while tracing); for_stmt
(operators/control_flow.py) walks a StagedSequence with a counter in a staged While.
"""
from .. import _core
from .. import ops
from ..tensor import Tensor
from ..tensor_array import TensorArray
from ..variables import Variable
from . import staging
from .staging import is_list_tensor


def is_dataset(x):
    """An ag.data.Dataset (marked by its class; autograph.data is not imported here: no cycle)."""
    return getattr(type(x), "_ag_dataset", False)


class StagedSequence:
    """Something a staged for loop walks with a counter: `length()` and `item(k)`."""

    index_dtype = None

    def length(self):
        raise NotImplementedError

    def item(self, k):
        raise NotImplementedError


class StagedRange(StagedSequence):
    """`range(...)` with a tensor bound (what the `range` builtin returns for tensors)."""

    def __init__(self, start, stop, step):
        from .. import dtypes

        self.start, self.stop, self.step = start, stop, step
        wide = any(isinstance(v, Tensor) and v.dtype == dtypes.int64 for v in (start, stop, step))
        self.index_dtype = dtypes.int64 if wide else dtypes.int32
        for v in (start, stop, step):
            if isinstance(v, Tensor) and not v.dtype.is_integer:
                raise TypeError(f"range: the bounds must be integers, got a {v.dtype.name} tensor")

    def length(self):
        start, stop, step = self.start, self.stop, self.step
        if isinstance(step, int) and step == 1 and isinstance(start, int) and start == 0:
            return ops.maximum(ops.cast(stop, self.index_dtype), 0)
        # ceil((stop - start) / step), clamped at 0, for either sign of step.
        return ops.maximum(ops.cast(-((start - stop) // step), self.index_dtype), 0)

    def item(self, k):
        # Python's range yields ints: the counter is weakly typed (`x + i` with a float32 x is
        # float32, as in Python, not NumPy's float64 for float32 + int32).
        start, step = self.start, self.step
        if isinstance(start, int) and start == 0 and isinstance(step, int) and step == 1:
            return _core.weakly_typed(k)
        return _core.weakly_typed(ops.cast(start + k * step, self.index_dtype))

    def _known(self):
        """The Python range when every bound is known while tracing (e.g. `len(x)` of a static
        dim), else None."""
        bounds = (self.start, self.stop, self.step)
        if any(isinstance(v, Tensor) and v.is_symbolic for v in bounds):
            return None
        return range(*[int(v) for v in bounds])

    def __iter__(self):
        # `list(range(len(x)))`, `sorted(range(n))`, `in` outside converted code: Python
        # iterates, as Python would (converted code's `in` is ag__.in_).
        known = self._known()
        if known is None:
            raise staging.error(
                f"cannot make a Python sequence of {self!r}: its bounds are tensors whose values "
                "are known only when the graph runs; loop over it with `for`, or use ag.range",
                staging.location())
        return iter(known)

    def __repr__(self):
        return f"range({self.start}, {self.stop}, {self.step})"


class TensorSequence(StagedSequence):
    """A tensor walked along its first dimension."""

    def __init__(self, tensor):
        from .. import dtypes

        if not tensor.shape:
            raise staging.error("cannot iterate over a scalar tensor", staging.location())
        self.tensor = tensor
        self.index_dtype = dtypes.int32

    def length(self):
        n = self.tensor.shape[0]
        return n if n is not None and n >= 0 else ops.shape(self.tensor)[0]

    def item(self, k):
        return self.tensor[k]


class ListSequence(StagedSequence):
    """A TensorArray or a runtime tensor list (a Python list appended to in a staged loop)."""

    def __init__(self, lst):
        from .. import dtypes

        self.lst = lst
        self.index_dtype = dtypes.int32

    def length(self):
        if isinstance(self.lst, TensorArray):
            return self.lst.size()
        return _core.list_size(self.lst)

    def item(self, k):
        if isinstance(self.lst, TensorArray):
            return self.lst.read(k)
        return _core.list_get(self.lst, k)


class StagedEnumerate(StagedSequence):
    def __init__(self, seq, start=0):
        self.seq, self.start = seq, start
        self.index_dtype = seq.index_dtype

    def length(self):
        return self.seq.length()

    def item(self, k):
        return (k + self.start if not (isinstance(self.start, int) and self.start == 0) else k,
                self.seq.item(k))


class StagedZip(StagedSequence):
    def __init__(self, seqs):
        from .. import dtypes

        self.seqs = seqs
        self.index_dtype = dtypes.int64 if any(
            s.index_dtype == dtypes.int64 for s in seqs) else dtypes.int32

    def length(self):
        n = None
        for s in self.seqs:
            m = s.length()
            n = m if n is None else ops.minimum(n, m)
        return n

    def item(self, k):
        return tuple(s.item(k) for s in self.seqs)


def staged_sequence(iterable, force=False):
    """The StagedSequence for `iterable`, or None when Python iterates over it. While tracing,
    tensors (even values known now, captured as constants) are walked by a staged loop rather
    than unrolled; `force` also stages Python sequences (zip/enumerate next to a tensor)."""
    if isinstance(iterable, StagedSequence):
        return iterable
    if is_dataset(iterable) and _core.tracing():
        return iterable._ag_staged_sequence()  # (no import of autograph.data: no cycle)
    if isinstance(iterable, Variable) and _core.tracing():
        iterable = iterable.read_value()
    if isinstance(iterable, Tensor) and _core.tracing():
        if is_list_tensor(iterable):
            return ListSequence(iterable)
        return TensorSequence(iterable)
    if isinstance(iterable, TensorArray) and iterable._staged and _core.tracing():
        return ListSequence(iterable)
    if force:
        if isinstance(iterable, range):
            return StagedRange(iterable.start, iterable.stop, iterable.step)
        if isinstance(iterable, (list, tuple)):
            return TensorSequence(ops.stack([_core.constant(v) for v in iterable])
                                  if iterable and isinstance(iterable[0], Tensor)
                                  else _core.constant(list(iterable)))
    return None
