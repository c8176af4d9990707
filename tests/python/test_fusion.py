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
