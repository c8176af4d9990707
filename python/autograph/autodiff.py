"""`ag.GradientTape` and `ag.stop_gradient`: reverse-mode automatic differentiation.

Eagerly the tape records the ops run on watched tensors and computes gradients at once; inside
`ag.function` the gradient becomes part of the graph being traced, so a whole training step is
one graph (runtime/autodiff/ does both; this module keeps Python's structures and names).
"""
import contextlib

from . import _core
from . import nest
from .variables import Variable


def _handle(x):
    """What the runtime takes for a source or a watched object: a variable's storage or a
    tensor."""
    return x._resource if isinstance(x, Variable) else x


def _is_source_leaf(x):
    return isinstance(x, Variable)


class GradientTape:
    """Records operations for automatic differentiation (TensorFlow's `tf.GradientTape`).

    `persistent=True` allows several `gradient`/`jacobian` calls; with
    `watch_accessed_variables=True` every trainable `ag.Variable` read while recording is
    watched. Nested tapes give higher derivatives.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._tape = _core._GradientTape(persistent, watch_accessed_variables)
        self._open = False

    def __enter__(self):
        self._tape.start()
        self._open = True
        return self

    def __exit__(self, *exc):
        self._tape.stop()
        self._open = False
        return False

    def watch(self, tensor):
        """Watches a tensor, a Variable, or a nested structure of them (inside the tape's
        `with` block)."""
        if not self._open:
            from .errors import InvalidArgumentError

            raise InvalidArgumentError(
                "GradientTape.watch: the tape is not recording; watch tensors inside its "
                "`with ag.GradientTape() as tape:` block"
            )
        leaves, _ = nest.flatten(tensor, is_leaf=_is_source_leaf)
        for x in leaves:
            if isinstance(x, Variable):
                self._tape.watch_variable(x._resource)
            else:
                self._tape.watch_tensor(x)

    @contextlib.contextmanager
    def stop_recording(self):
        """Ops inside this block are not recorded."""
        if not self._open:
            from .errors import InvalidArgumentError

            raise InvalidArgumentError(
                "GradientTape.stop_recording: the tape is not recording (use it inside the "
                "tape's `with` block)"
            )
        self._tape.pause()
        try:
            yield
        finally:
            self._tape.resume()

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """d(target)/d(sources), shaped like `sources` (a tensor, a Variable, or any nesting
        of lists, tuples and dicts of them). A non-scalar target is summed first (as
        TensorFlow does); `output_gradients` weights it instead. A source the target does not
        depend on gets None, or zeros with `unconnected_gradients='zero'`.
        """
        return self._gradient(target, sources, output_gradients, unconnected_gradients, True)

    def jacobian(self, target, sources, unconnected_gradients="none"):
        """d(target[i...])/d(source) for every element of `target`: for each source, a tensor
        of shape target.shape + source.shape."""
        from . import ops

        target = ops.constant(target) if not hasattr(target, "shape") else target
        shape = tuple(target.shape)
        if any(d is None for d in shape):
            from .errors import InvalidArgumentError

            raise InvalidArgumentError(
                "GradientTape.jacobian: the target's shape must be known, got "
                f"{shape} (a staged tensor with an unknown dimension)"
            )
        n = 1
        for d in shape:
            n *= d
        leaves, tree = nest.flatten(sources, is_leaf=_is_source_leaf)
        rows = [[] for _ in leaves]
        for i in range(n):
            weight = ops.reshape(ops.one_hot(i, n, dtype=target.dtype), shape)
            grads = self._gradient(target, leaves, weight, unconnected_gradients, i == n - 1)
            for r, g in zip(rows, grads):
                r.append(g)
        out = []
        for x, r in zip(leaves, rows):
            if any(g is None for g in r):
                out.append(None)
                continue
            source_shape = tuple((x.read_value() if isinstance(x, Variable) else x).shape)
            out.append(ops.reshape(ops.stack(r), shape + source_shape))
        return nest.pack(tree, out)

    def _gradient(self, target, sources, output_gradients, unconnected, last_use):
        targets, target_tree = nest.flatten(target)
        leaves, tree = nest.flatten(sources, is_leaf=_is_source_leaf)
        if output_gradients is None:
            weights = []
        else:
            weights, weight_tree = nest.flatten(output_gradients)
            if weight_tree != target_tree and len(weights) != len(targets):
                from .errors import InvalidArgumentError

                raise InvalidArgumentError(
                    "GradientTape.gradient: output_gradients must have the target's structure"
                )
        grads = self._tape.gradient(
            targets, [_handle(x) for x in leaves], weights, unconnected, last_use
        )
        return nest.pack(tree, grads)


def stop_gradient(x):
    """`x`, through which no gradient flows."""
    return _core.apply(_core.op_kinds["stop_gradient"], [x])
