"""What moved out of the C++ bindings into Python (autograph/tensor.py, ops.py) keeps its
behaviour: converting values that are not tensors, numbers or arrays (`ops._convertible`),
int(), ndim and the docstrings; and the bindings' buffer export and generic entry point."""
import numpy as np
import pytest

import autograph as ag
from autograph import _core, ops


def test_list_literals_take_the_spec_dtypes():
    assert ag.constant([[1, 2], [3, 4]]).dtype == ag.int32
    assert ag.constant((1, 2**40)).dtype == ag.int64  # too big for int32
    assert ag.constant([1.5, 2]).dtype == ag.float32
    assert ag.constant([True, False]).dtype == ag.bool
    assert ag.constant([1, 2], dtype=ag.float64).dtype == ag.float64
    assert ag.constant([]).shape == (0,)
    # The same rules apply to a list met as an operand.
    assert (ag.constant(1) + [1, 2]).dtype == ag.int32
    assert ops._convertible([1, 2])[1] is True


def test_tensor_likes_and_numpy_scalars():
    v = ag.Variable(ag.constant([1.0, 2.0]))
    np.testing.assert_array_equal((ag.constant(1.0) + v).numpy(), [2.0, 3.0])
    assert ag.constant(np.float64(1.5)).dtype == ag.float64
    assert ag.constant(np.int64(3)).dtype == ag.int64
    assert ag.constant(np.float32(2), dtype=ag.float64).dtype == ag.float64
    array, literal = ops._convertible(np.float32(2))
    assert array.dtype == np.float32 and literal is False


def test_lists_holding_tensors_are_stacked():
    t = ag.constant([[ag.constant(1), 2], [3, ag.constant(4)]])
    assert t.shape == (2, 2)
    np.testing.assert_array_equal(t.numpy(), [[1, 2], [3, 4]])
    assert isinstance(ops._convertible([ag.constant(1.0)]), ag.Tensor)


def test_conversion_errors_name_the_value():
    # Lists of strings are string tensors (SPEC §3); strings mixed with numbers are not.
    with pytest.raises(ag.InvalidArgumentError, match=r"cannot convert \['a', 1\] to a tensor"):
        ag.constant(["a", 1])
    with pytest.raises(ag.InvalidArgumentError,
                       match="cannot convert an object of type 'object' to a tensor"):
        ag.constant(object())
    with pytest.raises(ag.InvalidArgumentError, match="type 'dict'"):
        ag.exp({})


def test_int_of_tensors():
    assert int(ag.constant(7)) == 7 and type(int(ag.constant(7))) is int
    assert int(ag.constant(-2.75)) == -2  # truncates, as int(float)
    assert int(ag.constant(2**40)) == 2**40
    assert int(ag.constant(True)) == 1
    for bad in (np.nan, np.inf):
        with pytest.raises(ag.InvalidArgumentError, match="cannot convert .* to int"):
            int(ag.constant(bad))
    with pytest.raises(ag.InvalidArgumentError, match="ambiguous|element"):
        int(ag.constant([1.0, 2.0]))
    with _core.Trace() as trace:
        p = trace.placeholder(ag.float32, ())
        with pytest.raises(ag.StagingError, match="int"):
            int(p)


def test_ndim_and_docstrings():
    assert ag.constant(1).ndim == 0 and ag.constant([[1, 2]]).ndim == 2
    with _core.Trace() as trace:
        assert trace.placeholder(ag.float32, (None, 3)).ndim == 2
    assert "symbolic" in ag.Tensor.__doc__
    for name in ("dtype", "shape", "ndim", "device", "is_symbolic"):
        assert getattr(ag.Tensor, name).__doc__, name
    assert "NumPy view" in ag.Tensor.numpy.__doc__


def test_buffer_export_is_the_read_only_numpy_view():
    t = ag.constant(np.arange(6, dtype=np.int64).reshape(2, 3))
    m = memoryview(t)
    assert m.readonly and m.format == "l" and m.shape == (2, 3) and m.itemsize == 8
    assert m.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert np.shares_memory(np.frombuffer(m, dtype=np.int64), t.numpy())
    scalar = memoryview(ag.constant(2.5))  # inline storage: the view keeps the tensor alive
    assert scalar.shape == () and scalar.format == "f"
    with _core.Trace() as trace:
        p = trace.placeholder(ag.float32, (2,))
        with pytest.raises(BufferError, match="symbolic"):
            memoryview(p)


def test_apply_takes_any_sequence_of_inputs():
    k = _core.op_kinds
    x = ag.constant([1.0, -2.0])
    np.testing.assert_array_equal(_core.apply(k["where"], (x > 0, x, 0.0)).numpy(), [1.0, 0.0])
    np.testing.assert_array_equal(_core.apply(k["add"], [x, [1, 1]]).numpy(), [2.0, -1.0])
    six = _core.apply(k["stack"], [x] * 6, {"axis": 0})
    assert six.shape == (6, 2)
    with pytest.raises(TypeError, match="inputs must be a sequence"):
        _core.apply(k["add"], 3)


def test_getitem_keys():
    x = ag.constant(np.arange(12).reshape(3, 4))
    assert int(x[1, 2]) == 6
    np.testing.assert_array_equal(x[[2, 0]].numpy(), [[8, 9, 10, 11], [0, 1, 2, 3]])
    np.testing.assert_array_equal(x[np.array([1])].numpy(), [[4, 5, 6, 7]])
    np.testing.assert_array_equal(x[..., None, 1:3].numpy()[0], [[1, 2]])
    assert int(x[np.int64(2)][np.int32(3)]) == 11
    assert int(ag.Variable(x)[2, -1]) == 11  # a tensor-like self
    with pytest.raises(TypeError, match="valid indices, got float"):
        x[1.5]
    with pytest.raises(TypeError, match="slice bounds must be integers"):
        x[1.0:]


def test_process_exits_cleanly_after_conversions():
    # The bindings hold registered Python objects without releasing them at exit (a static
    # py::object's destructor would run after the interpreter is gone and abort the process).
    import subprocess
    import sys

    code = ("import numpy as np, autograph as ag\n"
            "ag.constant([1.0]) + ag.constant(np.float32(2)) + ag.constant([[ag.constant(1)]])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
