"""How one iteration over a Dataset reads its elements: by position, with ag ops.

A Dataset (dataset.py) describes a pipeline; `Dataset._reader()` makes the Reader of one
iteration. A Reader has a `length` (a Python int when known before running, an int64 scalar
tensor when only the graph knows it (after `filter`), None when infinite) and gives element `k`
(`item(k, e)`) and, when it can, the elements at a vector of positions at once (`rows(idx, e)`,
used by `batch`: one gather per component instead of a loop over the batch).

Reading by position is what lets a staged `for x in ds` be ONE While: the loop carries only a
counter k (operators/control_flow.py `_stage_for`), and the body computes element k from the
source tensors (captured as graph constants or inputs) with a fixed number of ops, whatever the
dataset's length. Eager iteration calls the same `item` with eager tensors, so eager and staged
iteration produce the same elements in the same order.

`e`, the epoch, tells apart the passes that `repeat` makes over its input, so a `shuffle` under
a `repeat` orders each pass differently (shuffle.py); it is 0 outside any repeat.
"""
from .. import _core
from .. import dtypes
from .. import nest
from .. import ops
from ..tensor import Tensor
from ..tensor_array import TensorArray

# An infinite length whose finiteness is only known when the graph runs (repeat() of a filtered
# dataset: empty if nothing passed the filter).
_ENDLESS = 2 ** 62


def i64(x):
    """x as an int64 tensor."""
    if isinstance(x, Tensor):
        return x if x.dtype == dtypes.int64 else ops.cast(x, dtypes.int64)
    return _core.constant(x, dtypes.int64)


def minimum(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return min(a, b)
    return ops.minimum(i64(a), i64(b))


def maximum(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return max(a, b)
    return ops.maximum(i64(a), i64(b))


def is_leaf(x):
    return isinstance(x, Tensor)


def as_element(value):
    """A structure returned by a user function (map) with its leaves as tensors."""
    leaves, tree = nest.flatten(value, is_leaf)
    return nest.pack(tree, [v if isinstance(v, Tensor) else _core.constant(v) for v in leaves])


class Reader:
    length = None
    vectorized = False  # rows() available

    def item(self, k, e):
        raise NotImplementedError

    def rows(self, idx, e):
        raise NotImplementedError


class SlicesReader(Reader):
    """from_tensor_slices: element k is row k of every component."""

    vectorized = True

    def __init__(self, leaves, tree):
        self.leaves, self.tree = leaves, tree
        n = leaves[0].shape[0]
        self.length = n if n is not None else i64(ops.shape(leaves[0])[0])

    def item(self, k, e):
        return nest.pack(self.tree, [leaf[k] for leaf in self.leaves])

    def rows(self, idx, e):
        return nest.pack(self.tree, [ops.gather(leaf, idx) for leaf in self.leaves])


class RangeReader(Reader):
    vectorized = True

    def __init__(self, start, step, length, dtype):
        self.start, self.step, self.length, self.dtype = start, step, length, dtype

    def item(self, k, e):
        return ops.cast(self.start + i64(k) * self.step, self.dtype)

    rows = item


class ZipReader(Reader):
    def __init__(self, readers, tree):
        self.readers, self.tree = readers, tree
        self.vectorized = all(r.vectorized for r in readers)
        n = None
        for r in readers:
            if r.length is not None:
                n = r.length if n is None else minimum(n, r.length)
        self.length = n

    def item(self, k, e):
        return nest.pack(self.tree, [r.item(k, e) for r in self.readers])

    def rows(self, idx, e):
        return nest.pack(self.tree, [r.rows(idx, e) for r in self.readers])


class EnumerateReader(Reader):
    def __init__(self, reader, start):
        self.reader, self.start = reader, start
        self.length, self.vectorized = reader.length, reader.vectorized

    def item(self, k, e):
        return i64(k) + self.start, self.reader.item(k, e)

    def rows(self, idx, e):
        return idx + self.start, self.reader.rows(idx, e)


class OffsetReader(Reader):
    """take(n) (offset 0) and skip(n): positions shifted by `offset`, length given."""

    def __init__(self, reader, offset, length):
        self.reader, self.offset, self.length = reader, offset, length
        self.vectorized = reader.vectorized

    def item(self, k, e):
        return self.reader.item(k + self.offset if self.offset else k, e)

    def rows(self, idx, e):
        return self.reader.rows(idx + self.offset if self.offset else idx, e)


class RepeatReader(Reader):
    """Pass p over the input reads position k - p*L of it with epoch e*_EPOCHS + p."""

    _EPOCHS = 1_000_003  # a prime: (e, p) pairs of nested repeats map to distinct epochs

    def __init__(self, reader, count):
        self.reader, self.vectorized = reader, reader.vectorized
        n = reader.length
        if count is None:
            if isinstance(n, int):
                self.length = 0 if n == 0 else None
            else:
                self.length = ops.where(n > 0, i64(_ENDLESS), i64(0))
        else:
            self.length = n * count if isinstance(n, int) else i64(n) * count
        # A zero length (repeat of an empty dataset, by a tensor) never reaches item().
        self.n = maximum(n, 1) if not isinstance(n, int) else max(n, 1)

    def _split(self, k, e):
        k = i64(k)
        return k % self.n, i64(e) * self._EPOCHS + k // self.n

    def item(self, k, e):
        return self.reader.item(*self._split(k, e))

    def rows(self, idx, e):
        return self.reader.rows(*self._split(idx, e))


class MapReader(Reader):
    def __init__(self, reader, fn):
        self.reader, self.fn, self.length = reader, fn, reader.length

    def item(self, k, e):
        return as_element(call(self.fn, self.reader.item(k, e)))


def call(fn, element):
    """fn on an element: a tuple is spread over the arguments (as tf.data does)."""
    if isinstance(element, tuple):
        return fn(*element)
    return fn(element)


class FilterReader(Reader):
    """filter: the positions of the input that pass are found first, in a loop before the
    iteration's own (a staged While when tracing); then element k is input element kept[k].
    The input is read at epoch 0 both times, so a filter under a repeat keeps the same
    elements on every pass."""

    def __init__(self, reader, pred):
        if reader.length is None:
            raise ValueError("filter() of an infinite dataset cannot be iterated by position; "
                             "apply repeat() after filter()")
        self.reader, self.vectorized = reader, reader.vectorized
        if _core.tracing():
            self.kept, self.length = _kept_staged(reader, pred)
        else:
            kept = [k for k in range(int(reader.length))
                    if bool(_truth(call(pred, reader.item(i64(k), 0))))]
            self.kept, self.length = i64(kept if kept else []), len(kept)

    def item(self, k, e):
        return self.reader.item(self.kept[k], 0)

    def rows(self, idx, e):
        return self.reader.rows(ops.gather(self.kept, idx), 0)


def _truth(p):
    if isinstance(p, Tensor):
        if p.shape:
            raise ValueError(f"filter: the predicate must return a scalar, got shape "
                             f"{tuple(p.shape)}")
        return p
    return bool(p)


def _kept_staged(reader, pred):
    """(kept positions, their count) of the elements of `reader` for which pred holds."""
    from ..control_flow import while_loop

    n = i64(reader.length)
    kept = TensorArray(dtypes.int64, size=0, dynamic_size=True, element_shape=())

    def body(k, j, kept):
        p = _truth(call(pred, reader.item(k, 0)))
        # Written at j whether or not it passes; j moves on only when it does.
        kept = kept.write(j, k)
        step = ops.cast(p, dtypes.int64) if isinstance(p, Tensor) else int(p)
        return k + 1, j + step, kept

    _, count, kept = while_loop(lambda k, j, kept: k < n, body,
                                (i64(0), i64(0), kept))
    return ops.gather(kept.stack(), ops.range(i64(0), count)), count


class BatchReader(Reader):
    """Element k is input elements k*n .. min(k*n + n, L) - 1 stacked: one gather per
    component when the input reads rows, else a loop over the batch (after a map)."""

    def __init__(self, reader, n, drop_remainder):
        self.reader, self.n = reader, n
        length = reader.length
        if length is None:
            self.length, full = None, True
        elif drop_remainder:
            self.length, full = length // n, True
        else:
            self.length = (length + (n - 1)) // n
            full = isinstance(length, int) and length % n == 0
        # Every batch full: positions start + [0, n) (a static batch dimension).
        self.full = full
        self.offsets = None

    def _positions(self, k):
        start = i64(k) * self.n
        if self.full:
            if self.offsets is None:
                self.offsets = _core.constant(list(range(self.n)), dtypes.int64)
            return start, start + self.offsets, self.n
        stop = minimum(start + self.n, self.reader.length)
        return start, ops.range(start, stop), stop - start

    def item(self, k, e):
        start, idx, count = self._positions(k)
        if self.reader.vectorized:
            return self.reader.rows(idx, e)
        return _stack_items(self.reader, start, count, e)


def _stack_items(reader, start, count, e):
    """Input elements start .. start + count - 1 (count >= 1) stacked per component."""
    from ..control_flow import while_loop

    first = reader.item(start, e)
    leaves, tree = nest.flatten(first, is_leaf)
    if not _core.tracing():
        columns = [[leaf] for leaf in leaves]
        for i in range(1, int(count)):
            more, more_tree = nest.flatten(reader.item(start + i, e), is_leaf)
            _same_structure(tree, more_tree)
            for column, leaf in zip(columns, more):
                column.append(leaf)
        return nest.pack(tree, [ops.stack(c) for c in columns])
    arrays = tuple(TensorArray(leaf.dtype, size=0, dynamic_size=True).write(0, leaf)
                   for leaf in leaves)

    def body(i, arrays):
        more, more_tree = nest.flatten(reader.item(start + i, e), is_leaf)
        _same_structure(tree, more_tree)
        return i + 1, tuple(a.write(i, v) for a, v in zip(arrays, more))

    _, arrays = while_loop(lambda i, arrays: i < count, body, (i64(1), arrays))
    return nest.pack(tree, [a.stack() for a in arrays])


def _same_structure(tree, other):
    if tree != other:
        raise ValueError(f"batch: the elements have different structures: "
                         f"{nest.describe(tree)} and {nest.describe(other)}")
