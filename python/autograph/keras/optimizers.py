"""`ag.keras.optimizers`: SGD (with momentum) and Adam.

All optimizer state is in Variables: the learning rate, the step count `iterations` and one or two
slots per weight. Slots are created on the first `apply_gradients` for a weight, under
`ag.init_scope()`, so that first call may come from a function being traced; every later step,
eager or staged, reads and assigns the same Variables (a staged training loop runs the update
rules of Keras 3 in the graph).
"""
import numpy as np

from .. import dtypes
from .. import ops
from ..variables import Variable, init_scope


class Optimizer:
    """Base class: `apply_gradients(zip(grads, vars))` updates each var whose grad is not None."""

    def __init__(self, learning_rate, name):
        self.name = name
        with init_scope():
            self._learning_rate = Variable(np.float32(learning_rate), trainable=False,
                                           name=f"{name}/learning_rate")
            self.iterations = Variable(np.int64(0), trainable=False, name=f"{name}/iterations")
        self._slots = {}  # id(var) -> (var, {slot name: Variable}); var kept so ids stay unique

    @property
    def learning_rate(self):
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate.assign(np.float32(value))

    @property
    def variables(self):
        """The optimizer's own state: learning rate, step count, slots."""
        out = [self._learning_rate, self.iterations]
        for _, slots in self._slots.values():
            out.extend(slots.values())
        return tuple(out)

    _slot_names = ()

    def _slots_for(self, var):
        entry = self._slots.get(id(var))
        if entry is None:
            with init_scope():
                zeros = np.zeros(var.shape, dtype=np.dtype(var.dtype.name))
                slots = {n: Variable(zeros, trainable=False, name=f"{var.name}/{n}")
                         for n in self._slot_names}
            entry = (var, slots)
            self._slots[id(var)] = entry
        return entry[1]

    def apply_gradients(self, grads_and_vars):
        """One update step; pairs whose gradient is None are skipped (the variable did not
        affect the loss). Returns the step count before the update."""
        pairs = []
        for grad, var in grads_and_vars:
            if grad is None:
                continue
            if not isinstance(var, Variable):
                raise TypeError(
                    f"{type(self).__name__}.apply_gradients: expected (gradient, ag.Variable) "
                    f"pairs, got a {type(var).__name__} where the Variable goes")
            pairs.append((grad, var))
        step = self.iterations.read_value()
        if not pairs:
            return step
        lr = self._learning_rate.read_value()
        for grad, var in pairs:
            if grad.dtype != var.dtype:
                grad = ops.cast(grad, var.dtype)
            self._update(grad, var, self._slots_for(var), lr, step)
        self.iterations.assign_add(np.int64(1))
        return step

    def minimize(self, loss, var_list, tape):
        """apply_gradients of `tape.gradient(loss, var_list)` (var_list may be a callable)."""
        var_list = var_list() if callable(var_list) else list(var_list)
        grads = tape.gradient(loss, var_list)
        return self.apply_gradients(zip(grads, var_list))

    def _update(self, grad, var, slots, lr, step):
        raise NotImplementedError

    def __repr__(self):
        return f"<{type(self).__name__} '{self.name}'>"


class SGD(Optimizer):
    """var -= lr * grad; with momentum: velocity = momentum*velocity - lr*grad, var += velocity."""

    def __init__(self, learning_rate=0.01, momentum=0.0, name="SGD"):
        super().__init__(learning_rate, name)
        if not 0.0 <= float(momentum) <= 1.0:
            raise ValueError(f"SGD: momentum must be in [0, 1], got {momentum!r}")
        self.momentum = float(momentum)
        self._slot_names = ("momentum",) if self.momentum else ()

    def _update(self, grad, var, slots, lr, step):
        if not self.momentum:
            var.assign_sub(lr * grad)
            return
        velocity = slots["momentum"]
        v = velocity.assign(self.momentum * velocity.read_value() - lr * grad)
        var.assign_add(v)


class Adam(Optimizer):
    """Adam with bias correction folded into the step size (Keras' form):
    m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
    var -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps), t = iterations + 1."""

    _slot_names = ("m", "v")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="Adam"):
        super().__init__(learning_rate, name)
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)

    def apply_gradients(self, grads_and_vars):
        self._alpha = None  # the step size is shared by all variables of one step
        return super().apply_gradients(grads_and_vars)

    def _update(self, grad, var, slots, lr, step):
        if self._alpha is None:
            t = ops.cast(step + 1, dtypes.float32)
            b1_power = ops.pow(np.float32(self.beta_1), t)
            b2_power = ops.pow(np.float32(self.beta_2), t)
            self._alpha = lr * ops.sqrt(1.0 - b2_power) / (1.0 - b1_power)
        m, v = slots["m"], slots["v"]
        m_new = m.assign_add((grad - m.read_value()) * (1.0 - self.beta_1))
        v_new = v.assign_add((ops.square(grad) - v.read_value()) * (1.0 - self.beta_2))
        var.assign_sub(self._alpha * m_new / (ops.sqrt(v_new) + self.epsilon))
