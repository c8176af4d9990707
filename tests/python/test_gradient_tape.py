"""ag.GradientTape's API, eagerly and staged: watching, variables, persistence, nesting,
structures, jacobian, unconnected gradients, stop_recording and stop_gradient."""
import numpy as np
import pytest

import autograph as ag


def f64(x):
    return ag.constant(np.asarray(x, dtype=np.float64))


def test_eager_square():
    x = f64(3.0)
    with ag.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert float(tape.gradient(y, x)) == pytest.approx(6.0)


def test_unwatched_tensor_gets_none():
    x = f64(3.0)
    with ag.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None


def test_unconnected_zero():
    x, z = f64(3.0), f64([1.0, 2.0])
    with ag.GradientTape() as tape:
        tape.watch([x, z])
        y = x * 2.0
    gx, gz = tape.gradient(y, [x, z], unconnected_gradients="zero")
    assert float(gx) == 2.0
    np.testing.assert_array_equal(gz.numpy(), [0.0, 0.0])


def test_trainable_variables_are_watched():
    v = ag.Variable(np.float64(2.0))
    frozen = ag.Variable(np.float64(5.0), False)  # SPEC's order: initial, trainable, name, dtype
    assert v.trainable and not frozen.trainable
    with ag.GradientTape() as tape:
        y = v * v * v + frozen * v
    gv, gf = tape.gradient(y, [v, frozen])
    assert float(gv) == pytest.approx(3 * 4.0 + 5.0)
    assert gf is None
    with ag.GradientTape(watch_accessed_variables=False) as tape:
        y = v * v
    assert tape.gradient(y, v) is None


def test_non_persistent_tape_answers_once():
    x = f64(1.5)
    with ag.GradientTape() as tape:
        tape.watch(x)
        y = ag.sin(x)
    tape.gradient(y, x)
    with pytest.raises(ag.InvalidArgumentError, match="persistent=True"):
        tape.gradient(y, x)


def test_persistent_tape():
    x = f64(2.0)
    with ag.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    assert float(tape.gradient(y, x)) == pytest.approx(4.0)
    assert float(tape.gradient(z, x)) == pytest.approx(4 * 8.0)


def test_second_derivative_through_nested_tapes():
    x = f64(2.0)
    with ag.GradientTape() as outer:
        outer.watch(x)
        with ag.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
        dy = inner.gradient(y, x)
    assert float(dy) == pytest.approx(12.0)
    assert float(outer.gradient(dy, x)) == pytest.approx(12.0)  # 6x


def test_non_scalar_target_is_summed_and_output_gradients_weight_it():
    x = f64([1.0, 2.0, 3.0])
    with ag.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0, 6.0])
    w = f64([1.0, 0.0, -1.0])
    np.testing.assert_allclose(tape.gradient(y, x, output_gradients=w).numpy(), [2.0, 0.0, -6.0])


def test_nested_sources_keep_their_structure():
    a, b = f64(1.0), f64(2.0)
    with ag.GradientTape() as tape:
        tape.watch({"a": a, "b": [b]})
        y = a * b
    g = tape.gradient(y, {"a": a, "pair": (b, a)})
    assert float(g["a"]) == 2.0
    assert [float(t) for t in g["pair"]] == [1.0, 2.0]


def test_jacobian():
    x = f64([1.0, 2.0])
    with ag.GradientTape() as tape:
        tape.watch(x)
        y = ag.stack([x[0] * x[1], x[0] + 3.0 * x[1], x[1] * x[1]])
    j = tape.jacobian(y, x)
    np.testing.assert_allclose(j.numpy(), [[2.0, 1.0], [1.0, 3.0], [0.0, 4.0]])


def test_stop_recording_and_stop_gradient():
    x = f64(3.0)
    with ag.GradientTape() as tape:
        tape.watch(x)
        with tape.stop_recording():
            c = x * x
        y = x * c + ag.stop_gradient(x * x) * x
    assert float(tape.gradient(y, x)) == pytest.approx(18.0)


def test_recording_outside_the_with_block_raises():
    tape = ag.GradientTape()
    with pytest.raises(ag.InvalidArgumentError, match="not recording"):
        with tape.stop_recording():
            pass
    with tape:
        pass
    with pytest.raises(ag.InvalidArgumentError, match="inside its `with"):
        tape.watch(f64(1.0))


def test_integer_paths_give_none():
    x = ag.constant(3)
    with ag.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x) is None


def test_tape_through_a_staged_function_call():
    @ag.function
    def cube(x):
        return x * x * x

    x = f64(2.0)
    with ag.GradientTape() as tape:
        tape.watch(x)
        y = cube(x)
    assert float(tape.gradient(y, x)) == pytest.approx(12.0)


# ---- staged: the gradient is part of the traced graph ----


def test_staged_gradient_is_in_the_graph():
    @ag.function
    def grad_of_cube(x):
        with ag.GradientTape() as tape:
            tape.watch(x)
            y = x * x * x
        return tape.gradient(y, x)

    assert float(grad_of_cube(f64(2.0))) == pytest.approx(12.0)
    graph = grad_of_cube.get_concrete_function(f64(2.0)).graph
    # The backward pass is drawn apart from the forward one (filled orange, with a legend).
    dot = graph.to_dot()
    assert 'fillcolor="#ffd8a8"' in dot and "gradient (backward pass)" in dot
    assert "[gradient]" in graph.dump()


def test_staged_variables_second_derivative_and_persistent():
    v = ag.Variable(np.float64(3.0))

    @ag.function
    def step():
        with ag.GradientTape(persistent=True) as t2:
            with ag.GradientTape() as t1:
                y = v * v * v
            g = t1.gradient(y, v)
        return y, g, t2.gradient(g, v), t2.gradient(y, v)

    y, g, h, g2 = step()
    assert float(y) == 27.0
    assert float(g) == pytest.approx(27.0)
    assert float(h) == pytest.approx(18.0)
    assert float(g2) == pytest.approx(27.0)


def test_staged_unconnected_and_structures():
    @ag.function
    def f(a, b):
        with ag.GradientTape() as tape:
            tape.watch([a, b])
            y = a * 4.0
        return tape.gradient(y, {"a": a, "b": b}, unconnected_gradients="zero")

    g = f(f64(1.0), f64([1.0, 1.0]))
    assert float(g["a"]) == 4.0
    np.testing.assert_array_equal(g["b"].numpy(), [0.0, 0.0])


def test_init_scope_creates_variables_while_tracing():
    made = []

    @ag.function
    def f(x):
        if not made:  # a layer's first call: its weights are created eagerly
            with ag.init_scope():
                assert not ag._core.tracing()
                made.append(ag.Variable(np.ones(3) * 2.0))
        with ag.GradientTape() as tape:
            y = ag.reduce_sum(made[0] * x)
        return tape.gradient(y, made[0])

    np.testing.assert_array_equal(f(f64([1.0, 2.0, 3.0])).numpy(), [1.0, 2.0, 3.0])
    assert len(made) == 1
