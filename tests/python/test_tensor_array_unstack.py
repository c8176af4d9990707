"""TensorArray.unstack: eagerly a Python loop, staged one While over the rows (built on the
runtime's While directly, see tensor_array.py)."""
import numpy as np

import autograph as ag


def _unstack_and_read(x):
    ta = ag.TensorArray(ag.float32, size=0, dynamic_size=True).unstack(x)
    return ta.stack(), ta.read(1), ta.size()


def test_unstack_eager():
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    stacked, row, size = _unstack_and_read(ag.constant(x))
    np.testing.assert_array_equal(stacked.numpy(), x)
    np.testing.assert_array_equal(row.numpy(), x[1])
    assert int(size) == 3


def test_unstack_staged_matches_eager_and_is_one_loop():
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    f = ag.function(_unstack_and_read, autograph=False)
    stacked, row, size = f(ag.constant(x))
    np.testing.assert_array_equal(stacked.numpy(), x)
    np.testing.assert_array_equal(row.numpy(), x[1])
    assert int(size) == 4
    # The rows are written by a staged loop, not unrolled per row.
    ops = f.graph(ag.constant(x)).ops
    assert ops.count("while") == 1, ops


def test_unstack_staged_casts_to_the_array_dtype():
    x = np.arange(4, dtype=np.int32).reshape(2, 2)
    f = ag.function(lambda t: ag.TensorArray(ag.float32, size=0, dynamic_size=True)
                    .unstack(t).stack(), autograph=False)
    out = f(ag.constant(x))
    assert out.dtype == ag.float32
    np.testing.assert_array_equal(out.numpy(), x.astype(np.float32))
