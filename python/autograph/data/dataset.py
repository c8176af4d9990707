"""`ag.data.Dataset`: tf.data's input pipelines, iterable eagerly and as one staged loop.

A Dataset is a description (a chain of nodes, each one Python object); iterating makes a Reader
(readers.py) that computes element k from the source tensors. Eagerly, `for x in ds` yields
ag tensors; inside `ag.function`, `for x in ds` is a staged While over k (see readers.py and
`staged_sequence` in operators/control_flow.py). `len(ds)` is the number of elements when it
is known without running (tf.data's cardinality), else a TypeError as in TensorFlow.
"""
import itertools

import numpy as np

from .. import _core
from .. import dtypes
from .. import nest
from ..errors import staging_error
from ..impl import conversion
from ..tensor import Tensor
from . import readers
from .readers import i64
from .shuffle import IterationKeys, ShuffleReader

INFINITE = -1  # tf.data.INFINITE_CARDINALITY
UNKNOWN = -2  # tf.data.UNKNOWN_CARDINALITY


class Dataset:
    """A sequence of elements (tensors in a nested structure of tuples and dicts)."""

    _cardinality = UNKNOWN
    _ag_dataset = True  # what ag__.for_stmt looks for (operators/control_flow.py)

    # ---- sources ------------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """Elements are the rows of `tensors` (a tensor, array or nested tuple/dict of them)
        along their first dimension; every component must have the same number of rows."""
        return _Slices(tensors)

    @staticmethod
    def range(*args, output_type=dtypes.int64, name=None):  # noqa: A003 - tf.data's name
        """range(stop), range(start, stop[, step]) as int64 scalars."""
        return _Range(*args, output_type=output_type)

    @staticmethod
    def zip(*datasets, name=None):  # noqa: A003 - tf.data's name
        """Elements of several datasets side by side: zip(a, b), zip((a, b)) or zip({...})."""
        structure = datasets[0] if len(datasets) == 1 and not isinstance(
            datasets[0], Dataset) else datasets
        return _Zip(structure)

    # ---- transformations ----------------------------------------------------------------------
    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Consecutive elements stacked in groups of `batch_size`; the last, smaller group is
        kept unless drop_remainder."""
        return _Batch(self, batch_size, drop_remainder)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """The elements in a random order: the same sequence of orders for the same seed, a
        new order on every iteration (shuffle.py says how)."""
        return _Shuffle(self, buffer_size, seed, reshuffle_each_iteration)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):  # noqa: A003
        """map_func applied to each element (converted by AutoGraph, so `if`/`while` on
        tensors in it are staged); a tuple element is spread over its arguments."""
        return _Map(self, map_func)

    def filter(self, predicate, name=None):  # noqa: A003
        """The elements for which predicate (a scalar bool) holds."""
        return _Filter(self, predicate)

    def take(self, count, name=None):
        """The first `count` elements (all when count is -1)."""
        return _Take(self, _count(count, "take"))

    def skip(self, count, name=None):
        """All but the first `count` elements (-1: none)."""
        return _Skip(self, _count(count, "skip"))

    def repeat(self, count=None, name=None):
        """The elements `count` times over (None or -1: forever)."""
        count = _count(count, "repeat") if count is not None else None
        return _Repeat(self, None if count == -1 else count)

    def enumerate(self, start=0, name=None):  # noqa: A003
        """(index, element) pairs, the index an int64 scalar from `start`."""
        return _Enumerate(self, _count(start, "enumerate"))

    def prefetch(self, buffer_size, name=None):
        """Accepted for tf.data compatibility; elements are computed when read."""
        return _Pass(self, "prefetch")

    def cache(self, filename="", name=None):
        """Accepted for tf.data compatibility (the sources are in memory already)."""
        return _Pass(self, "cache")

    # ---- reading ------------------------------------------------------------------------------
    def cardinality(self):
        """The number of elements as an int64 scalar (INFINITE = -1, UNKNOWN = -2)."""
        return i64(self._cardinality)

    def __len__(self):
        if self._cardinality == INFINITE:
            raise TypeError("The dataset is infinite.")
        if self._cardinality == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return self._cardinality

    def __bool__(self):
        return True  # not len(): an infinite dataset is still a value

    def __iter__(self):
        if _core.tracing():
            raise staging_error(
                "iterating over an ag.data.Dataset in Python while a function is being staged "
                "(autograph=False, or code AutoGraph does not convert): a `for` loop over a "
                "dataset becomes one staged loop only in converted code (ag.function with "
                "autograph=True)")
        reader = self._reader(False)
        ks = itertools.count() if reader.length is None else range(int(reader.length))
        for k in ks:
            yield reader.item(i64(k), 0)

    def as_numpy_iterator(self):
        """The elements with NumPy arrays in place of tensors."""
        for element in self:
            leaves, tree = nest.flatten(element, readers.is_leaf)
            yield nest.pack(tree, [v.numpy() for v in leaves])

    def _reader(self, repeated):
        """The Reader of one iteration (`repeated`: inside a repeat())."""
        raise NotImplementedError

    def _ag_staged_sequence(self):
        """What a staged `for` loop walks (operators/control_flow.py `staged_sequence`)."""
        from .staged import DatasetSequence

        return DatasetSequence(self)

    def __repr__(self):
        n = {INFINITE: "infinite", UNKNOWN: "unknown"}.get(self._cardinality, self._cardinality)
        return f"<ag.data.Dataset {type(self).__name__.lstrip('_')} ({n} elements)>"


def _count(value, what):
    if isinstance(value, Tensor):
        value = value.numpy().item()  # the count decides the pipeline's shape: a Python value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{what}: expected an integer, got {type(value).__name__}")
    return int(value)


def _component(value):
    if isinstance(value, Tensor):
        return value
    return _core.constant(value)


class _Slices(Dataset):
    def __init__(self, tensors):
        # Tuples, dicts and namedtuples are structure; anything else (a list too, as in
        # tf.data) is one component.
        leaves, self._tree = nest.flatten(
            tensors, lambda x: not isinstance(x, (tuple, dict)))
        if not leaves:
            raise ValueError("from_tensor_slices: expected at least one tensor")
        self._leaves = [_component(v) for v in leaves]
        lengths = []
        for j, t in enumerate(self._leaves):
            if not t.shape:
                raise ValueError(f"from_tensor_slices: component {j} is a scalar (shape ()); "
                                 "every component needs a first dimension to slice")
            lengths.append(t.shape[0])
        known = [(j, n) for j, n in enumerate(lengths) if n is not None]
        for j, n in known[1:]:
            if n != known[0][1]:
                raise ValueError(
                    "from_tensor_slices: all components must have the same length along "
                    f"their first dimension, but component {known[0][0]} has "
                    f"{known[0][1]} rows and component {j} has {n}")
        self._cardinality = known[0][1] if len(known) == len(lengths) else UNKNOWN

    def _reader(self, repeated):
        return readers.SlicesReader(self._leaves, self._tree)


class _Range(Dataset):
    def __init__(self, *args, output_type):
        if not 1 <= len(args) <= 3:
            raise TypeError("Dataset.range takes 1 to 3 arguments (start, stop, step)")
        args = [_count(a, "range") for a in args]
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (args + [1])[:3]
        if step == 0:
            raise ValueError("Dataset.range: step must not be 0")
        self._start, self._step, self._dtype = start, step, dtypes.as_dtype(output_type)
        self._cardinality = max(0, -((start - stop) // step))

    def _reader(self, repeated):
        return readers.RangeReader(self._start, self._step, self._cardinality, self._dtype)


class _Zip(Dataset):
    def __init__(self, structure):
        self._parts, self._tree = nest.flatten(structure, lambda x: isinstance(x, Dataset))
        if not self._parts or not all(isinstance(d, Dataset) for d in self._parts):
            raise TypeError("Dataset.zip: expected datasets (zip(a, b) or zip((a, b)))")
        cards = [d._cardinality for d in self._parts]
        finite = [c for c in cards if c >= 0]
        if finite:
            self._cardinality = min(finite) if UNKNOWN not in cards or min(finite) == 0 \
                else UNKNOWN
        else:
            self._cardinality = UNKNOWN if UNKNOWN in cards else INFINITE

    def _reader(self, repeated):
        return readers.ZipReader([d._reader(repeated) for d in self._parts], self._tree)


class _Unary(Dataset):
    def __init__(self, input_dataset):
        if not isinstance(input_dataset, Dataset):
            raise TypeError(f"expected an ag.data.Dataset, got {type(input_dataset).__name__}")
        self._input = input_dataset
        self._cardinality = input_dataset._cardinality


class _Pass(_Unary):
    def __init__(self, input_dataset, what):
        super().__init__(input_dataset)
        self._what = what

    def _reader(self, repeated):
        return self._input._reader(repeated)


class _Batch(_Unary):
    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset)
        self._n = _count(batch_size, "batch")
        if self._n < 1:
            raise ValueError(f"batch: batch_size must be at least 1, got {self._n}")
        self._drop = bool(drop_remainder)
        c = self._cardinality
        if c >= 0:
            self._cardinality = c // self._n if self._drop else -(-c // self._n)

    def _reader(self, repeated):
        return readers.BatchReader(self._input._reader(repeated), self._n, self._drop)


class _Shuffle(_Unary):
    def __init__(self, input_dataset, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(input_dataset)
        if _count(buffer_size, "shuffle") < 1 and buffer_size != -1:
            raise ValueError(f"shuffle: buffer_size must be at least 1, got {buffer_size}")
        if self._cardinality == INFINITE:
            raise ValueError("shuffle() of an infinite dataset: apply repeat() after shuffle()")
        self._keys = IterationKeys(seed, reshuffle_each_iteration)

    def _reader(self, repeated):
        key = self._keys.next_key()
        return ShuffleReader(self._input._reader(repeated), key, repeated)


class _Map(_Unary):
    def __init__(self, input_dataset, fn):
        super().__init__(input_dataset)
        if not callable(fn):
            raise TypeError(f"map: expected a callable, got {type(fn).__name__}")
        self._fn = fn

    def _reader(self, repeated):
        # Converted like ag.function's own function: `if`/`while` on tensors are staged.
        return readers.MapReader(self._input._reader(repeated), conversion.convert_entry(self._fn))


class _Filter(_Unary):
    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        if not callable(predicate):
            raise TypeError(f"filter: expected a callable, got {type(predicate).__name__}")
        if self._cardinality == INFINITE:
            raise ValueError("filter() of an infinite dataset cannot be iterated by position; "
                             "apply repeat() after filter()")
        self._pred = predicate
        self._cardinality = UNKNOWN

    def _reader(self, repeated):
        return readers.FilterReader(self._input._reader(repeated),
                                    conversion.convert_entry(self._pred))


class _Take(_Unary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._n = count
        c = self._cardinality
        if count >= 0 and c != UNKNOWN:
            self._cardinality = count if c == INFINITE else min(c, count)

    def _reader(self, repeated):
        r = self._input._reader(repeated)
        if self._n < 0:
            return r
        length = self._n if r.length is None else readers.minimum(r.length, self._n)
        return readers.OffsetReader(r, 0, length)


class _Skip(_Unary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._n = count
        c = self._cardinality
        if c >= 0:
            self._cardinality = 0 if count < 0 else max(c - count, 0)

    def _reader(self, repeated):
        r = self._input._reader(repeated)
        if self._n == 0:
            return r
        if self._n < 0:
            return readers.OffsetReader(r, 0, 0)
        length = None if r.length is None else readers.maximum(r.length - self._n, 0)
        return readers.OffsetReader(r, self._n, length)


class _Repeat(_Unary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._n = count
        c = self._cardinality
        if count is None:
            self._cardinality = 0 if c == 0 else (UNKNOWN if c == UNKNOWN else INFINITE)
        elif c >= 0:
            self._cardinality = c * max(count, 0)

    def _reader(self, repeated):
        r = self._input._reader(True)
        if r.length is None:
            return r  # an infinite input never reaches its second pass
        return readers.RepeatReader(r, self._n if self._n is None else max(self._n, 0))


class _Enumerate(_Unary):
    def __init__(self, input_dataset, start):
        super().__init__(input_dataset)
        self._start = start

    def _reader(self, repeated):
        return readers.EnumerateReader(self._input._reader(repeated), self._start)
