"""Gradients through staged control flow: the gradient of a tensor `if` is a Cond, the gradient
of a `while` runs the forward trip count back. Every staged gradient equals the eager one (the
tape over plain Python control flow) and, where there is a closed form, the math."""
import math

import numpy as np
import pytest

import autograph as ag


def f64(x):
    return ag.constant(np.asarray(x, dtype=np.float64))


def grads(fn, *args, staged):
    """d fn(*args) / d args, computed with a tape eagerly or inside ag.function."""

    def step(*a):
        with ag.GradientTape() as tape:
            tape.watch(list(a))
            y = fn(*a)
        return y, tape.gradient(y, list(a))

    y, g = (ag.function(step) if staged else step)(*args)
    return float(y), [None if t is None else t.numpy() for t in g]


def check_eager_equals_staged(fn, *args, rtol=1e-12):
    y_e, g_e = grads(fn, *args, staged=False)
    y_s, g_s = grads(fn, *args, staged=True)
    assert y_s == pytest.approx(y_e, rel=rtol)
    for a, b in zip(g_e, g_s):
        if a is None or b is None:  # integer arguments
            assert a is None and b is None
            continue
        np.testing.assert_allclose(b, a, rtol=rtol, atol=1e-12)
    return g_s


def branchy(x):
    if x > 0.0:
        y = x * x * 3.0
    else:
        y = ag.sin(x)
    return y


@pytest.mark.parametrize("x, want", [(2.0, 12.0), (-1.0, math.cos(-1.0))])
def test_tensor_if(x, want):
    (g,) = check_eager_equals_staged(branchy, f64(x))
    assert float(g) == pytest.approx(want)


def power_until_100(x):
    y = x
    while y < 100.0:
        y = y * x
    return y


def test_while_with_a_trip_count_decided_by_the_input():
    (g,) = check_eager_equals_staged(power_until_100, f64(3.0))
    assert float(g) == pytest.approx(405.0)  # y = x**5


def newton_sqrt(v):
    x = v
    for _ in ag.range(30):
        x = 0.5 * (x + v / x)
    return x


def test_newton_square_root():
    (g,) = check_eager_equals_staged(newton_sqrt, f64(7.0))
    assert float(g) == pytest.approx(1.0 / (2.0 * math.sqrt(7.0)), rel=1e-10)


def sum_until_break(x, n):
    total = x * 0.0
    for i in ag.range(n):
        total = total + x * ag.cast(i, ag.float64)
        if total > 10.0:
            break
    return total


def test_for_range_with_break():
    g, n_grad = check_eager_equals_staged(sum_until_break, f64(1.5), ag.constant(100))
    assert n_grad is None
    # 1.5 * (0+1+2+3) = 9 <= 10, then + 1.5 * 4 = 15 > 10: stops after i = 4.
    assert float(g) == pytest.approx(10.0)


def nested_loops_with_if(x):
    acc = x * 0.0
    for i in ag.range(3):
        for j in ag.range(4):
            if (i + j) % 2 == 0:
                acc = acc + x * x
            else:
                acc = acc + ag.sin(x)
    return acc


def test_nested_loops_with_an_if_inside():
    (g,) = check_eager_equals_staged(nested_loops_with_if, f64(0.7))
    assert float(g) == pytest.approx(6 * 2 * 0.7 + 6 * math.cos(0.7))


def tensor_array_loop(x):
    ta = ag.TensorArray(ag.float64, size=5)
    h = x
    for t in ag.range(5):
        h = ag.tanh(h * 1.5)
        ta = ta.write(t, h)
    return ag.reduce_sum(ta.stack() * ag.constant(np.arange(1.0, 6.0)))


def test_tensor_array_written_in_a_loop():
    check_eager_equals_staged(tensor_array_loop, f64(0.3))


def appended_list(x):
    outs = []
    ag.set_element_type(outs, ag.float64)
    h = x
    i = 0
    while i < 4:
        h = h * x + 1.0
        outs.append(h)
        i += 1
    return ag.reduce_sum(ag.stack(outs))


def test_list_appends_in_a_loop():
    check_eager_equals_staged(appended_list, f64(0.9))


def rnn_loss(xs, w, u):
    h = ag.zeros((2, 3), ag.float64)
    for t in ag.range(4):
        h = ag.tanh(ag.matmul(xs[t], w) + ag.matmul(h, u))
    return ag.reduce_sum(h * h)


def test_rnn_over_range():
    rng = np.random.default_rng(0)
    xs = f64(rng.normal(size=(4, 2, 5)))
    w = f64(rng.normal(size=(5, 3)) * 0.5)
    u = f64(rng.normal(size=(3, 3)) * 0.5)
    g = check_eager_equals_staged(rnn_loss, xs, w, u)
    # And against central differences for one weight.
    eps = 1e-6
    wn = w.numpy().copy()
    wn[1, 2] += eps
    up = float(rnn_loss(xs, f64(wn), u))
    wn[1, 2] -= 2 * eps
    down = float(rnn_loss(xs, f64(wn), u))
    assert g[1][1, 2] == pytest.approx((up - down) / (2 * eps), rel=1e-6)


def test_variables_read_inside_a_staged_loop():
    w = ag.Variable(np.float64(0.5))

    @ag.function
    def step(x):
        with ag.GradientTape() as tape:
            y = x
            for _ in ag.range(3):
                y = y * w + 1.0
        return tape.gradient(y, w)

    # y = x w^3 + w^2 + w + 1 -> 3 x w^2 + 2 w + 1
    assert float(step(f64(2.0))) == pytest.approx(3 * 2.0 * 0.25 + 2 * 0.5 + 1.0)


def test_a_100000_iteration_loop():
    @ag.function
    def step(x):
        with ag.GradientTape() as tape:
            tape.watch(x)
            y = x
            for _ in ag.range(100000):
                y = y * 1.00001
        return tape.gradient(y, x)

    assert float(step(f64(2.0))) == pytest.approx(1.00001**100000, rel=1e-9)


def test_variable_update_inside_a_differentiated_loop_names_the_line():
    v = ag.Variable(np.float64(1.0))

    @ag.function
    def step(x):
        with ag.GradientTape() as tape:
            tape.watch(x)
            y = x
            for _ in ag.range(3):
                v.assign_add(y)  # the update line
                y = y * x
        return tape.gradient(y, x)

    with pytest.raises(ag.StagingError, match=r"assign_add.*test_gradient_control_flow.py:\d+"):
        step(f64(2.0))


def test_reading_the_length_of_a_list_the_differentiated_loop_appends_to_is_refused():
    @ag.function
    def step(x):
        with ag.GradientTape() as tape:
            tape.watch(x)
            outs = []
            ag.set_element_type(outs, ag.float64, ())
            for _ in ag.range(3):
                outs.append(x * ag.cast(len(outs), ag.float64))
            y = ag.reduce_sum(ag.stack(outs))
        return tape.gradient(y, x)

    with pytest.raises(ag.StagingError, match="its length"):
        step(f64(2.0))


def second_derivative(fn, x):
    """d2 fn / dx2 at x with nested tapes, staged."""

    @ag.function
    def step(x):
        with ag.GradientTape() as outer:
            outer.watch(x)
            with ag.GradientTape() as inner:
                inner.watch(x)
                y = fn(x)
            g = inner.gradient(y, x)
        return g, outer.gradient(g, x)

    return step(x)


def test_second_derivative_through_a_staged_loop():
    g, h = second_derivative(power_until_100, f64(3.0))  # x**5 at 3
    assert float(g) == pytest.approx(405.0)
    assert float(h) == pytest.approx(20 * 27.0)


def matmul_loop(x):
    m = ag.constant(np.array([[0.5, -0.2], [0.1, 0.3]]))
    v = ag.stack([x, x * x])
    for _ in ag.range(3):
        v = ag.tanh(ag.matmul(m, v[:, None])[:, 0] + 0.1)
    return ag.reduce_sum(v * v)


def test_second_derivative_through_a_loop_with_stashed_matmuls():
    x = 0.7
    _, h = second_derivative(matmul_loop, f64(x))
    eps = 1e-5

    def first(x):
        with ag.GradientTape() as tape:
            t = f64(x)
            tape.watch(t)
            y = matmul_loop(t)
        return float(tape.gradient(y, t))

    assert float(h) == pytest.approx((first(x + eps) - first(x - eps)) / (2 * eps), rel=1e-6)
