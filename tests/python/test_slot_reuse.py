"""Slot reuse in straight-line staged code (runtime/exec/slot_reuse.cpp): an op result hands
its slot and buffer to a later result of its type once its last reader ran, so an unrolled
chain of ops keeps a few buffers instead of one per op (the staged unrolled rnn lost to eager
through that working set); views of a dead value stay intact."""
import numpy as np

import autograph as ag


def _run_stats(g, *args):
    stats = {}
    out = g.get_concrete_function(*args).run(list(args), stats)
    return out, stats


def chain(x, w):
    y = x
    for _ in range(20):  # unrolled at trace time: 20 matmuls, each result read once
        y = ag.matmul(y, w)
    return y


def test_unrolled_chain_reuses_the_dead_results_buffers():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 16)).astype(np.float32)
    w = (rng.normal(size=(16, 16)) / 4).astype(np.float32)
    g = ag.function(chain, autograph=False)
    want = x
    for _ in range(20):
        want = want @ w
    for _ in range(2):  # the second run as the first
        got, stats = _run_stats(g, ag.constant(x), ag.constant(w))
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-4, atol=1e-5)
        # Two buffers alternate (the result being written and the one it reads) plus the
        # result's own: one per matmul (20) without reuse.
        assert stats["buffer_allocations"] <= 3, stats


def views(x, w):
    t = ag.matmul(x, w)
    v = ag.reshape(t, (-1,))  # shares t's buffer; t is dead afterwards
    u = ag.matmul(x, w * 2.0)  # may take t's slot: must not write into v's buffer
    return v, u


def test_a_reused_slot_never_writes_into_a_live_view():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4, 8)).astype(np.float32)
    w = rng.normal(size=(8, 8)).astype(np.float32)
    g = ag.function(views, autograph=False)
    for _ in range(2):
        v, u = g(ag.constant(x), ag.constant(w))
        np.testing.assert_allclose(v.numpy(), (x @ w).reshape(-1), rtol=1e-5)
        np.testing.assert_allclose(u.numpy(), x @ (w * 2), rtol=1e-5)
