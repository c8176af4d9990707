"""ag.keras layers and models: values vs NumPy, building on the first call (also while tracing),
shape errors, Dropout, Sequential and Model subclassing."""
import numpy as np
import pytest

import autograph as ag

layers = ag.keras.layers


def _x(n=5, d=6, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)


def _np_dense(layer, x, act=lambda z: z):
    return act(x @ layer.kernel.numpy() + layer.bias.numpy())


@pytest.mark.parametrize("activation, ref", [
    (None, lambda z: z),
    ("relu", lambda z: np.maximum(z, 0)),
    ("sigmoid", lambda z: 1 / (1 + np.exp(-z))),
    ("tanh", np.tanh),
    ("softmax", lambda z: np.exp(z) / np.exp(z).sum(-1, keepdims=True)),
    (ag.square, np.square),
])
def test_dense_matches_numpy_eager_and_staged(activation, ref):
    d = layers.Dense(4, activation=activation)
    x = _x()
    out = d(x)
    assert out.dtype == ag.float32 and out.shape == (5, 4)
    np.testing.assert_allclose(out.numpy(), _np_dense(d, x, ref), rtol=1e-5, atol=1e-6)
    staged = ag.function(lambda t: d(t))(ag.constant(x))
    np.testing.assert_allclose(staged.numpy(), out.numpy(), rtol=1e-6, atol=1e-7)


def test_dense_weights_glorot_uniform_zero_bias_deterministic():
    d = layers.Dense(30, seed=3)
    d(np.zeros((1, 50), np.float32))
    k = d.kernel.numpy()
    limit = np.sqrt(6 / (50 + 30))
    assert k.shape == (50, 30) and k.dtype == np.float32
    assert np.abs(k).max() <= limit and np.abs(k).max() > 0.9 * limit
    assert abs(k.std() - limit / np.sqrt(3)) < 0.1 * limit
    np.testing.assert_array_equal(d.bias.numpy(), np.zeros(30, np.float32))
    again = layers.Dense(30, seed=3)
    again(np.zeros((1, 50), np.float32))
    np.testing.assert_array_equal(again.kernel.numpy(), k)
    # Without a seed, layers differ from each other but a program repeats itself.
    ag.keras.utils.set_random_seed(5)
    a, b = layers.Dense(3), layers.Dense(3)
    a(np.ones((1, 2))), b(np.ones((1, 2)))
    assert not np.array_equal(a.kernel.numpy(), b.kernel.numpy())
    ag.keras.utils.set_random_seed(5)
    a2 = layers.Dense(3)
    a2(np.ones((1, 2)))
    np.testing.assert_array_equal(a2.kernel.numpy(), a.kernel.numpy())


def test_dense_without_bias_rank3_input_and_bad_activation():
    d = layers.Dense(2, use_bias=False)
    x = np.random.default_rng(1).normal(size=(2, 3, 4)).astype(np.float32)
    out = d(x)
    assert d.bias is None and len(d.variables) == 1
    np.testing.assert_allclose(out.numpy(), x @ d.kernel.numpy(), rtol=1e-5)
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        layers.Dense(2, activation="gelu")


def test_input_shape_changed_after_build_is_a_clear_error_at_the_users_line():
    d = layers.Dense(3)
    d(np.zeros((2, 4), np.float32))
    with pytest.raises(ag.InvalidArgumentError) as e:
        d(np.zeros((2, 5), np.float32))  # the user's line
    msg = str(e.value)
    assert "(..., 4)" in msg and "(2, 5)" in msg and "test_keras_layers.py" in msg

    @ag.function
    def f(x):
        return d(x)

    with pytest.raises(ag.InvalidArgumentError, match=r"\(\.\.\., 4\).*\(7, 6\)"):
        f(ag.zeros([7, 6]))


def test_first_call_inside_a_staged_train_step_creates_the_weights():
    model = ag.keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(1)])
    opt = ag.keras.optimizers.SGD(0.1)
    x = _x(16, 3)
    y = x.sum(axis=1, keepdims=True)

    @ag.function
    def step(x, y):
        with ag.GradientTape() as tape:
            loss = ag.reduce_mean(ag.square(model(x) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    assert model.variables == ()
    losses = [float(step(ag.constant(x), ag.constant(y))) for _ in range(30)]
    assert len(model.trainable_variables) == 4
    assert step.trace_count <= 2
    assert losses[-1] < 0.5 * losses[0]


def test_flatten_and_relu():
    x = np.random.default_rng(2).normal(size=(3, 2, 4)).astype(np.float32)
    np.testing.assert_array_equal(layers.Flatten()(x).numpy(), x.reshape(3, 8))
    np.testing.assert_array_equal(layers.ReLU()(x).numpy(), np.maximum(x, 0))
    staged = ag.function(lambda t: layers.Flatten()(t))(ag.constant(x))
    assert staged.shape == (3, 8)


def test_dropout_only_when_training_seeded_and_new_mask_every_step():
    x = np.ones((200, 50), np.float32)
    drop = layers.Dropout(0.25, seed=7)
    np.testing.assert_array_equal(drop(x).numpy(), x)
    np.testing.assert_array_equal(drop(x, training=False).numpy(), x)
    a = drop(x, training=True).numpy()
    assert set(np.unique(a)) <= {0.0, np.float32(1 / 0.75)}
    assert abs((a == 0).mean() - 0.25) < 0.02
    b = drop(x, training=True).numpy()
    assert 0.3 < ((a == 0) != (b == 0)).mean() < 0.45  # independent masks: 2 * 0.25 * 0.75

    @ag.function
    def masks(x):
        ta = ag.TensorArray(ag.float32, size=3, element_shape=(200, 50))
        for i in ag.range(3):
            ta = ta.write(i, drop(x, training=True))
        return ta.stack()

    m = masks(ag.constant(x)).numpy()
    assert abs((m == 0).mean() - 0.25) < 0.02
    assert not np.array_equal(m[0], m[1]) and not np.array_equal(m[1], m[2])
    # Same seed, same sequence of masks.
    again = layers.Dropout(0.25, seed=7)
    np.testing.assert_array_equal(again(x, training=True).numpy(), a)
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout(1.5)


def test_sequential_matches_layer_by_layer_and_passes_training():
    seq = ag.keras.Sequential([layers.Dense(5, "relu"), layers.Dropout(0.5), layers.Dense(2)])
    x = _x()
    d1, d2 = seq.layers[0], seq.layers[2]
    out = seq(x).numpy()
    np.testing.assert_allclose(out, _np_dense(d2, _np_dense(d1, x, lambda z: np.maximum(z, 0))),
                               rtol=1e-5, atol=1e-6)
    assert not np.allclose(seq(x, training=True).numpy(), out)
    assert [v.name for v in seq.trainable_variables] == [
        f"{d1.name}/kernel", f"{d1.name}/bias", f"{d2.name}/kernel", f"{d2.name}/bias"]


class TwoLayer(ag.keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(6, activation="relu")
        self.out = layers.Dense(2)

    def call(self, x, training=False):
        h = self.hidden(x)
        if ag.reduce_sum(h) > 1e9:  # a tensor condition: converted when staged
            h = h * 0.0
        return self.out(h)


class StagedCall(TwoLayer):
    @ag.function
    def call(self, x, training=False):
        return self.out(self.hidden(x))


@pytest.mark.parametrize("cls", [TwoLayer, StagedCall])
def test_model_subclass_eager_and_staged(cls):
    model = cls()
    x = _x()
    out = model(x).numpy()
    ref = _np_dense(model.out, _np_dense(model.hidden, x, lambda z: np.maximum(z, 0)))
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)
    staged = ag.function(lambda t: model(t, training=True))
    np.testing.assert_allclose(staged(ag.constant(x)).numpy(), ref, rtol=1e-5, atol=1e-6)
    assert len(model.trainable_variables) == 4
    assert model.layers == [model.hidden, model.out]


def test_input_shape_builds_at_construction_and_summary_counts_parameters():
    model = ag.keras.Sequential([layers.Dense(3, input_shape=(4,)), layers.Dense(2)])
    first = model.layers[0]
    assert first.kernel.shape == (4, 3) and len(model.variables) == 2  # second not built yet
    model(np.zeros((1, 4), np.float32))
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[-1] == f"Trainable params: {4 * 3 + 3 + 3 * 2 + 2}"
    assert any(f"{first.name}/kernel" in line and "(4, 3)" in line for line in lines)


class DropsInside(ag.keras.Model):
    def __init__(self):
        super().__init__()
        self.drop = layers.Dropout(0.5, seed=1)

    def call(self, x):  # no `training` argument: the Dropout follows the outer call's value
        return self.drop(x)


def test_nested_layers_inherit_the_training_flag_of_the_outer_call():
    x = np.ones((20, 20), np.float32)
    model = DropsInside()
    np.testing.assert_array_equal(model(x).numpy(), x)
    assert (model(x, training=True).numpy() == 0).mean() > 0.3
    np.testing.assert_array_equal(model(x, training=False).numpy(), x)
    seq = ag.keras.Sequential([DropsInside()])
    assert (seq(x, training=True).numpy() == 0).mean() > 0.3
    np.testing.assert_array_equal(seq(x).numpy(), x)
