"""Element-wise fusion as a user sees it (runtime/graph/passes_fuse.cpp): the unrolled rnn step
`tanh(x @ W + h @ U + b)` becomes one fused node per step, the bias `b` (a row broadcast over
the batch) included, with the eager result bit for bit; a dense layer over a batch of
sequences is one matrix product (runtime/cpu/matmul.cpp)."""
import numpy as np

import autograph as ag


def rnn(x, w, u, b, steps):
    h = ag.zeros((x.shape[1], w.shape[1]), ag.float32)
    for t in range(steps):
        h = ag.tanh(ag.matmul(x[t], w) + ag.matmul(h, u) + b)
    return h


def _inputs(steps=4, batch=6, dim=10):
    rng = np.random.default_rng(3)
    x = (rng.normal(size=(steps, batch, dim)) * 0.3).astype(np.float32)
    w, u = ((rng.normal(size=(dim, dim)) * 0.3).astype(np.float32) for _ in range(2))
    b = rng.normal(size=(dim,)).astype(np.float32)
    return [ag.constant(v) for v in (x, w, u, b)]


def test_the_rnn_step_with_its_bias_is_one_fused_node():
    args = _inputs()
    g = ag.function(rnn)
    text = g.graph(*args, 4).dump()
    fused = [ln for ln in text.splitlines() if "fused_elementwise" in ln]
    assert len(fused) == 4, text  # one per step
    for line in fused:
        assert "add(r0, r1)" in line and "tanh(" in line, line
    # No element-wise op is left outside the fused nodes.
    assert " = add(%" not in text and " = tanh(%" not in text, text


def test_the_fused_rnn_equals_eager_bit_for_bit():
    args = _inputs(steps=5, batch=7, dim=300)  # a row longer than a block, not a multiple
    staged = ag.function(rnn)(*args, 5).numpy()
    eager = rnn(*args, 5).numpy()
    np.testing.assert_array_equal(staged, eager)


def test_a_batch_of_matrices_times_one_matrix_equals_one_product_per_element():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3, 5, 33, 17)).astype(np.float32)
    w = rng.normal(size=(17, 9)).astype(np.float32)
    got = ag.matmul(ag.constant(x), ag.constant(w)).numpy()
    assert got.shape == (3, 5, 33, 9)
    np.testing.assert_allclose(got, x @ w, rtol=1e-5, atol=1e-5)
    v = rng.normal(size=(17,)).astype(np.float32)  # a vector on the right: (3, 5, 33)
    np.testing.assert_allclose(ag.matmul(ag.constant(x), ag.constant(v)).numpy(), x @ v,
                               rtol=1e-5, atol=1e-5)
    ints = rng.integers(-9, 9, size=(4, 6, 5)).astype(np.int32)
    wi = rng.integers(-9, 9, size=(5, 3)).astype(np.int32)
    np.testing.assert_array_equal(ag.matmul(ag.constant(ints), ag.constant(wi)).numpy(), ints @ wi)


# Random element-wise expressions over a batch, its rows, a (1, D) row, 0-d tensors and Python
# numbers: the fusion pass groups them in every shape combination it accepts, and the staged
# result must equal eager bit for bit (the same kernels' math) and NumPy to float32 precision.
_UNARY = [("tanh", ag.tanh, np.tanh), ("sigmoid", ag.sigmoid, lambda a: 1 / (1 + np.exp(-a))),
          ("abs", ag.abs, np.abs), ("neg", ag.negative, np.negative),
          ("sin", ag.sin, np.sin), ("square", ag.square, np.square)]
_BINARY = [("+", lambda a, b: a + b), ("-", lambda a, b: a - b), ("*", lambda a, b: a * b),
           ("max", lambda a, b: np.maximum(a, b) if isinstance(a, np.ndarray) or
            isinstance(b, np.ndarray) else ag.maximum(a, b)),
           ("min", lambda a, b: np.minimum(a, b) if isinstance(a, np.ndarray) or
            isinstance(b, np.ndarray) else ag.minimum(a, b))]


def _expression(rng, depth):
    """A random tree: ('leaf', k) names input k; ('u', i, sub); ('b', i, left, right)."""
    if depth == 0 or rng.random() < 0.2:
        return ("leaf", int(rng.integers(0, 5)))
    if rng.random() < 0.35:
        return ("u", int(rng.integers(0, len(_UNARY))), _expression(rng, depth - 1))
    return ("b", int(rng.integers(0, len(_BINARY))), _expression(rng, depth - 1),
            _expression(rng, depth - 1))


def _evaluate(tree, leaves, numpy):
    if tree[0] == "leaf":
        return leaves[tree[1]]
    if tree[0] == "u":
        _, ag_fn, np_fn = _UNARY[tree[1]]
        x = _evaluate(tree[2], leaves, numpy)
        return np_fn(x) if numpy else ag_fn(x)
    return _BINARY[tree[1]][1](_evaluate(tree[2], leaves, numpy), _evaluate(tree[3], leaves, numpy))


def _reads_a_row(line):
    """A fused node's line of the dump reading input %1 (a (D,) row) or %2 (a (1, D) row)."""
    args = line.split("fused_elementwise(")[1].split(")")[0].split(", ")
    return "%1" in args or "%2" in args


def test_random_fused_expressions_with_rows_equal_eager_and_numpy():
    fused_with_rows = 0
    for seed in range(60):
        rng = np.random.default_rng(seed)
        batch, dim = int(rng.integers(1, 40)), int(rng.integers(1, 700))
        arrays = [rng.normal(size=(batch, dim)).astype(np.float32),
                  rng.normal(size=(dim,)).astype(np.float32),
                  rng.normal(size=(1, dim)).astype(np.float32),
                  np.float32(rng.normal())]
        tree = ("b", 0, ("leaf", 0), _expression(rng, 4))  # the result has the batch's shape
        tensors = [ag.constant(a) for a in arrays] + [0.75]
        g = ag.function(lambda *xs: _evaluate(tree, xs, False), autograph=False)
        staged = g(*tensors)
        fused_with_rows += sum(_reads_a_row(ln) for ln in g.graph(*tensors).dump().splitlines()
                               if "fused_elementwise(" in ln)
        eager = _evaluate(tree, tensors, False)
        want = _evaluate(tree, arrays + [np.float32(0.75)], True)
        assert staged.shape == want.shape, (seed, tree)
        np.testing.assert_array_equal(staged.numpy(), eager.numpy(), err_msg=str((seed, tree)))
        np.testing.assert_allclose(staged.numpy(), want, rtol=2e-5, atol=2e-5,
                                   err_msg=str((seed, tree)))
    assert fused_with_rows >= 30, fused_with_rows  # rows really were fused (50 of 60 now)
