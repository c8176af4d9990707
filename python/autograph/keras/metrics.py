"""`ag.keras.metrics`: Mean, SparseCategoricalAccuracy, CategoricalAccuracy.

A metric accumulates over calls in Variables (a total and a count), so `update_state` inside a
staged function updates the same state as eager calls do, and `result()` read after a staged
epoch is the epoch's value. `__call__` updates and returns the result, `reset_state` zeroes.
"""
import numpy as np

from .. import dtypes
from .. import ops
from ..variables import Variable, init_scope
from .losses import _tensor, sparse_labels


class Metric:
    """Base class: subclasses define `update_state`; state lives in `add_weight` Variables."""

    def __init__(self, name=None):
        self.name = name or type(self).__name__.lower()
        self._weights = []

    def add_weight(self, name, initial=0.0):
        # Created eagerly even when the metric is made while tracing (the state outlives it).
        with init_scope():
            v = Variable(np.float32(initial), trainable=False, name=f"{self.name}/{name}")
        self._weights.append(v)
        return v

    @property
    def variables(self):
        return tuple(self._weights)

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def reset_state(self):
        for v in self._weights:
            v.assign(np.float32(0.0))

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def __repr__(self):
        return f"<{type(self).__name__} '{self.name}'>"


class _TotalOverCount(Metric):
    def __init__(self, name):
        super().__init__(name)
        self.total = self.add_weight("total")
        self.count = self.add_weight("count")

    def _add(self, values, sample_weight=None):
        values = _tensor(values, dtypes.float32)
        if sample_weight is None:
            self.total.assign_add(ops.reduce_sum(values))
            self.count.assign_add(ops.cast(ops.size(values), dtypes.float32))
            return
        w = _tensor(sample_weight, dtypes.float32) * ops.ones_like(values)
        self.total.assign_add(ops.reduce_sum(values * w))
        self.count.assign_add(ops.reduce_sum(w))

    def result(self):
        # 0 before any update (TensorFlow's divide_no_nan), not nan.
        count = self.count.read_value()
        return self.total.read_value() / ops.maximum(count, np.float32(1e-30))


class Mean(_TotalOverCount):
    """The (weighted) mean of every value passed to `update_state`."""

    def __init__(self, name="mean"):
        super().__init__(name)

    def update_state(self, values, sample_weight=None):
        self._add(values, sample_weight)


class SparseCategoricalAccuracy(_TotalOverCount):
    """The fraction of examples whose argmax prediction equals the integer label."""

    def __init__(self, name="sparse_categorical_accuracy"):
        super().__init__(name)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = _tensor(y_pred)
        labels = sparse_labels(y_true, y_pred, "SparseCategoricalAccuracy")
        predicted = ops.argmax(y_pred, axis=-1)
        hits = ops.equal(ops.cast(labels, dtypes.int64), predicted)
        self._add(ops.cast(hits, dtypes.float32), sample_weight)


class CategoricalAccuracy(_TotalOverCount):
    """The fraction of examples whose argmax prediction equals the argmax of the one-hot label."""

    def __init__(self, name="categorical_accuracy"):
        super().__init__(name)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = _tensor(y_pred)
        hits = ops.equal(ops.argmax(_tensor(y_true), axis=-1), ops.argmax(y_pred, axis=-1))
        self._add(ops.cast(hits, dtypes.float32), sample_weight)


def get(identifier, loss=None):
    """A Metric from a name or a Metric; 'accuracy'/'acc' follows the loss (sparse labels with
    SparseCategoricalCrossentropy, one-hot otherwise), named as given, as Keras does."""
    if isinstance(identifier, Metric):
        return identifier
    if identifier in ("accuracy", "acc"):
        from .losses import CategoricalCrossentropy

        if isinstance(loss, CategoricalCrossentropy):
            return CategoricalAccuracy(name=identifier)
        return SparseCategoricalAccuracy(name=identifier)
    by_name = {"sparse_categorical_accuracy": SparseCategoricalAccuracy,
               "categorical_accuracy": CategoricalAccuracy, "mean": Mean}
    if identifier in by_name:
        return by_name[identifier]()
    raise ValueError(f"unknown metric {identifier!r}: use 'accuracy', one of {sorted(by_name)}, "
                     "or a Metric")
