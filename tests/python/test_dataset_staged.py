"""`for ... in ds` inside ag.function: one staged While over the dataset's elements."""
import numpy as np
import pytest

import autograph as ag

Dataset = ag.data.Dataset


def _pairs(n, features=3):
    x = np.arange(n * features, dtype=np.float32).reshape(n, features)
    return x, np.arange(n, dtype=np.int32)


@ag.function
def total(ds):
    s = ag.constant(0.0)
    count = 0
    for x, y in ds:
        s += ag.reduce_sum(x) + ag.cast(ag.reduce_sum(y), ag.float32)
        count += 1
    return s, count


def test_staged_loop_matches_eager_iteration():
    x, y = _pairs(10)
    ds = Dataset.from_tensor_slices((x, y)).batch(4)
    s, count = total(ds)
    assert float(s) == float(x.sum() + y.sum()) and int(count) == 3


def test_one_while_whatever_the_number_of_batches():
    small = Dataset.from_tensor_slices(_pairs(10)).batch(1)
    big = Dataset.from_tensor_slices(_pairs(1000)).batch(1)
    assert len(big) == 1000
    f = ag.function(total.python_function)
    g_small, g_big = f.graph(small), f.graph(big)
    assert g_big.ops.count("while") == 1
    assert len(g_big.ops) == len(g_small.ops)
    s, count = f(big)
    assert int(count) == 1000
    x, y = _pairs(1000)
    assert float(s) == pytest.approx(float(x.sum() + y.sum()))


def test_shuffled_and_mapped_loops_do_not_grow_with_the_dataset():
    f = ag.function(total.python_function)

    def pipeline(n):
        return Dataset.from_tensor_slices(_pairs(n)).shuffle(n, seed=1).map(
            lambda x, y: (x * 2.0, y)).batch(4)

    def computing(graph):  # constants aside: equal values are merged, so their count varies
        return [op for op in graph.ops if op != "const"]

    small, big = f.graph(pipeline(12)), f.graph(pipeline(1000))
    assert computing(big) == computing(small)
    # The loop over the batches, and inside it the loop that stacks a batch of mapped
    # elements (map runs per element, as in tf.data); the shuffle adds none.
    assert big.ops.count("while") == 2
    x, y = _pairs(1000)
    s, count = f(pipeline(1000))
    assert int(count) == 250 and float(s) == pytest.approx(float(2 * x.sum() + y.sum()))


def test_dataset_built_inside_the_function_traces_once():
    x, y = _pairs(1000)

    @ag.function
    def f():
        ds = Dataset.from_tensor_slices((x, y)).shuffle(1000, seed=4).batch(10)
        s = ag.constant(0.0)
        for xb, yb in ds:
            s += ag.reduce_sum(xb)
        return s

    assert float(f()) == float(f()) == float(x.sum())
    assert f.trace_count == 1
    ops = f.graph().ops
    assert ops.count("while") == 1  # the shuffle adds no loop


def test_break_continue_and_return():
    @ag.function
    def first_big(ds):
        for x in ds:
            if x > 5:
                return x
        return ag.constant(-1, ag.int64)

    @ag.function
    def odd_sum_until(ds):
        s = ag.constant(0, ag.int64)
        for x in ds:
            if x % 2 == 0:
                continue
            if x > 11:
                break
            s += x
        return s

    assert int(first_big(Dataset.range(3, 20))) == 6
    assert int(first_big(Dataset.range(3))) == -1
    assert int(odd_sum_until(Dataset.range(100))) == 1 + 3 + 5 + 7 + 9 + 11
    assert odd_sum_until.graph(Dataset.range(100)).ops.count("while") == 1


def test_staged_shuffle_reshuffles_on_every_call_like_eager_iteration():
    @ag.function
    def order(ds):
        out = []
        for x in ds:
            out.append(x)
        return ag.stack(out)

    ds = Dataset.range(40).shuffle(40, seed=11)
    staged = [order(ds).numpy().tolist() for _ in range(3)]
    eager_twin = Dataset.range(40).shuffle(40, seed=11)
    assert staged == [[int(v) for v in eager_twin] for _ in range(3)]
    assert all(sorted(s) == list(range(40)) for s in staged)
    assert len({tuple(s) for s in staged}) == 3
    assert order.trace_count == 1


def test_map_function_is_converted_and_staged():
    def scale(x, y):
        if y % 2 == 0:  # a tensor condition: staged inside the map function
            x = x * 2.0
        return x, y

    @ag.function
    def f():
        s = ag.constant(0.0)
        for xb, yb in Dataset.from_tensor_slices(_pairs(6, 1)).map(scale).batch(4):
            s += ag.reduce_sum(xb)
        return s

    assert float(f()) == 2 * (0 + 2 + 4) + (1 + 3 + 5)


def test_filter_repeat_take_enumerate_zip_staged():
    @ag.function
    def f():
        s = ag.constant(0, ag.int64)
        for i, (a, b) in Dataset.zip(Dataset.range(100).filter(lambda v: v % 3 == 0),
                                     Dataset.range(3).repeat()).take(5).enumerate():
            s += i * 1000 + a * 10 + b
        return s

    eager = sum(i * 1000 + a * 10 + b for i, (a, b) in
                enumerate(zip([0, 3, 6, 9, 12], [0, 1, 2, 0, 1])))
    assert int(f()) == eager


def test_builtin_enumerate_over_a_dataset():
    @ag.function
    def f(ds):
        s = ag.constant(0, ag.int64)
        for i, x in enumerate(ds):
            s += ag.cast(i, ag.int64) * x
        return s

    assert int(f(Dataset.range(1, 5))) == 0 * 1 + 1 * 2 + 2 * 3 + 3 * 4


def test_endless_dataset_loop_ends_by_break():
    @ag.function
    def f():
        n = ag.constant(0, ag.int64)
        for x in Dataset.range(4).repeat():
            n += 1
            if n >= 10:
                break
        return n

    assert int(f()) == 10


def test_dataset_argument_trace_cache():
    @ag.function
    def f(ds):
        s = ag.constant(0, ag.int64)
        for x in ds:
            s += x
        return s

    ds = Dataset.range(5)
    assert int(f(ds)) == int(f(ds)) == 10
    assert f.trace_count == 1  # the same dataset object: one trace
    assert int(f(Dataset.range(7))) == 21  # another dataset: its own trace
    assert f.trace_count == 2


def test_loop_target_that_does_not_match_the_elements_is_a_located_error():
    @ag.function
    def f(ds):
        for x, y in ds:
            pass
        return 0

    with pytest.raises(ag.StagingError, match=r"single tensors .*unpacks 2 values") as info:
        f(Dataset.range(4))
    assert "for x, y in ds" in str(info.value)

    @ag.function
    def g(ds):
        for a, b, c in ds:
            pass
        return 0

    with pytest.raises(ag.StagingError, match="tuples of 2 values"):
        g(Dataset.from_tensor_slices(_pairs(3)))


def test_iterating_a_dataset_unconverted_in_a_trace_says_why():
    @ag.function(autograph=False)
    def f(ds):
        for x in ds:
            pass
        return 0

    with pytest.raises(ag.StagingError, match="autograph=True"):
        f(Dataset.range(3))


def test_training_loop_over_a_shuffled_dataset_on_digits():
    # The in-graph training loop's shape: tape and Variable updates inside `for x, y in ds`,
    # one trace for all epochs, the dataset reshuffled each call (plain SGD, no ag.keras).
    from autograph.keras.datasets import digits

    (x_train, y_train), (x_test, y_test) = digits.load_data()
    x_train, x_test = x_train.reshape(-1, 64), x_test.reshape(-1, 64)
    rng = np.random.default_rng(0)
    params = [ag.Variable(rng.uniform(-0.2, 0.2, (64, 128)).astype(np.float32)),
              ag.Variable(np.zeros(128, np.float32)),
              ag.Variable(rng.uniform(-0.2, 0.2, (128, 10)).astype(np.float32)),
              ag.Variable(np.zeros(10, np.float32))]
    w1, b1, w2, b2 = params
    train_ds = Dataset.from_tensor_slices((x_train, y_train)).shuffle(2000, seed=0).batch(64)

    @ag.function
    def train_epoch(ds):
        step = 0
        loss = ag.constant(0.0)
        for x, y in ds:
            with ag.GradientTape() as tape:
                logits = ag.matmul(ag.nn.relu(ag.matmul(x, w1) + b1), w2) + b2
                top = ag.reduce_max(logits, axis=1, keepdims=True)
                log_z = ag.log(ag.reduce_sum(ag.exp(logits - top), axis=1, keepdims=True)) + top
                loss = ag.reduce_mean(ag.reduce_sum(ag.one_hot(y, 10) * (log_z - logits), axis=1))
            for v, g in zip(params, tape.gradient(loss, params)):
                v.assign_sub(0.1 * g)
            step += 1
        return step, loss

    for _ in range(20):
        steps, loss = train_epoch(train_ds)
    assert int(steps) == 23 and train_epoch.trace_count == 1
    assert train_epoch.graph(train_ds).ops.count("while") == 1
    hidden = np.maximum(x_test @ w1.numpy() + b1.numpy(), 0)
    accuracy = np.mean((hidden @ w2.numpy() + b2.numpy()).argmax(1) == y_test)
    assert accuracy >= 0.95, accuracy
