"""Asking for more memory than the machine has: a MemoryError that says how much was asked for,
for which dtype and shape, and, in a staged function, at the user's line of the op (issue 15:
it used to be a bare `MemoryError: std::bad_alloc` at the call's line). Nothing is allocated:
these sizes are refused at once."""
import inspect

import pytest

import autograph as ag


def test_eager_op_out_of_memory_names_amount_dtype_and_shape():
    with pytest.raises(MemoryError) as e:
        ag.zeros([100000, 100000, 1000])  # 4e13 bytes
    assert str(e.value) == ("out of memory: cannot allocate 36.4 TiB for a float32 tensor of "
                            "shape (100000, 100000, 1000)")
    assert ag.zeros([2]).numpy().tolist() == [0.0, 0.0]  # the runtime goes on


def test_shape_beyond_any_address_space():
    with pytest.raises(MemoryError, match=r"more memory than an address space holds for a "
                                          r"int32 tensor of shape \(1099511627776, 1099511627776\)"):
        ag.zeros([2**40, 2**40], dtype=ag.int32)


def test_staged_out_of_memory_points_at_the_ops_line():
    def cube(n):
        x = ag.zeros([n, n, n])
        return ag.reduce_sum(x)

    line = inspect.getsourcelines(cube)[1] + 1
    f = ag.function(cube)
    with pytest.raises(MemoryError) as e:
        f(ag.constant(1000000))
    assert "out of memory: cannot allocate 3.5 EiB for a float32 tensor of shape " \
           "(1000000, 1000000, 1000000)" in str(e.value)
    assert e.value.lineno == line
    assert e.value.filename == __file__
    assert "std::bad_alloc" not in str(e.value)
    assert f(ag.constant(2)).numpy() == 0.0  # the graph runs again with a size that fits
