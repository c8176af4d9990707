"""The loops behind Model.fit and Model.evaluate: one staged graph per pass over the data.

An epoch is one call of an ag.function: a `While` over the full batches (each step gathers its
batch from the whole training set by a row of the epoch's permutation, passed in as an int32
tensor) and, when the data does not divide into batches, one more step on the remainder. Every
epoch passes tensors of the same shapes, so all epochs (and every later `fit` on data of the same
size) run one trace. Metrics live in Variables: they are reset eagerly before the call and read
after it.
"""
import sys

import numpy as np

from .. import _core
from .. import control_flow
from .. import ops
from ..function import function


class History:
    """What `fit` returns: `.history` maps 'loss', each metric, 'val_loss', ... to per-epoch
    lists; `.epoch` lists the epoch numbers."""

    def __init__(self, params):
        self.history = {}
        self.epoch = []
        self.params = params

    def _append(self, epoch, logs):
        self.epoch.append(epoch)
        for k, v in logs.items():
            self.history.setdefault(k, []).append(v)

    def __repr__(self):
        return f"<History epochs={len(self.epoch)} keys={list(self.history)}>"


def batch_orders(n, batch_size, rng=None):
    """(full, rest): the row order as int32, split into a (batches, batch_size) block and the
    remainder (None when n divides)."""
    order = np.arange(n, dtype=np.int32) if rng is None else rng.permutation(n).astype(np.int32)
    full = n // batch_size
    block = order[: full * batch_size].reshape(full, batch_size)
    rest = order[full * batch_size:] if n % batch_size else None
    return block, rest


def over_batches(step, x, y, block, rest):
    """Stages `step(x_batch, y_batch)` for every row of `block` in one While, then for `rest`."""
    batches = block.shape[0]

    def body(i):
        index = ops.gather(block, i)
        step(ops.gather(x, index), ops.gather(y, index))
        return i + 1

    if batches:
        control_flow.while_loop(lambda i: i < batches, body, [ops.constant(0)])
    if rest is not None:
        step(ops.gather(x, rest), ops.gather(y, rest))


class Loops:
    """The staged train and test passes of one compiled model (made by `compile`)."""

    def __init__(self, model, optimizer, loss, metrics):
        self.model = model
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        from .metrics import Mean

        self.loss_tracker = Mean(name="loss")
        self.train_pass = function(self._train_pass, name="train_epoch")
        self.test_pass = function(self._test_pass, name="test_epoch")

    def all_metrics(self):
        return [self.loss_tracker] + list(self.metrics)

    def _results(self):
        return [m.result() for m in self.all_metrics()]

    def train_step(self, x, y):
        # Imported here: autodiff imports the package's core modules, keras is imported after.
        from ..autodiff import GradientTape

        model = self.model
        with GradientTape() as tape:
            pred = model(x, training=True)
            loss = self.loss(y, pred)
        variables = model.trainable_variables
        grads = tape.gradient(loss, variables)
        self.optimizer.apply_gradients(zip(grads, variables))
        self._track(loss, x, y, pred)

    def test_step(self, x, y):
        pred = self.model(x, training=False)
        self._track(self.loss(y, pred), x, y, pred)

    def _track(self, loss, x, y, pred):
        # The epoch's loss weights each batch by its size (the remainder batch counts less).
        self.loss_tracker.update_state(loss, sample_weight=np.float32(x.shape[0]))
        for m in self.metrics:
            m.update_state(y, pred)

    def _train_pass(self, x, y, block, rest):
        over_batches(self.train_step, x, y, block, rest)
        return self._results()

    def _test_pass(self, x, y, block, rest):
        over_batches(self.test_step, x, y, block, rest)
        return self._results()

    def run(self, which, x, y, block, rest):
        """One pass; returns {'loss': ..., metric name: ...} as Python floats."""
        for m in self.all_metrics():
            m.reset_state()
        fn = self.train_pass if which == "train" else self.test_pass
        rest = None if rest is None else ops.constant(rest)
        values = fn(x, y, ops.constant(block), rest)
        return {m.name: float(v.numpy()) for m, v in zip(self.all_metrics(), values)}


class Progress:
    """Per-epoch progress: a tqdm bar with a line per epoch above it (verbose=1; tqdm.auto shows
    a widget in Jupyter when ipywidgets is installed, text otherwise), only the lines
    (verbose=2), or nothing (verbose=0)."""

    def __init__(self, epochs, verbose):
        self.epochs = epochs
        self.verbose = verbose
        self.bar = None
        if verbose == 1:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=epochs, unit="epoch", desc="fit", file=sys.stdout,
                            dynamic_ncols=True)

    def epoch_end(self, epoch, logs, seconds):
        text = " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())
        line = f"Epoch {epoch + 1}/{self.epochs} - {seconds:.2f}s - {text}"
        if self.bar is not None:
            # Each epoch's line stays above the bar (a record of the run, as Keras prints).
            self.bar.write(line, file=sys.stdout)
            self.bar.set_postfix_str(f"loss: {logs['loss']:.4f}", refresh=False)
            self.bar.update(1)
        elif self.verbose == 2:
            print(line, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def as_tensor(a, name):
    """An eager tensor for fit's data (float inputs as float32, as the layers use)."""
    if _core.tracing():
        raise RuntimeError(f"Model.fit/evaluate/predict: call them eagerly, not inside a "
                           f"staged function ({name} is symbolic)")
    if hasattr(a, "numpy") and not isinstance(a, np.ndarray):
        a = a.numpy()
    a = np.asarray(a)
    if a.dtype.kind == "f" and a.dtype != np.float32:
        a = a.astype(np.float32)
    return ops.constant(a)
