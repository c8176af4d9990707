"""ag.cond / ag.while_loop / ag.TensorArray, eagerly and staged (explicit control flow)."""
import numpy as np
import pytest

import autograph as ag


def staged(f):
    return ag.function(f, autograph=False)


def collatz_steps(x):
    def body(x, steps):
        x = ag.cond(x % 2 == 0, lambda: x // 2, lambda: 3 * x + 1)
        return x, steps + 1

    _, steps = ag.while_loop(lambda x, steps: x != 1, body, [x, 0])
    return steps


def collatz_total(n):
    def outer_body(i, total):
        return i + 1, total + collatz_steps(i)

    _, total = ag.while_loop(lambda i, total: i <= n, outer_body, (1, 0))
    return total


def collatz_python(n):
    total = 0
    for i in range(1, n + 1):
        x = i
        while x != 1:
            x = x // 2 if x % 2 == 0 else 3 * x + 1
            total += 1
    return total


def test_collatz_eager_and_staged():
    assert int(collatz_total(ag.constant(30))) == collatz_python(30)
    f = staged(collatz_total)
    assert int(f(ag.constant(300))) == collatz_python(300)
    assert f.graph(ag.constant(300)).ops.count("while") == 2


def test_cond_eager_runs_one_branch():
    calls = []
    r = ag.cond(ag.constant(True), lambda: calls.append("t") or 1, lambda: calls.append("f") or 2)
    assert r == 1 and calls == ["t"]


def test_cond_staged_structures():
    @staged
    def f(x):
        return ag.cond(x > 0, lambda: {"a": x, "b": (x * 2, 1)},
                       lambda: {"a": -x, "b": (x * 3, 2)})

    out = f(ag.constant(5))
    assert int(out["a"]) == 5 and int(out["b"][0]) == 10 and int(out["b"][1]) == 1
    out = f(ag.constant(-5))
    assert int(out["a"]) == 5 and int(out["b"][0]) == -15 and int(out["b"][1]) == 2


def test_cond_branch_structure_mismatch_is_staging_error():
    @staged
    def f(x):
        return ag.cond(x > 0, lambda: (x, x), lambda: x)

    with pytest.raises(ag.StagingError, match="different structures"):
        f(ag.constant(1))


def test_nested_while_in_cond_and_back():
    # cond -> while -> cond: results flow back out through every level.
    def f(x, n):
        def loop():
            def body(i, acc):
                acc = ag.cond(i % 3 == 0, lambda: acc + i * 10, lambda: acc + i)
                return i + 1, acc

            return ag.while_loop(lambda i, acc: i < n, body, [0, x])[1]

        return ag.cond(x >= 0, loop, lambda: x - 1)

    def ref(x, n):
        if x < 0:
            return x - 1
        return x + sum(i * 10 if i % 3 == 0 else i for i in range(n))

    g = staged(f)
    for x, n in [(0, 7), (5, 0), (-2, 4), (3, 10)]:
        assert int(g(ag.constant(x), ag.constant(n))) == ref(x, n)
        assert int(f(ag.constant(x), ag.constant(n))) == ref(x, n)


def test_while_captures_outer_values():
    @staged
    def f(x, k):
        scale = x * 2  # defined outside the loop, used inside (captured)
        return ag.while_loop(lambda i, s: i < k, lambda i, s: (i + 1, s + scale), [0, 0.0 * x])[1]

    assert float(f(ag.constant(1.5), ag.constant(4))) == 12.0


def test_while_maximum_iterations():
    def f(n):
        return ag.while_loop(lambda i: i < 100, lambda i: i + 1, [n], maximum_iterations=5)[0]

    assert int(f(ag.constant(0))) == 5
    assert int(staged(f)(ag.constant(0))) == 5
    assert int(staged(f)(ag.constant(98))) == 100


def test_while_single_var_body_may_return_bare_value():
    def f(n):
        return ag.while_loop(lambda i: i < n, lambda i: i + 2, [0])

    assert int(f(ag.constant(7))[0]) == 8
    r = staged(f)(ag.constant(7))
    assert isinstance(r, list) and int(r[0]) == 8


def test_while_dtype_change_is_an_error():
    @staged
    def f(n):
        return ag.while_loop(lambda i: i < n, lambda i: i + 0.5, [ag.constant(0)])

    with pytest.raises(ag.StagingError, match="loop variable 0") as info:
        f(ag.constant(3))
    assert info.value.lineno is not None


def test_while_loop_variable_entering_as_a_python_number_takes_the_body_dtype():
    """SPEC §3: a loop variable that starts as a Python 0 takes the dtype the loop gives it (the
    loop is traced again); as a number it also stays float32 next to a float32 tensor."""
    @staged
    def f(n, x):
        return ag.while_loop(lambda i, s, t: i < n,
                             lambda i, s, t: (i + 1, s + 0.5, t + x), [0, 0, 0])

    i, s, t = f(ag.constant(3), ag.constant(1.5))
    assert (i.dtype, s.dtype, t.dtype) == (ag.int32, ag.float32, ag.float32)
    assert (int(i.numpy()), float(s.numpy()), float(t.numpy())) == (3, 1.5, 4.5)
    assert f.python_function(3, np.float32(1.5)) == [3, 1.5, 4.5]  # plain Python agrees


def test_while_shape_change_and_cond_dtype_mismatch_are_staging_errors():
    @staged
    def grow(n):
        return ag.while_loop(lambda i, x: i < n,
                             lambda i, x: (i + 1, ag.concat([x, x], 0)), [0, ag.zeros((1,))])

    with pytest.raises(ag.StagingError, match=r"\(1,\).*\(2,\)"):
        grow(ag.constant(3))

    @staged
    def mixed(x):
        return ag.cond(x > 0, lambda: x, lambda: ag.cast(x, ag.float32))

    with pytest.raises(ag.StagingError, match="int32.*float32"):
        mixed(ag.constant(1))


def test_loop_carried_tensor_array():
    def f(n):
        ta = ag.TensorArray(ag.int32, size=0, dynamic_size=True)

        def body(i, ta):
            return i + 1, ta.write(i, i * i)

        _, ta = ag.while_loop(lambda i, ta: i < n, body, [0, ta])
        return ta.stack(), ta.size()

    for fn in (f, staged(f)):
        stacked, size = fn(ag.constant(6))
        np.testing.assert_array_equal(stacked.numpy(), np.arange(6) ** 2)
        assert int(size) == 6


def test_tensor_array_of_vectors_with_element_shape():
    @staged
    def f(x):
        ta = ag.TensorArray(ag.float32, size=3, element_shape=(2,))

        def body(i, ta):
            return i + 1, ta.write(i, x * ag.cast(i, ag.float32))

        return ag.while_loop(lambda i, ta: i < 3, body, [0, ta])[1].stack()

    out = f(ag.constant([1.0, 2.0]))
    np.testing.assert_array_equal(out.numpy(), [[0, 0], [1, 2], [2, 4]])


def test_tensor_array_eager_read_write():
    ta = ag.TensorArray(ag.float32, size=2)
    ta = ta.write(0, 1.5).write(1, 2.5)
    assert float(ta.read(1)) == 2.5
    with pytest.raises(ag.InvalidArgumentError):
        ta.write(2, 1.0)


def test_stack_python_list():
    lst = ag.set_element_type([], ag.float32)
    assert ag.stack(lst).shape == (0,)
    assert ag.stack([ag.constant(1), ag.constant(2)]).numpy().tolist() == [1, 2]


def test_cond_unifies_python_numbers_with_the_other_branch():
    """A Python number on one side takes the other side's higher kind (Python accepts `4 if c
    else x * 0.5`; TensorFlow would not); numbers on both sides stay weakly typed."""
    @staged
    def f(x):
        a = ag.cond(x > 0, lambda: 4, lambda: x * 0.5)  # the true branch is traced again
        b = ag.cond(x > 0, lambda: x * 0.5, lambda: True)
        c = ag.cond(x > 0, lambda: 1, lambda: 2) + x  # still a number: float32, not float64
        return a, b, c

    for x, want in ((3.0, (4.0, 1.5, 4.0)), (-2.0, (-1.0, 1.0, 0.0))):
        a, b, c = f(ag.constant(x))
        assert (a.dtype, b.dtype, c.dtype) == (ag.float32,) * 3
        assert (float(a.numpy()), float(b.numpy()), float(c.numpy())) == want
