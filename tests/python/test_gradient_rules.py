"""Every differentiable op through ag.GradientTape, eagerly and staged, against central finite
differences in float64 (relative error < 1e-6), with broadcasting and indexing cases.
(tests/runtime/grad_rules_test.cpp checks the rules alone; this checks them through the tape,
the Python operators and a traced graph.)"""
import numpy as np
import pytest

import autograph as ag

RNG = np.random.default_rng(7)


def rand(*shape, low=-2.0, high=2.0):
    return RNG.uniform(low, high, size=shape)


def pos(*shape):
    return rand(*shape, low=0.5, high=2.0)


# name -> (function of tensors, input arrays). Samples stay away from kinks and ties.
CASES = {
    "abs": (ag.abs, [np.array([-1.5, 0.7, 2.0])]),
    "negative": (lambda x: -x, [rand(3)]),
    "exp": (ag.exp, [rand(2, 3)]),
    "log": (ag.log, [pos(4)]),
    "sqrt": (ag.sqrt, [pos(4)]),
    "square": (ag.square, [rand(3)]),
    "sin": (ag.sin, [rand(3)]),
    "cos": (ag.cos, [rand(3)]),
    "tanh": (ag.tanh, [rand(3)]),
    "sigmoid": (ag.sigmoid, [rand(3)]),
    "relu": (ag.nn.relu, [np.array([-1.0, 0.5, 2.0])]),
    "add_broadcast": (lambda x, y: x + y, [rand(3, 1), rand(1, 4)]),
    "subtract_scalar": (lambda x, y: x - y, [rand(), rand(4)]),
    "multiply_broadcast": (lambda x, y: x * y, [rand(2, 3), rand(3)]),
    "truediv": (lambda x, y: x / y, [rand(2, 3), pos(2, 1)]),
    "mod": (lambda x, y: x % y, [np.array([2.3, 5.6, -1.2]), np.array([1.5, 2.0, 1.0])]),
    "pow": (lambda x, y: x**y, [pos(3), rand(3)]),
    "pow_weak": (lambda x: x**3, [rand(3)]),
    "maximum": (ag.maximum, [np.array([1.0, -2.0, 3.0]), np.array([0.0, 1.0, 2.5])]),
    "minimum": (ag.minimum, [np.array([1.0, -2.0, 3.0]), np.array([0.0, 1.0, 2.5])]),
    "where": (lambda x, y: ag.where(ag.constant([True, False, True]), x, y), [rand(3), rand(2, 3)]),
    "clip_by_value": (lambda x: ag.clip_by_value(x, -1.0, 1.0), [np.array([-1.7, 0.2, 0.9, 1.4])]),
    "reduce_sum_axis_keepdims": (lambda x: ag.reduce_sum(x, axis=1, keepdims=True), [rand(2, 3)]),
    "reduce_mean_axis0": (lambda x: ag.reduce_mean(x, axis=0), [rand(4, 3)]),
    "reduce_max_all": (ag.reduce_max, [np.array([[0.1, 2.0], [1.0, -1.0]])]),
    "reduce_min_axis": (lambda x: ag.reduce_min(x, axis=-1), [np.array([[0.1, 2.0], [1.0, -1.0]])]),
    "reduce_prod": (lambda x: ag.reduce_prod(x, axis=0), [pos(3, 2)]),
    "matmul_2d": (ag.matmul, [rand(2, 3), rand(3, 4)]),
    "matmul_batched_broadcast": (ag.matmul, [rand(2, 3, 4), rand(4, 5)]),
    "matmul_vector": (ag.matmul, [rand(3), rand(3, 2)]),
    "transpose": (lambda x: ag.transpose(x, [2, 0, 1]), [rand(2, 3, 4)]),
    "reshape": (lambda x: ag.reshape(x, [3, -1]), [rand(2, 3, 2)]),
    "concat": (lambda x, y: ag.concat([x, y, x], axis=1), [rand(2, 1), rand(2, 3)]),
    "stack": (lambda x, y: ag.stack([x, y], axis=1), [rand(3), rand(3)]),
    "getitem_slices": (lambda x: x[1:, ::-2], [rand(3, 5)]),
    "getitem_newaxis_ellipsis": (lambda x: x[..., None, 0], [rand(2, 3, 4)]),
    "getitem_index": (lambda x: x[1] * x[-1], [rand(3, 2)]),
    "gather_repeated": (lambda x: ag.gather(x, ag.constant([0, 2, 0]), axis=1), [rand(2, 3)]),
    "softmax": (ag.nn.softmax, [rand(2, 4)]),
    "identity": (ag.identity, [rand(3)]),
    "cast_float": (lambda x: ag.cast(ag.cast(x, ag.float64), ag.float64), [rand(3)]),
}


def weighted(fn, weight):
    """A scalar of fn's result: sum(fn(*xs) * weight)."""
    return lambda *xs: ag.reduce_sum(fn(*xs) * weight)


def numeric_grads(f, arrays, eps=1e-6):
    grads = []
    for k, a in enumerate(arrays):
        g = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            up = [x.copy() for x in arrays]
            down = [x.copy() for x in arrays]
            up[k][i] += eps
            down[k][i] -= eps
            g[i] = (float(f(*map(ag.constant, up))) - float(f(*map(ag.constant, down)))) / (2 * eps)
        grads.append(g)
    return grads


def tape_grads(f, tensors):
    with ag.GradientTape() as tape:
        tape.watch(list(tensors))
        y = f(*tensors)
    return tape.gradient(y, list(tensors))


def check_gradient(fn, arrays, staged, prepare=None):
    """fn's gradients through the tape (inside ag.function when `staged`; `prepare` maps each
    input first while taping) against central differences of a weighted sum of its result."""
    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    out_shape = np.shape(fn(*map(ag.constant, arrays)).numpy())
    f = weighted(fn, ag.constant(RNG.uniform(0.5, 1.5, size=out_shape)))
    want = numeric_grads(f, arrays)
    taped = f if prepare is None else (lambda *u: f(*map(prepare, u)))
    step = (lambda *t: tape_grads(taped, t)) if not staged else ag.function(
        lambda *t: tape_grads(taped, t))
    got = step(*map(ag.constant, arrays))
    for g, w in zip(got, want):
        assert g is not None
        np.testing.assert_allclose(g.numpy(), w, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("mode", ["eager", "staged"])
def test_gradient_matches_finite_differences(name, mode):
    fn, arrays = CASES[name]
    check_gradient(fn, arrays, mode == "staged")
