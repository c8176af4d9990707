"""`ag.keras.Model` and `ag.keras.Sequential`, with compile / fit / evaluate / predict.

A Model is a Layer whose weights are those of the layers it holds (found by ag.Module's
attribute walk). Subclasses define `call(self, x, training=False)`, plain or decorated with
`@ag.function`. `fit` runs each epoch as one staged graph (training.py).
"""
import time

import numpy as np

from ..function import function
from . import losses as losses_module
from . import metrics as metrics_module
from . import optimizers as optimizers_module
from .layers import Layer, _Seeds, _accepts
from .training import History, Loops, Progress, as_tensor, batch_orders


class Model(Layer):
    """A layer made of layers, trainable with compile/fit (TensorFlow's `tf.keras.Model`)."""

    # compile's objects hold Variables of their own, which are not the model's weights.
    _untracked_attributes = ("_loops",)

    def __init__(self, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self._loops = None
        self._predict_fn = None

    def build(self, input_shape):
        # A model's weights belong to its layers, made on their first calls.
        self.built = True

    @property
    def layers(self):
        """The layers directly held by this model (not the layers inside them)."""
        direct = []
        seen = set()

        def visit(value):
            if isinstance(value, Layer):
                if id(value) not in seen:
                    seen.add(id(value))
                    direct.append(value)
            elif isinstance(value, (list, tuple)):
                for v in value:
                    visit(v)
            elif isinstance(value, dict):
                for v in value.values():
                    visit(v)

        self._visit_attributes(visit)
        return direct

    # ---- training ------------------------------------------------------------------------------
    def compile(self, optimizer="adam", loss=None, metrics=None):
        """Sets the optimizer (an Optimizer, 'adam' or 'sgd'), the loss (a Loss, a name or a
        callable(y_true, y_pred)) and the metrics (names or Metric objects) fit uses."""
        if isinstance(optimizer, str):
            by_name = {"adam": optimizers_module.Adam, "sgd": optimizers_module.SGD}
            if optimizer.lower() not in by_name:
                raise ValueError(f"unknown optimizer {optimizer!r}: use 'adam', 'sgd' or an "
                                 "Optimizer")
            optimizer = by_name[optimizer.lower()]()
        if loss is None:
            raise ValueError("Model.compile: a loss is required")
        loss = losses_module.get(loss)
        metrics = [metrics_module.get(m, loss) for m in (metrics or [])]
        self.optimizer = optimizer
        self._loops = Loops(self, optimizer, loss, metrics)
        return self

    def _compiled(self, what):
        if self._loops is None:
            raise RuntimeError(f"Model.{what}: call model.compile(optimizer, loss, metrics) first")
        return self._loops

    def fit(self, x, y, batch_size=32, epochs=1, validation_data=None, verbose=1, shuffle=True,
            seed=None):
        """Trains for `epochs` passes over (x, y), each one staged graph (one trace for all
        epochs). Returns a History of per-epoch 'loss', metrics and, with `validation_data`,
        'val_loss' and 'val_<metric>'."""
        loops = self._compiled("fit")
        batch_size = _check_batch_size(batch_size)
        xt, yt = as_tensor(x, "x"), as_tensor(y, "y")
        n = _check_lengths(xt, yt, "fit")
        val = None
        if validation_data is not None:
            vx, vy = validation_data[0], validation_data[1]
            vxt, vyt = as_tensor(vx, "validation x"), as_tensor(vy, "validation y")
            vblock, vrest = batch_orders(_check_lengths(vxt, vyt, "fit (validation_data)"),
                                         batch_size)
            val = (vxt, vyt, vblock, vrest)
        rng = np.random.default_rng(_Seeds.next() if seed is None else seed)
        history = History({"epochs": epochs, "batch_size": batch_size, "samples": n})
        progress = Progress(epochs, verbose)
        try:
            for epoch in range(epochs):
                start = time.perf_counter()
                block, rest = batch_orders(n, batch_size, rng if shuffle else None)
                logs = loops.run("train", xt, yt, block, rest)
                if val is not None:
                    val_logs = loops.run("test", *val)
                    logs.update({f"val_{k}": v for k, v in val_logs.items()})
                history._append(epoch, logs)
                progress.epoch_end(epoch, logs, time.perf_counter() - start)
        finally:
            progress.close()
        self.history = history
        return history

    def evaluate(self, x, y, batch_size=32, verbose=0, return_dict=False):
        """The loss and metrics over (x, y) (one staged pass): a float when there are no metrics,
        else [loss, *metrics], or a dict with return_dict=True."""
        loops = self._compiled("evaluate")
        xt, yt = as_tensor(x, "x"), as_tensor(y, "y")
        n = _check_lengths(xt, yt, "evaluate")
        block, rest = batch_orders(n, _check_batch_size(batch_size))
        logs = loops.run("test", xt, yt, block, rest)
        if verbose:
            print(" - ".join(f"{k}: {v:.4f}" for k, v in logs.items()), flush=True)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=32, verbose=0):
        """The model's outputs on x as a NumPy array, computed by batches with a staged step
        (one trace for the full batches, one for a smaller last batch)."""
        xt = as_tensor(x, "x")
        batch_size = _check_batch_size(batch_size)
        if self._predict_fn is None:
            self._predict_fn = function(lambda xb: self(xb, training=False),
                                        name="predict_step")
        n = xt.shape[0]
        outs = [self._predict_fn(xt[i:i + batch_size]).numpy() for i in range(0, n, batch_size)]
        return np.concatenate(outs, axis=0) if outs else np.zeros((0,), np.float32)

    def summary(self, print_fn=print):
        """One line per weight: name, shape, and the total parameter count."""
        total = 0
        print_fn(f"Model: {self.name}")
        for v in self.variables:
            count = int(np.prod(v.shape)) if v.shape else 1
            total += count if v.trainable else 0
            print_fn(f"  {v.name:40s} {str(tuple(v.shape)):16s} {count}")
        print_fn(f"Trainable params: {total}")


class Sequential(Model):
    """Layers applied one after another: `Sequential([Dense(128, 'relu'), Dense(10)])`."""

    def __init__(self, layers=None, name=None):
        super().__init__(name)
        self._layers = []
        for layer in layers or []:
            self.add(layer)

    def add(self, layer):
        if not callable(layer):
            raise TypeError(f"Sequential.add: expected a layer, got {layer!r}")
        self._layers.append(layer)

    @property
    def layers(self):
        return list(self._layers)

    def call(self, inputs, training=False):
        x = inputs
        for layer in self._layers:
            if isinstance(layer, Layer) or _accepts(type(layer).__call__, "training"):
                x = layer(x, training=training)
            else:
                x = layer(x)
        return x


def _check_batch_size(batch_size):
    if batch_size is None:
        return 32
    if int(batch_size) <= 0:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    return int(batch_size)


def _check_lengths(x, y, who):
    n = x.shape[0] if x.shape else 0
    if not y.shape or y.shape[0] != n:
        raise ValueError(f"Model.{who}: x has {n} examples but y has "
                         f"{y.shape[0] if y.shape else 'no'} (shapes {tuple(x.shape)} and "
                         f"{tuple(y.shape)})")
    if n == 0:
        raise ValueError(f"Model.{who}: no examples")
    return n

