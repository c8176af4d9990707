"""`ag.keras.layers`: Layer, Dense, Flatten, Dropout, ReLU.

A layer creates its weights on its first call, from the input's shape (`build`). That call may
happen while a staged function is traced (the first step of a staged training loop), so `build`
runs under `ag.init_scope()`: the Variables are created eagerly, once, and the trace uses them by
reference as it uses any Variable. While tracing, a user layer's `call` is converted by AutoGraph
(its `if`/`for` on tensors are staged) like any user function the traced code calls; this module
itself is library code, so its own control flow is plain Python.
"""
import functools
import inspect
import math
import threading
import types

import numpy as np

from .. import _core
from .. import dtypes
from .. import ops
from ..errors import InvalidArgumentError, _located
from ..impl import conversion
from ..module import Module
from ..tensor import Tensor
from ..variables import Variable, init_scope
from . import activations


class _Seeds:
    """Where layers without an explicit seed get theirs: a base (set_random_seed) plus a count,
    so the same program builds the same weights every run."""

    base = 1337
    count = 0

    @classmethod
    def next(cls):
        cls.count += 1
        return cls.base * 1_000_003 + cls.count


def set_random_seed(seed):
    """Makes the layers (and fit's shuffling) created from now on start from `seed`."""
    _Seeds.base = int(seed)
    _Seeds.count = 0


def _to_tensor(x):
    """Inputs as float32 tensors when they are floating (Keras' autocast); others as given."""
    if isinstance(x, Variable):
        x = x.read_value()
    if not isinstance(x, Tensor):
        x = np.asarray(x)
        if x.dtype.kind == "f":
            x = x.astype(np.float32)
        return ops.constant(x)
    if x.dtype == dtypes.float64:
        return ops.cast(x, dtypes.float32)
    return x


def _is_structure(x):
    """A dict, or a list/tuple holding tensors: several inputs, passed to `call` as they are."""
    if isinstance(x, dict):
        return True
    return isinstance(x, (list, tuple)) and any(isinstance(e, (Tensor, Variable)) for e in x)


@functools.lru_cache(maxsize=None)
def _accepts(call, name):
    """Whether the function `call` takes a keyword argument `name` (or **kwargs)."""
    try:
        params = inspect.signature(call).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


class _CallContext(threading.local):
    training = None  # the `training` value of the layer call running in this thread


_context = _CallContext()


class Layer(Module):
    """Base class of layers: `build(input_shape)` once, then `call(inputs, ...)` per call."""

    def __init__(self, name=None, input_shape=None, **kwargs):
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unexpected arguments {sorted(kwargs)}")
        super().__init__(name)
        self.built = False
        self._input_shape_arg = None if input_shape is None else (None,) + tuple(input_shape)

    def build(self, input_shape):
        """Creates the weights for inputs of `input_shape` (runs eagerly, once)."""
        self.built = True

    def call(self, inputs):
        return inputs

    def __call__(self, inputs, *args, **kwargs):
        if not _is_structure(inputs):
            inputs = _to_tensor(inputs)
        if not self.built:
            self._build_now(inputs)
        call = self._call_function()
        # `training` not given: the enclosing layer's value (Keras' call context), so a Dropout
        # that a model's call uses without passing it still follows model(x, training=True).
        training = kwargs.pop("training", None)
        if training is None:
            training = _context.training
        if training is not None and _accepts(type(self).call, "training"):
            kwargs["training"] = training
        outer = _context.training
        _context.training = training
        try:
            with self.name_scope:  # the layer's ops in one box of the graph picture
                return call(inputs, *args, **kwargs)
        finally:
            _context.training = outer

    def _build_now(self, inputs):
        shape = tuple(inputs.shape) if hasattr(inputs, "shape") else None
        with init_scope():
            self.build(shape)
        self.built = True

    def _call_function(self):
        """`self.call`, converted by AutoGraph when a trace is running and it is user code."""
        fn = type(self).call
        if (_core.tracing() and isinstance(fn, types.FunctionType)
                and conversion.is_convertible(fn)):
            return types.MethodType(conversion.convert(fn), self)
        return self.call

    def _build_from_input_shape_arg(self):
        """`input_shape=` given at construction: build at once (as Keras' first layer does)."""
        if self._input_shape_arg is not None and not self.built:
            with init_scope():
                self.build(self._input_shape_arg)
            self.built = True


class Dense(Layer):
    """`activation(inputs @ kernel + bias)`: kernel Glorot-uniform, bias zero, made on the first
    call from the input's last dimension."""

    def __init__(self, units, activation=None, use_bias=True, seed=None, name=None,
                 input_shape=None, **kwargs):
        super().__init__(name, input_shape, **kwargs)
        if int(units) <= 0:
            raise ValueError(f"Dense: units must be a positive integer, got {units!r}")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.seed = _Seeds.next() if seed is None else int(seed)
        self.kernel = None
        self.bias = None
        self._build_from_input_shape_arg()

    def build(self, input_shape):
        if not input_shape or input_shape[-1] is None:
            raise InvalidArgumentError(
                f"Dense layer '{self.name}': the input's last dimension must be known to create "
                f"the kernel, got input shape {input_shape}")
        fan_in = int(input_shape[-1])
        limit = math.sqrt(6.0 / (fan_in + self.units))
        rng = np.random.default_rng(self.seed)
        kernel = rng.uniform(-limit, limit, size=(fan_in, self.units)).astype(np.float32)
        self.kernel = Variable(kernel, name=f"{self.name}/kernel")
        if self.use_bias:
            self.bias = Variable(np.zeros(self.units, np.float32), name=f"{self.name}/bias")
        self.built = True

    def call(self, inputs):
        fan_in = self.kernel.shape[0]
        shape = tuple(inputs.shape)
        if not shape or shape[-1] != fan_in:
            raise _located(
                InvalidArgumentError,
                f"Dense layer '{self.name}' was built for inputs of shape (..., {fan_in}) but "
                f"is called on an input of shape {shape}")
        if len(shape) == 2:
            y = ops.matmul(inputs, self.kernel)
        else:
            # Applied to the last axis: (..., in) -> (..., units).
            flat = ops.reshape(inputs, [-1, fan_in])
            y = ops.matmul(flat, self.kernel)
            if all(d is not None for d in shape[:-1]):
                y = ops.reshape(y, list(shape[:-1]) + [self.units])
            else:
                lead = ops.shape(inputs)[:-1]
                y = ops.reshape(y, ops.concat([lead, ops.constant([self.units])], 0))
        if self.bias is not None:
            y = y + self.bias
        return self.activation(y)


class Flatten(Layer):
    """(batch, d1, d2, ...) -> (batch, d1*d2*...)."""

    def __init__(self, name=None, input_shape=None, **kwargs):
        super().__init__(name, input_shape, **kwargs)

    def call(self, inputs):
        shape = tuple(inputs.shape)
        if len(shape) == 0:
            raise InvalidArgumentError(
                f"Flatten layer '{self.name}': cannot flatten a scalar (shape ())")
        if len(shape) == 1:
            return ops.reshape(inputs, [-1, 1])
        if all(d is not None for d in shape[1:]):
            return ops.reshape(inputs, [-1, int(np.prod(shape[1:]))])
        return ops.reshape(inputs, [ops.shape(inputs)[0], -1])


class ReLU(Layer):
    """max(x, 0)."""

    def __init__(self, name=None, input_shape=None, **kwargs):
        super().__init__(name, input_shape, **kwargs)

    def call(self, inputs):
        return ops.relu(inputs)


class Dropout(Layer):
    """With `training=True`, zeroes each input element with probability `rate` and scales the
    others by 1/(1-rate); otherwise the identity.

    The mask is a hash of (seed, call count, element index) computed with int64 graph ops, so it
    is reproducible for a given seed and still new at every step of a staged loop (the call count
    is a Variable the layer increments). The runtime's seeded random ops would give the same mask
    at every step of a loop, and its unseeded ones are not reproducible.
    """

    _MOD = 2147483647  # 2**31 - 1: products of values below it and 48271 fit in int64

    def __init__(self, rate, seed=None, name=None, input_shape=None, **kwargs):
        super().__init__(name, input_shape, **kwargs)
        if not 0.0 <= float(rate) < 1.0:
            raise ValueError(f"Dropout: rate must be in [0, 1), got {rate!r}")
        self.rate = float(rate)
        self.seed = _Seeds.next() if seed is None else int(seed)
        self._calls = None

    def build(self, input_shape):
        self._calls = Variable(np.int64(0), trainable=False, name=f"{self.name}/calls")
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0.0:
            return inputs
        keep = self._uniform(inputs) >= self.rate
        return inputs * ops.cast(keep, inputs.dtype) * (1.0 / (1.0 - self.rate))

    def _uniform(self, inputs):
        """Values in [0, 1), one per element of `inputs`, new at every call."""
        m = self._MOD
        step = self._calls.read_value()
        self._calls.assign_add(np.int64(1))
        index = ops.cast(ops.range(ops.size(inputs)), dtypes.int64)
        h = ops.mod(index + (step % 1_000_000) * 1_000_003 + self.seed % m, m)
        for mult in (48271, 16807, 48271):
            h = ops.mod(h * mult + 12345, m)
            h = ops.bitwise_xor(h, ops.floordiv(h, 8192))
        u = ops.cast(h, dtypes.float32) * (1.0 / m)
        return ops.reshape(u, ops.shape(inputs))
