"""ag.Tensor: construction and dtype rules, NumPy interop, operators, indexing, conversions."""
import numpy as np
import pytest

import autograph as ag


def test_python_literal_dtypes():
    assert ag.constant(1).dtype == ag.int32
    assert ag.constant(1.5).dtype == ag.float32
    assert ag.constant(True).dtype == ag.bool
    assert ag.constant([1, 2]).dtype == ag.int32
    assert ag.constant([1.0, 2]).dtype == ag.float32
    assert ag.constant(2**40).dtype == ag.int64
    assert ag.constant(1, dtype=ag.float64).dtype == ag.float64
    assert ag.constant(np.float64(1.5)).dtype == ag.float64
    for dt in ("bool", "int32", "int64", "float32", "float64"):
        assert ag.constant(np.zeros(3, dt)).dtype == ag.as_dtype(dt)


def test_dtype_objects():
    assert ag.float32 == np.float32 and ag.int64 == "int64" and ag.bool == bool
    assert ag.float32.as_numpy_dtype is np.float32
    assert repr(ag.int32) == "ag.int32" and ag.int32.name == "int32"
    assert ag.as_dtype(float) is ag.float32 and ag.as_dtype(int) is ag.int32


def test_weak_python_scalars():
    i32 = ag.constant([1, 2], dtype=ag.int32)
    f32 = ag.constant([1.0, 2.0], dtype=ag.float32)
    assert (i32 + 1).dtype == ag.int32
    assert (1 + i32).dtype == ag.int32
    assert (i32 + 1.5).dtype == ag.float32  # SPEC §3: a weak float is float32
    assert (ag.constant(0) + 0.5).dtype == ag.float32
    assert (f32 * 2).dtype == ag.float32
    assert (f32 * 0.5).dtype == ag.float32
    assert (i32 + 2**40).dtype == ag.int64
    assert (ag.constant([True]) + 1).dtype == ag.int32
    assert (i32 < 1.5).dtype == ag.bool


def test_numpy_view_is_zero_copy_and_read_only():
    t = ag.constant(np.arange(6, dtype=np.float32).reshape(2, 3)) * 2
    a = t.numpy()
    b = np.asarray(t)
    assert a.dtype == np.float32 and a.shape == (2, 3)
    assert np.shares_memory(a, b)
    assert not a.flags.writeable
    del t
    assert a.sum() == 30  # the view keeps the buffer alive


def test_constant_from_ndarray_shares_memory():
    arr = np.arange(10, dtype=np.float64)
    t = ag.constant(arr)
    assert np.shares_memory(t.numpy(), arr)
    # Non-contiguous arrays are copied.
    t2 = ag.constant(arr[::2])
    np.testing.assert_array_equal(t2.numpy(), arr[::2])


def test_repr_and_str():
    assert repr(ag.constant(3)) == "<ag.Tensor: shape=(), dtype=int32, numpy=3>"
    assert "array([1, 2], dtype=int32)" in repr(ag.constant([1, 2]))
    assert str(ag.constant([1, 2])) == "[1 2]"
    assert f"{ag.constant(1.25):.1f}" == "1.2"


def test_scalar_conversions():
    t = ag.constant(3)
    assert int(t) == 3 and float(t) == 3.0 and bool(t)
    assert [10, 20, 30, 40][ag.constant(2)] == 30  # __index__
    assert not bool(ag.constant(0.0))
    with pytest.raises(ag.InvalidArgumentError):
        bool(ag.constant([1, 2]))
    with pytest.raises(TypeError):
        len(ag.constant(1))


def test_hash_is_identity():
    a, b = ag.constant(1), ag.constant(1)
    assert len({a, b}) == 2
    assert (a == b).numpy()


def test_eq_with_unrelated_object_is_false():
    assert (ag.constant(1) == None) is False  # noqa: E711
    assert ag.constant(1) != "x"


def test_getitem():
    x = np.arange(24).reshape(2, 3, 4).astype(np.int32)
    t = ag.constant(x)
    for key in [0, -1, (1, 2), (slice(None), 1), (Ellipsis, 2), (None, 0), (0, slice(None, None, -1)),
                (slice(1, None), slice(0, 3, 2), None, -1), (Ellipsis,), (0, Ellipsis, None)]:
        np.testing.assert_array_equal(t[key].numpy(), x[key])
    np.testing.assert_array_equal(t[ag.constant(1)].numpy(), x[1])
    np.testing.assert_array_equal(t[ag.constant([1, 0])].numpy(), x[[1, 0]])
    np.testing.assert_array_equal(t[0, ag.constant(1):].numpy(), x[0, 1:])
    with pytest.raises(ag.InvalidArgumentError, match="out of bounds"):
        t[5]


def test_getitem_staged_with_tensor_index():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)

    @ag.function(autograph=False)
    def f(t, i):
        return t[i], t[:, i], t[i, 1:]

    a, b, c = f(ag.constant(x), ag.constant(2))
    np.testing.assert_array_equal(a.numpy(), x[2])
    np.testing.assert_array_equal(b.numpy(), x[:, 2])
    np.testing.assert_array_equal(c.numpy(), x[2, 1:])


def test_len_and_iter():
    t = ag.constant([[1, 2], [3, 4], [5, 6]])
    assert len(t) == 3
    assert [r.numpy().tolist() for r in t] == [[1, 2], [3, 4], [5, 6]]


def test_unary_operators():
    t = ag.constant([-1.5, 2.0])
    np.testing.assert_array_equal((-t).numpy(), [1.5, -2.0])
    np.testing.assert_array_equal(abs(t).numpy(), [1.5, 2.0])
    np.testing.assert_array_equal((~ag.constant([True, False])).numpy(), [False, True])
    np.testing.assert_array_equal((+t).numpy(), t.numpy())


def test_numpy_on_the_left_stays_a_tensor():
    r = np.array([1, 2], np.int32) + ag.constant([3, 4])
    assert isinstance(r, ag.Tensor)
    np.testing.assert_array_equal(r.numpy(), [4, 6])


def test_reflected_scalar_operators():
    t = ag.constant([2, 4])
    np.testing.assert_array_equal((10 - t).numpy(), [8, 6])
    np.testing.assert_array_equal((10 // t).numpy(), [5, 2])
    np.testing.assert_array_equal((2 ** t).numpy(), [4, 16])
    np.testing.assert_array_equal((1.0 / t).numpy(), [0.5, 0.25])


def test_tensor_is_immutable():
    with pytest.raises(TypeError):
        ag.constant([1, 2])[0] = 3


def test_constant_of_list_of_tensors():
    t = ag.constant([ag.constant(1), ag.constant(2)])
    np.testing.assert_array_equal(t.numpy(), [1, 2])


def test_bad_values():
    with pytest.raises(ag.InvalidArgumentError):  # strings are string tensors (SPEC §3) ...
        ag.constant("abc", dtype=ag.int32)  # ... never numbers
    with pytest.raises(ag.InvalidArgumentError):
        ag.constant([[1, 2], [3]])
    with pytest.raises(TypeError):
        ag.constant([1], dtype="complex64")


def test_python_level_methods():
    # len, str, __array__ and copying are defined in autograph/tensor.py on top of the C++ type.
    import copy

    t = ag.constant([1, 2, 3])
    with pytest.raises(TypeError, match=r"len\(\) of a 0-d tensor \(shape \(\)\)"):
        len(ag.constant(1))
    assert str(ag.constant(2.5)) == "2.5"
    a = np.asarray(t, dtype=np.float64)
    assert a.dtype == np.float64 and a.tolist() == [1.0, 2.0, 3.0]
    assert t.__array__().dtype == np.int32
    assert copy.copy(t) is t and copy.deepcopy([t])[0] is t

    from autograph import _core

    with _core.Trace() as trace:
        p = trace.placeholder(ag.float32, (None, 2))
        assert len(p[0]) == 2
        assert str(p) == repr(p) == "<ag.Tensor shape=(None, 2), dtype=float32 (symbolic)>"
        with pytest.raises(ag.StagingError, match="int"):
            len(p)
        with pytest.raises(ag.StagingError):
            np.asarray(p)
