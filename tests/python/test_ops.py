"""Every op against NumPy on random inputs of several shapes and dtypes, eagerly and staged."""
import numpy as np
import pytest

import autograph as ag
from conftest import assert_same, random_array, run_both

SHAPES = [(), (5,), (3, 4), (2, 0, 3)]
NUM_DTYPES = ["int32", "int64", "float32", "float64"]


def _tol(dtype):
    return 2e-6 if np.dtype(dtype) == np.float32 else 1e-12


def _sigmoid(x):
    return (1 / (1 + np.exp(-x.astype(np.float64)))).astype(np.result_type(x.dtype, np.float16)
                                                            if x.dtype.kind == "f" else np.float64)


UNARY = {
    "abs": np.abs,
    "negative": np.negative,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "square": np.square,
    "sin": np.sin,
    "cos": np.cos,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "floor": np.floor,
    "round": np.round,
    "sign": np.sign,
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", NUM_DTYPES)
def test_unary(name, shape, dtype, rng):
    x = random_array(rng, shape, dtype)
    if name in ("log", "sqrt"):
        x = (np.abs(x) + 1).astype(dtype)
    with np.errstate(all="ignore"):
        expected = UNARY[name](x)
    if name == "floor" and x.dtype.kind == "i":
        expected = expected.astype(np.float64)
    fn = getattr(ag, name) if hasattr(ag, name) else getattr(ag.math, name)
    eager, staged = run_both(fn, ag.constant(x))
    tol = _tol(expected.dtype) * 10
    assert_same(eager, expected, rtol=tol, atol=tol)
    assert_same(staged, expected, rtol=tol, atol=tol)


def test_relu(rng):
    x = random_array(rng, (4, 5), "float32")
    eager, staged = run_both(ag.nn.relu, ag.constant(x))
    assert_same(eager, np.maximum(x, 0))
    assert_same(staged, np.maximum(x, 0))


def test_unary_nan_inf():
    x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-30], np.float32)
    for name in ("abs", "sign", "floor", "round", "tanh", "square", "sigmoid"):
        with np.errstate(all="ignore"):
            expected = UNARY[name](x)
        eager, staged = run_both(getattr(ag, name), ag.constant(x))
        assert_same(eager, expected, rtol=1e-6)
        assert_same(staged, expected, rtol=1e-6)


@pytest.mark.xfail(reason="runtime cpu: float32 exp(-inf) gives a denormal, not 0", strict=False)
def test_exp_of_minus_inf():
    x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-30, -np.inf, -1e30], np.float32)
    assert_same(ag.exp(x).numpy(), np.exp(x))


BINARY = {
    "add": np.add,
    "subtract": np.subtract,
    "multiply": np.multiply,
    "truediv": np.true_divide,
    "floordiv": np.floor_divide,
    "mod": np.mod,
    "pow": np.power,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "equal": np.equal,
    "not_equal": np.not_equal,
    "less": np.less,
    "less_equal": np.less_equal,
    "greater": np.greater,
    "greater_equal": np.greater_equal,
}
BROADCAST = [((), ()), ((3,), ()), ((2, 3), (3,)), ((2, 1), (1, 3)), ((0, 3), (3,)),
             ((4, 1, 2), (3, 1))]
DTYPE_PAIRS = [("int32", "int32"), ("int64", "int64"), ("float32", "float32"),
               ("float64", "float64"), ("int32", "float32"), ("int32", "int64"),
               ("float32", "float64"), ("bool", "int32")]


def _binary_inputs(rng, name, sa, sb, da, db):
    a = random_array(rng, sa, da)
    b = random_array(rng, sb, db)
    if name in ("floordiv", "mod") and np.dtype(db).kind in "ib":
        b = np.where(b == 0, 3, b).astype(db)
    if name == "pow":
        if np.dtype(db).kind in "ib":
            b = np.abs(b).astype(db) % 4
        if np.dtype(da).kind == "f":
            a = np.abs(a) + 0.5
    return a, b


def _np_binary(f, a, b):
    """f(a, b) with NumPy's array-with-array promotion. NumPy 1.24 uses value-based casting
    when one operand is 0-d (int32 array + int64 0-d array -> int32); the runtime promotes
    by dtype alone (as NumPy 2 / NEP 50 does for arrays), so the reference avoids 0-d."""
    shape = np.broadcast_shapes(a.shape, b.shape)
    return np.asarray(f(a.reshape(a.shape or (1,)), b.reshape(b.shape or (1,)))).reshape(shape)


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", BROADCAST)
@pytest.mark.parametrize("dtypes", DTYPE_PAIRS)
def test_binary(name, shapes, dtypes, rng):
    if name == "subtract" and dtypes == ("bool", "bool"):
        pytest.skip("NumPy rejects bool - bool")
    a, b = _binary_inputs(rng, name, *shapes, *dtypes)
    with np.errstate(all="ignore"):
        expected = _np_binary(BINARY[name], a, b)
    fn = getattr(ag.math, name) if hasattr(ag.math, name) else getattr(ag, name)
    eager, staged = run_both(fn, ag.constant(a), ag.constant(b))
    tol = _tol(expected.dtype) * 10
    assert_same(eager, expected, rtol=tol, atol=tol)
    assert_same(staged, expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("op", ["__add__", "__sub__", "__mul__", "__truediv__",
                                "__floordiv__", "__mod__", "__pow__", "__lt__", "__ge__",
                                "__eq__", "__ne__"])
@pytest.mark.parametrize("dtype", NUM_DTYPES)
def test_operators_match_numpy(op, dtype, rng):
    a = random_array(rng, (3, 4), dtype)
    b = random_array(rng, (4,), dtype)
    b = np.where(b == 0, 2, b).astype(dtype)
    if op == "__pow__":
        a, b = np.abs(a) % 3 + 1, np.abs(b) % 3
        a, b = a.astype(dtype), b.astype(dtype)
    with np.errstate(all="ignore"):
        expected = getattr(a, op)(b)

    def f(x, y):
        return getattr(x, op)(y)

    eager, staged = run_both(f, ag.constant(a), ag.constant(b))
    assert_same(eager, expected, rtol=1e-5)
    assert_same(staged, expected, rtol=1e-5)


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
def test_logical(name, rng):
    a = rng.random((3, 4)) < 0.5
    b = rng.random((4,)) < 0.5
    expected = getattr(np, name)(a, b)
    eager, staged = run_both(getattr(ag.math, name), ag.constant(a), ag.constant(b))
    assert_same(eager, expected)
    assert_same(staged, expected)
    eager, staged = run_both(ag.logical_not, ag.constant(a))
    assert_same(eager, ~a)
    assert_same(staged, ~a)


def test_bitwise_operators(rng):
    a = rng.random((5,)) < 0.5
    b = rng.random((5,)) < 0.5
    for f, ref in [(lambda x, y: x & y, a & b), (lambda x, y: x | y, a | b),
                   (lambda x, y: x ^ y, a ^ b), (lambda x, y: ~x, ~a)]:
        eager, staged = run_both(f, ag.constant(a), ag.constant(b))
        assert_same(eager, ref)
        assert_same(staged, ref)


REDUCTIONS = {
    "reduce_sum": np.sum, "reduce_mean": np.mean, "reduce_max": np.max,
    "reduce_min": np.min, "reduce_prod": np.prod, "reduce_any": np.any, "reduce_all": np.all,
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("dtype", ["int32", "float32", "float64", "bool"])
def test_reductions(name, axis, keepdims, dtype, rng):
    x = random_array(rng, (3, 4, 2), dtype, low=-3, high=4)
    if name == "reduce_prod" and dtype != "bool":
        x = np.clip(x, -2, 2)
    expected = REDUCTIONS[name](x, axis=axis, keepdims=keepdims)
    if name in ("reduce_any", "reduce_all"):
        expected = np.asarray(expected, dtype=bool)
    eager, staged = run_both(lambda t: getattr(ag, name)(t, axis=axis, keepdims=keepdims),
                             ag.constant(x))
    assert_same(eager, expected, rtol=1e-5)
    assert_same(staged, expected, rtol=1e-5)


def test_reductions_empty():
    x = np.zeros((0, 3), np.float32)
    assert_same(ag.reduce_sum(x).numpy(), np.sum(x))
    assert_same(ag.reduce_prod(x).numpy(), np.prod(x))
    with np.errstate(all="ignore"):
        assert np.isnan(ag.reduce_mean(x).numpy())
    with pytest.raises(ag.InvalidArgumentError):
        ag.reduce_max(x)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_arg_reductions(name, axis, rng):
    x = random_array(rng, (4, 6), "float32")
    expected = getattr(np, name)(x, axis=axis)
    eager, staged = run_both(lambda t: getattr(ag, name)(t, axis=axis), ag.constant(x))
    assert_same(eager, expected)
    assert_same(staged, expected)


@pytest.mark.parametrize("sa,sb", [((3, 4), (4, 5)), ((4,), (4, 2)), ((3, 4), (4,)),
                                   ((2, 3, 4), (4, 2)), ((2, 1, 3, 4), (5, 4, 2)),
                                   ((0, 3), (3, 2))])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32"])
def test_matmul(sa, sb, dtype, rng):
    a, b = random_array(rng, sa, dtype), random_array(rng, sb, dtype)
    expected = a @ b
    eager, staged = run_both(lambda x, y: x @ y, ag.constant(a), ag.constant(b))
    assert_same(eager, expected, rtol=1e-5, atol=1e-5)
    assert_same(staged, expected, rtol=1e-5, atol=1e-5)
    assert_same(ag.matmul(a, b).numpy(), expected, rtol=1e-5, atol=1e-5)


def test_shape_ops(rng):
    x = random_array(rng, (2, 3, 4), "float32")
    cases = [
        (lambda t: ag.transpose(t), np.transpose(x)),
        (lambda t: ag.transpose(t, [1, 0, 2]), np.transpose(x, (1, 0, 2))),
        (lambda t: ag.reshape(t, (4, -1)), x.reshape(4, -1)),
        (lambda t: ag.concat([t, t], axis=1), np.concatenate([x, x], axis=1)),
        (lambda t: ag.stack([t, t], axis=-1), np.stack([x, x], axis=-1)),
        (lambda t: ag.gather(t, ag.constant([2, 0, -1]), axis=1), np.take(x, [2, 0, -1], axis=1)),
        (lambda t: ag.size(t), np.int32(x.size)),
        (lambda t: ag.shape(t), np.array(x.shape, np.int32)),
        (lambda t: ag.zeros_like(t), np.zeros_like(x)),
        (lambda t: ag.ones_like(t, dtype=ag.int32), np.ones_like(x, dtype=np.int32)),
        (lambda t: ag.clip_by_value(t, -1.0, 2.0), np.clip(x, -1, 2)),
        (lambda t: ag.where(t > 0, t, 0.0), np.where(x > 0, x, np.float32(0))),
        (lambda t: ag.cast(t, ag.int32), x.astype(np.int32)),
        (lambda t: ag.nn.softmax(t), np.exp(x) / np.exp(x).sum(-1, keepdims=True)),
    ]
    for fn, expected in cases:
        eager, staged = run_both(fn, ag.constant(x))
        assert_same(eager, expected, rtol=1e-5)
        assert_same(staged, expected, rtol=1e-5)


def test_stop_gradient_op_is_identity(rng):
    # The runtime op behind ag.stop_gradient: the values pass unchanged, eagerly and staged.
    from autograph import _core
    x = random_array(rng, (3, 4), "float64")

    def stop(t):
        return _core.apply(_core.op_kinds["stop_gradient"], [t])

    eager, staged = run_both(stop, ag.constant(x))
    assert_same(eager, x)
    assert_same(staged, x)


def test_constructors():
    cases = [
        (lambda: ag.zeros((2, 3)), np.zeros((2, 3), np.float32)),
        (lambda: ag.ones([3], dtype=ag.int64), np.ones(3, np.int64)),
        (lambda: ag.fill((2, 2), 7), np.full((2, 2), 7, np.int32)),
        (lambda: ag.fill((2,), 1.5), np.full((2,), 1.5, np.float32)),
        (lambda: ag.range(5), np.arange(5, dtype=np.int32)),
        (lambda: ag.range(1, 10, 3), np.arange(1, 10, 3, dtype=np.int32)),
        (lambda: ag.range(0.0, 1.0, 0.25), np.arange(0, 1, 0.25, dtype=np.float32)),
        (lambda: ag.range(5, 0, -2), np.arange(5, 0, -2, dtype=np.int32)),
        (lambda: ag.one_hot(ag.constant([0, 2, 1]), 3), np.eye(3, dtype=np.float32)[[0, 2, 1]]),
    ]
    for fn, expected in cases:
        eager, staged = run_both(fn)
        assert_same(eager, expected)
        assert_same(staged, expected)


def test_random_seeded():
    a = ag.random.uniform((3, 4), seed=7).numpy()
    b = ag.random.uniform((3, 4), seed=7).numpy()
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float32 and ((a >= 0) & (a < 1)).all()
    n = ag.random.normal((10000,), seed=1).numpy()
    assert abs(n.mean()) < 0.05 and abs(n.std() - 1) < 0.05
    staged = ag.function(lambda: ag.random.uniform((3, 4), seed=7), autograph=False)()
    np.testing.assert_array_equal(staged.numpy(), a)


def test_dynamic_shapes_in_staged_function():
    @ag.function(autograph=False)
    def f(n):
        return ag.zeros([n, 2]), ag.range(n)

    z, r = f(ag.constant(3))
    assert z.shape == (3, 2)
    assert_same(r.numpy(), np.arange(3, dtype=np.int32))
