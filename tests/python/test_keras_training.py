"""ag.keras optimizers, losses, metrics and Model.compile/fit/evaluate/predict: values vs
hand-computed NumPy, eager and staged; fit on a separable problem made here."""
import numpy as np
import pytest

import autograph as ag

keras = ag.keras


def _run_steps(opt, grads, staged, initial=(1.0, -2.0)):
    """Applies each gradient of `grads` in turn to one Variable; returns its values."""
    var = ag.Variable(np.array(initial, np.float32))

    def step(g):
        opt.apply_gradients([(g, var), (None, var)])  # a None gradient is skipped

    if staged:
        step = ag.function(step)
    seen = []
    for g in grads:
        step(ag.constant(np.array(g, np.float32)))
        seen.append(var.numpy().copy())
    return np.array(seen), step


GRADS = [(0.5, 1.0), (-1.0, 2.0), (0.25, -0.5)]


@pytest.mark.parametrize("staged", [False, True])
def test_sgd_and_momentum_match_hand_computed(staged):
    lr, mu = 0.1, 0.9
    plain, _ = _run_steps(keras.optimizers.SGD(lr), GRADS, staged)
    x = np.array([1.0, -2.0])
    for i, g in enumerate(GRADS):
        x = x - lr * np.array(g)
        np.testing.assert_allclose(plain[i], x, rtol=1e-6)
    opt = keras.optimizers.SGD(lr, momentum=mu)
    got, step = _run_steps(opt, GRADS, staged)
    x, v = np.array([1.0, -2.0]), np.zeros(2)
    for i, g in enumerate(GRADS):
        v = mu * v - lr * np.array(g)
        x = x + v
        np.testing.assert_allclose(got[i], x, rtol=1e-6)
    assert int(opt.iterations.numpy()) == 3
    if staged:
        assert step.trace_count == 1


@pytest.mark.parametrize("staged", [False, True])
def test_adam_matches_hand_computed_with_bias_correction(staged):
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-7
    opt = keras.optimizers.Adam(lr)
    got, _ = _run_steps(opt, GRADS, staged)
    x, m, v = np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)
    for t, g in enumerate(GRADS, start=1):
        g = np.array(g)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        x = x - lr * m_hat / (np.sqrt(v_hat) + eps * np.sqrt(1 - b2 ** t))
        np.testing.assert_allclose(got[t - 1], x, rtol=1e-5)
    # The first step moves each weight by about lr whatever the gradient's size (bias correction).
    assert np.allclose(np.abs(got[0] - [1.0, -2.0]), lr, rtol=1e-3)
    assert len(opt.variables) == 4  # learning rate, iterations, m, v


def _log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def test_cross_entropies_and_mse_match_numpy_even_for_large_logits():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(6, 4)).astype(np.float32) * 3
    labels = np.array([0, 3, 1, 2, 3, 0])
    ref = -_log_softmax(logits.astype(np.float64))[np.arange(6), labels].mean()
    scce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    assert float(scce(labels, logits)) == pytest.approx(ref, rel=1e-5)
    assert float(ag.function(scce)(ag.constant(labels), ag.constant(logits))) == pytest.approx(
        ref, rel=1e-5)
    big = np.array([[1000.0, 0.0, -1000.0], [0.0, 2000.0, 0.0]], np.float32)
    loss = float(scce(np.array([1, 1]), big))
    assert np.isfinite(loss) and loss == pytest.approx(500.0, rel=1e-5)
    with ag.GradientTape() as tape:
        t = ag.constant(big)
        tape.watch(t)
        value = scce(np.array([1, 1]), t)
    assert np.isfinite(tape.gradient(value, t).numpy()).all()
    probs = np.exp(_log_softmax(logits))
    assert float(keras.losses.SparseCategoricalCrossentropy()(labels, probs)) == pytest.approx(
        ref, rel=1e-4)
    one_hot = np.eye(4, dtype=np.float32)[labels]
    assert float(keras.losses.CategoricalCrossentropy(from_logits=True)(one_hot, logits)) == \
        pytest.approx(ref, rel=1e-5)
    assert float(keras.losses.CategoricalCrossentropy()(one_hot, probs)) == pytest.approx(
        ref, rel=1e-4)
    y = rng.normal(size=(6, 4)).astype(np.float32)
    assert float(keras.losses.MeanSquaredError()(y, logits)) == pytest.approx(
        np.mean((y - logits) ** 2), rel=1e-5)


def test_labels_out_of_range_fail_at_the_users_line_eager_and_staged():
    scce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    logits = np.zeros((3, 4), np.float32)
    with pytest.raises(ag.InvalidArgumentError) as e:
        scce(np.array([0, 4, 1]), logits)  # the user's line
    assert "[0, 4)" in str(e.value) and "got label 4" in str(e.value)
    assert e.value.filename.endswith("test_keras_training.py")

    @ag.function
    def f(y, z):
        return scce(y, z)

    assert float(f(ag.constant([0, 3, 1]), ag.constant(logits))) == pytest.approx(np.log(4))
    with pytest.raises(ag.InvalidArgumentError, match=r"\[0, 4\)") as e:
        f(ag.constant([0, -1, 1]), ag.constant(logits))
    assert "test_keras_training.py" in str(e.value)


@pytest.mark.parametrize("staged", [False, True])
def test_metrics_accumulate_result_and_reset(staged):
    mean = keras.metrics.Mean()
    acc = keras.metrics.SparseCategoricalAccuracy()
    assert float(mean.result()) == 0.0

    def update(v, y, p):
        mean.update_state(v)
        return acc(y, p)

    if staged:
        update = ag.function(update)
    p = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], np.float32)
    first = update(ag.constant([1.0, 2.0]), ag.constant([1, 1, 1]), ag.constant(p))
    assert float(first) == pytest.approx(2 / 3)
    update(ag.constant([6.0, 3.0]), ag.constant([1, 0, 0]), ag.constant(p))
    assert float(mean.result()) == pytest.approx(3.0)
    assert float(acc.result()) == pytest.approx(4 / 6)
    mean.reset_state()
    acc.reset_state()
    assert float(mean.result()) == 0.0 and float(acc.result()) == 0.0
    mean.update_state([2.0, 4.0], sample_weight=[3.0, 1.0])
    assert float(mean.result()) == pytest.approx(2.5)


def _blobs(n, seed):
    """Four well separated Gaussian blobs in 5-D: a problem an MLP learns in a few epochs."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(4, 5)).astype(np.float32) * 4
    y = rng.integers(0, 4, size=n).astype(np.int32)
    return centers[y] + rng.normal(size=(n, 5)).astype(np.float32), y


def test_fit_learns_a_separable_problem_in_one_trace_with_history():
    x, y = _blobs(600, 1)
    vx, vy = _blobs(150, 1)[0][:100], _blobs(150, 1)[1][:100]
    model = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(4)])
    model.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=4, validation_data=(vx, vy), verbose=0)
    h = history.history
    assert set(h) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 4 for v in h.values()) and history.epoch == [0, 1, 2, 3]
    assert h["loss"][-1] < h["loss"][0]
    assert h["accuracy"][-1] > 0.95 and h["val_accuracy"][-1] > 0.95
    # 600 = 18 batches of 32 + 24: one While and a remainder step, one trace for all epochs.
    assert model._loops.train_pass.trace_count == 1
    assert model._loops.test_pass.trace_count == 1
    def epoch_ops(batches):
        return model._loops.train_pass.graph(
            ag.constant(x), ag.constant(y), ag.constant(np.zeros((batches, 32), np.int32)),
            ag.constant(np.zeros(24, np.int32))).ops

    assert epoch_ops(18).count("while") == 1
    assert len(epoch_ops(180)) == len(epoch_ops(18))  # the batches are never unrolled
    loss, acc = model.evaluate(x, y)
    assert acc > 0.95 and loss == pytest.approx(
        float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, model.predict(x))),
        rel=1e-4)
    pred = model.predict(x[:70], batch_size=32)
    assert pred.shape == (70, 4)
    np.testing.assert_allclose(pred, model(x[:70]).numpy(), rtol=1e-5, atol=1e-6)


def test_fit_a_subclassed_model_with_sgd_and_string_names():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.a = keras.layers.Dense(16, activation="tanh")
            self.b = keras.layers.Dense(4, activation="softmax")

        def call(self, x, training=False):
            return self.b(self.a(x))

    x, y = _blobs(256, 2)
    model = Net()
    model.compile(keras.optimizers.SGD(0.1, momentum=0.9), "sparse_categorical_crossentropy",
                  ["accuracy"])
    h = model.fit(x, y, batch_size=64, epochs=5, verbose=0).history
    assert h["accuracy"][-1] > 0.9 and model._loops.train_pass.trace_count == 1


def test_fit_prints_one_line_per_epoch_with_verbose_2(capsys):
    x, y = _blobs(64, 3)
    model = keras.Sequential([keras.layers.Dense(4)])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=2, verbose=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("Epoch 2/2") and "loss: " in lines[1]
    model.fit(x, y, epochs=1, verbose=0)
    assert capsys.readouterr().out == ""


def test_fit_errors():
    model = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(np.zeros((4, 3)), np.zeros(4))
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="4 examples but y has 3"):
        model.fit(np.zeros((4, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="unknown loss"):
        model.compile("sgd", "hinge")


def test_guide_loop_model_and_optimizer_as_arguments_first_call_builds():
    """The AutoGraph guide's loop: train_one_step with a tape, a staged train(model, optimizer)
    looping over batches; the model's weights and Adam's slots are made by the first trace."""
    x, y = _blobs(256, 4)
    xs, ys = ag.constant(x.reshape(8, 32, 5)), ag.constant(y.reshape(8, 32))
    model = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(4)])
    optimizer = keras.optimizers.Adam(0.01)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    accuracy = keras.metrics.SparseCategoricalAccuracy()

    def train_one_step(model, optimizer, x, y):
        with ag.GradientTape() as tape:
            logits = model(x)
            loss = loss_fn(y, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        accuracy.update_state(y, logits)
        return loss

    @ag.function
    def train(model, optimizer):
        loss = 0.0
        for i in ag.range(8):
            loss = train_one_step(model, optimizer, xs[i], ys[i])
            if i % 4 == 0:
                ag.print("step", i, "loss", loss)
        return loss

    for _ in range(6):
        accuracy.reset_state()
        train(model, optimizer)
    assert train.trace_count <= 2
    assert int(optimizer.iterations.numpy()) == 48
    assert float(accuracy.result()) > 0.95


def test_fit_with_fewer_examples_than_a_batch():
    x, y = _blobs(10, 5)
    model = keras.Sequential([keras.layers.Dense(4)])
    model.compile(keras.optimizers.SGD(0.1), keras.losses.SparseCategoricalCrossentropy(True))
    h = model.fit(x, y, batch_size=32, epochs=2, verbose=0, shuffle=False)
    assert len(h.history["loss"]) == 2 and int(model.optimizer.iterations.numpy()) == 2


def test_fit_verbose_1_shows_a_tqdm_bar_with_the_epochs(capsys):
    x, y = _blobs(64, 6)
    model = keras.Sequential([keras.layers.Dense(4)])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  ["accuracy"])
    model.fit(x, y, epochs=3, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/3" in out and "Epoch 3/3" in out and "accuracy: " in out
    assert "3/3" in out and "epoch" in out  # tqdm's counter and unit


def test_fit_with_labels_out_of_range_names_the_fit_line():
    x, y = _blobs(100, 7)
    model = keras.Sequential([keras.layers.Dense(3)])  # 3 classes, labels go up to 3
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    with pytest.raises(ag.InvalidArgumentError, match=r"labels must be in \[0, 3\)") as e:
        model.fit(x, y, epochs=1, verbose=0)
    assert "test_keras_training.py" in str(e.value)


def test_guide_loop_over_a_dataset_on_digits_and_fit():
    """SPEC §7's loop with ag.keras: `for x, y in train_ds` inside a staged train(model,
    optimizer), the first trace making the weights; then Model.fit on the same data."""
    from autograph.keras.datasets import digits

    (x_train, y_train), (x_test, y_test) = digits.load_data()
    train_ds = ag.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(2000, seed=0)
    train_ds = train_ds.batch(64)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(128, activation="relu"),
                              keras.layers.Dense(10)])
    optimizer = keras.optimizers.Adam()
    compute_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    compute_accuracy = keras.metrics.SparseCategoricalAccuracy()

    def train_one_step(model, optimizer, x, y):
        with ag.GradientTape() as tape:
            logits = model(x)
            loss = compute_loss(y, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        compute_accuracy(y, logits)
        return loss

    @ag.function
    def train(model, optimizer):
        step = 0
        loss = 0.0
        for x, y in train_ds:
            step += 1
            loss = train_one_step(model, optimizer, x, y)
        return step, loss

    for _ in range(20):
        step, loss = train(model, optimizer)
    assert int(step) == 23 and train.trace_count <= 2
    assert (model.predict(x_test).argmax(-1) == y_test).mean() >= 0.95

    fitted = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(128, activation="relu"),
                               keras.layers.Dense(10)])
    fitted.compile(keras.optimizers.Adam(), compute_loss, ["accuracy"])
    fitted.fit(x_train, y_train, batch_size=64, epochs=10, verbose=0)
    assert fitted.evaluate(x_test, y_test)[1] >= 0.93
