"""`ag.keras.losses`: SparseCategoricalCrossentropy, CategoricalCrossentropy, MeanSquaredError.

`loss(y_true, y_pred)` is the mean over the batch of the per-example loss. Cross-entropies take
logits through a stable log-softmax (x - max - log(sum(exp(x - max)))), so large logits give
finite losses and gradients; probabilities are normalized and clipped to [eps, 1 - eps] as Keras
does. Integer labels outside [0, classes) fail with ag.InvalidArgumentError at the user's line:
eagerly at once, staged as a graph assertion when the step runs.
"""
import numpy as np

from .. import _core
from .. import dtypes
from .. import ops
from ..autodiff import stop_gradient
from ..control_flow import _assert
from ..errors import InvalidArgumentError, _located
from ..tensor import Tensor
from ..variables import Variable

EPSILON = 1e-7


def _tensor(x, dtype=None):
    if isinstance(x, Variable):
        x = x.read_value()
    if not isinstance(x, Tensor):
        x = np.asarray(x)
        if x.dtype.kind == "f" and dtype is None:
            x = x.astype(np.float32)
        x = ops.constant(x)
    if dtype is not None and x.dtype != dtype:
        x = ops.cast(x, dtype)
    return x


def log_softmax(logits, axis=-1):
    """log(softmax(logits)) without overflow: the max is subtracted first (and held constant
    for the gradient, which does not depend on it)."""
    z = logits - stop_gradient(ops.reduce_max(logits, axis=axis, keepdims=True))
    return z - ops.log(ops.reduce_sum(ops.exp(z), axis=axis, keepdims=True))


def _log_probs(y_pred, from_logits, axis=-1):
    if from_logits:
        return log_softmax(y_pred, axis)
    p = y_pred / ops.reduce_sum(y_pred, axis=axis, keepdims=True)
    return ops.log(ops.clip_by_value(p, EPSILON, 1.0 - EPSILON))


def check_labels(labels, classes, who):
    """Fails (at the user's line) when an integer label is outside [0, classes)."""
    message = f"{who}: labels must be in [0, {classes}) for predictions of {classes} classes"
    if not _core.tracing():
        values = labels.numpy()
        if values.size and (values.min() < 0 or values.max() >= classes):
            bad = values[(values < 0) | (values >= classes)].ravel()[0]
            raise _located(InvalidArgumentError, f"{message}, got label {bad}")
        return
    in_range = ops.logical_and(ops.reduce_all(labels >= 0), ops.reduce_all(labels < classes))
    _assert(in_range, message)


def sparse_labels(y_true, y_pred, who):
    """Integer labels shaped like y_pred without its last axis (a trailing 1 is dropped)."""
    labels = _tensor(y_true)
    if labels.dtype not in (dtypes.int32, dtypes.int64):
        labels = ops.cast(labels, dtypes.int32)
    if len(labels.shape) == len(y_pred.shape) and labels.shape[-1] == 1:
        labels = ops.reshape(labels, ops.shape(labels)[:-1])
    return labels


class Loss:
    """Base class: `__call__` averages `call(y_true, y_pred)` (one value per example)."""

    def __init__(self, name=None):
        self.name = name or _snake(type(self).__name__)

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def __call__(self, y_true, y_pred, sample_weight=None):
        per_example = self.call(y_true, _tensor(y_pred))
        if sample_weight is None:
            return ops.reduce_mean(per_example)
        w = _tensor(sample_weight, per_example.dtype)
        return ops.reduce_sum(per_example * w) / ops.cast(ops.size(per_example), w.dtype)

    def __repr__(self):
        return f"<{type(self).__name__} '{self.name}'>"


def _snake(name):
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i:
            out.append("_")
        out.append(c.lower())
    return "".join(out)


class SparseCategoricalCrossentropy(Loss):
    """-log p[label] for integer labels."""

    def __init__(self, from_logits=False, name="sparse_categorical_crossentropy"):
        super().__init__(name)
        self.from_logits = bool(from_logits)

    def call(self, y_true, y_pred):
        classes = y_pred.shape[-1]
        labels = sparse_labels(y_true, y_pred, "SparseCategoricalCrossentropy")
        check_labels(labels, classes, "SparseCategoricalCrossentropy")
        log_p = _log_probs(y_pred, self.from_logits)
        picked = ops.one_hot(labels, classes, dtype=log_p.dtype) * log_p
        return -ops.reduce_sum(picked, axis=-1)


class CategoricalCrossentropy(Loss):
    """-sum(y_true * log p) for one-hot (or soft) labels."""

    def __init__(self, from_logits=False, name="categorical_crossentropy"):
        super().__init__(name)
        self.from_logits = bool(from_logits)

    def call(self, y_true, y_pred):
        log_p = _log_probs(y_pred, self.from_logits)
        y = _tensor(y_true, log_p.dtype)
        if tuple(y.shape) != tuple(y_pred.shape) and None not in y.shape + y_pred.shape:
            raise _located(
                InvalidArgumentError,
                f"CategoricalCrossentropy: labels of shape {tuple(y.shape)} do not match "
                f"predictions of shape {tuple(y_pred.shape)} (integer labels need "
                "SparseCategoricalCrossentropy)")
        return -ops.reduce_sum(y * log_p, axis=-1)


class MeanSquaredError(Loss):
    """mean((y_true - y_pred)**2) over the last axis."""

    def __init__(self, name="mean_squared_error"):
        super().__init__(name)

    def call(self, y_true, y_pred):
        y = _tensor(y_true, y_pred.dtype)
        return ops.reduce_mean(ops.square(y - y_pred), axis=-1)


_BY_NAME = {
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "mean_squared_error": MeanSquaredError,
    "mse": MeanSquaredError,
}


def get(identifier):
    """A Loss from a name, a Loss, or a callable(y_true, y_pred)."""
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(f"unknown loss {identifier!r}: use one of {sorted(_BY_NAME)}")
        return _BY_NAME[identifier]()
    if callable(identifier):
        return identifier
    raise ValueError(f"loss must be a name, a Loss or a callable, got {identifier!r}")
