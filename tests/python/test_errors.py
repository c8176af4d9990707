"""Bad input gives ag.InvalidArgumentError naming the op and the shapes; integer semantics."""
import numpy as np
import pytest

import autograph as ag


def both(fn, *args):
    """Runs eagerly and staged; both must raise the same error type."""
    return [lambda: fn(*args), lambda: ag.function(fn, autograph=False)(*args)]


@pytest.mark.parametrize("mode", [0, 1])
def test_broadcast_error_names_op_and_shapes(mode):
    fn = both(lambda a, b: a + b, ag.constant(np.zeros((2, 3))), ag.constant(np.zeros(4)))[mode]
    with pytest.raises(ag.InvalidArgumentError, match=r"add.*\(2, 3\).*\(4,\)"):
        fn()


@pytest.mark.parametrize("mode", [0, 1])
def test_matmul_shape_error(mode):
    fn = both(ag.matmul, ag.constant(np.zeros((2, 3))), ag.constant(np.zeros((4, 2))))[mode]
    with pytest.raises(ag.InvalidArgumentError, match=r"matmul.*\(2, 3\).*\(4, 2\)"):
        fn()


@pytest.mark.parametrize("mode", [0, 1])
@pytest.mark.parametrize("fn,args", [
    (lambda x: ag.reduce_sum(x, axis=3), (np.zeros((2, 2)),)),
    (lambda x: ag.reshape(x, (4, 4)), (np.zeros(6),)),
    (lambda x: ag.transpose(x, [0, 0]), (np.zeros((2, 2)),)),
    (lambda x: ag.concat([x, ag.zeros((3,))], 0), (np.zeros((2, 2)),)),
    (lambda x: -x, (np.array([True]),)),
    (lambda x: ag.gather(x, ag.constant([5])), (np.zeros(3),)),
    (lambda x: x[1.5] if False else x[7], (np.zeros(3),)),
])
def test_bad_arguments(mode, fn, args):
    with pytest.raises(ag.InvalidArgumentError):
        both(fn, *[ag.constant(a) for a in args])[mode]()


@pytest.mark.parametrize("mode", [0, 1])
@pytest.mark.parametrize("op", [lambda a, b: a // b, lambda a, b: a % b])
@pytest.mark.parametrize("dtype", ["int32", "int64"])
def test_integer_division_by_zero(mode, op, dtype):
    fn = both(op, ag.constant(np.array([1, 2], dtype)), ag.constant(np.array([1, 0], dtype)))[mode]
    with pytest.raises(ag.InvalidArgumentError, match="zero"):
        fn()


def test_float_division_by_zero_is_inf():
    r = (ag.constant([1.0, -1.0, 0.0]) / 0.0).numpy()
    assert r[0] == np.inf and r[1] == -np.inf and np.isnan(r[2])


@pytest.mark.parametrize("mode", [0, 1])
def test_overflow_wraps(mode):
    big = ag.constant(np.array([2**31 - 1], np.int32))
    r = both(lambda x: x + 1, big)[mode]()
    assert r.numpy()[0] == -(2**31)
    r = both(lambda x: x * 2, ag.constant(np.array([2**62], np.int64)))[mode]()
    assert r.numpy()[0] == -(2**63)


@pytest.mark.parametrize("mode", [0, 1])
def test_floor_division_and_modulo_of_negatives(mode):
    a = np.array([-7, 7, -7, 7, 0], np.int32)
    b = np.array([2, -2, -2, 2, -3], np.int32)
    q, r = both(lambda x, y: (x // y, x % y), ag.constant(a), ag.constant(b))[mode]()
    np.testing.assert_array_equal(q.numpy(), a // b)
    np.testing.assert_array_equal(r.numpy(), a % b)
    fa, fb = a.astype(np.float32), b.astype(np.float32)
    q, r = both(lambda x, y: (x // y, x % y), ag.constant(fa), ag.constant(fb))[mode]()
    np.testing.assert_array_equal(q.numpy(), fa // fb)
    np.testing.assert_array_equal(r.numpy(), fa % fb)


def test_negative_integer_power_raises():
    with pytest.raises(ag.InvalidArgumentError):
        ag.constant(2) ** ag.constant(-1)


def test_wrong_dtypes():
    with pytest.raises(ag.InvalidArgumentError, match="gather"):
        ag.gather(ag.constant([1, 2]), ag.constant([0.5]))
    with pytest.raises(ag.InvalidArgumentError):
        ag.constant([1.5]) & ag.constant([True])


def test_no_crash_after_errors():
    for _ in range(3):
        with pytest.raises(ag.InvalidArgumentError):
            ag.constant(np.zeros(2)) + ag.constant(np.zeros(3))
    assert int(ag.constant(1) + 1) == 2


def test_exception_hierarchy():
    for cls in (ag.ConversionError, ag.StagingError, ag.InvalidArgumentError):
        assert issubclass(cls, ag.errors.AutographError)


def _match_on_tensor(x):
    match x:
        case 1:
            return 10
        case _:
            return 20


def _comprehension_over_tensor(x):
    return sum([v * 2 for v in x])


def test_match_on_a_tensor_advises_if_elif():
    assert _match_on_tensor(1) == 10
    with pytest.raises(ag.StagingError, match="a match statement is not staged: write it as "
                       "if/elif") as info:
        ag.function(_match_on_tensor)(ag.constant(1))
    assert info.value.source_line.strip() == "case 1:"


def test_comprehension_over_a_tensor_advises_a_for_statement():
    with pytest.raises(ag.StagingError, match="a comprehension is not staged: write the loop as "
                       "a for statement") as info:
        ag.function(_comprehension_over_tensor)(ag.constant([1, 2, 3]))
    assert info.value.lineno == _comprehension_over_tensor.__code__.co_firstlineno + 1
