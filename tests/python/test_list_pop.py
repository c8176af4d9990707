"""`list.pop()` on lists that staged loops carry: staged results equal plain Python's, the
popped value's type comes from the list's element type, an empty pop fails when the graph runs
naming the user's line, and the converter rewrites every way people write a pop."""
import os

import numpy as np
import pytest

import autograph as ag
from autograph.operators import data_structures


def _line(marker):
    """Line number of this file's line containing `marker`."""
    with open(__file__) as f:
        return next(i for i, line in enumerate(f, 1) if marker in line and "_line(" not in line)


def _np(x):
    if isinstance(x, (tuple, list)):
        return tuple(_np(v) for v in x)
    return x.numpy() if isinstance(x, ag.Tensor) else x


def drain_squares(n):
    s = []
    ag.set_element_type(s, ag.int32)
    i = 0
    while i < n:
        s.append(i * i)
        i += 1
    total = 0
    order = 0
    while len(s) > 0:
        total += s.pop()
        order = order * 3 + len(s)
    return total, order


@pytest.mark.parametrize("n", [0, 1, 5, 12])
def test_drain_a_stack_filled_in_a_staged_loop(n):
    staged = ag.function(drain_squares)
    result = _np(staged(ag.constant(n)))
    assert result == drain_squares(n)
    total, _ = staged(ag.constant(n))
    assert total.dtype == ag.int32 and total.shape == ()
    assert "tensor_list_pop" in staged.graph(ag.constant(n)).ops


def balanced(codes):
    # codes: 0 '(' 1 '[' 2 ')' 3 ']'
    stack = []
    ag.set_element_type(stack, ag.int32)
    ok = True
    for c in codes:
        if c < 2:
            stack.append(c)
        elif len(stack) == 0:
            ok = False
        elif stack.pop() != c - 2:
            ok = False
    return ok and len(stack) == 0


@pytest.mark.parametrize("text", ["", "()", "([])", "([)]", "(()", "())", "[()()]([])",
                                  "]", "(((", "([]([]))"])
def test_balanced_brackets(text):
    codes = np.array(["([)]".index(ch) for ch in text], np.int32)
    staged = ag.function(balanced)(ag.constant(codes))
    assert bool(_np(staged)) == balanced(list(codes.tolist())), text


def stack_of_vectors(x):
    rows = []
    ag.set_element_type(rows, ag.float32, (3,))
    for r in x:
        rows.append(r * 2.0)
    last = rows.pop()
    first = rows.pop(0)
    return last, first, ag.stack(rows)


def test_pop_vectors_last_and_first():
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    staged = ag.function(stack_of_vectors)
    last, first, rest = staged(ag.constant(x))
    assert last.shape == (3,) and last.dtype == ag.float32
    np.testing.assert_array_equal(last.numpy(), x[3] * 2)
    np.testing.assert_array_equal(first.numpy(), x[0] * 2)
    np.testing.assert_array_equal(rest.numpy(), x[1:3] * 2)


def queue_order(n):
    q = []
    ag.set_element_type(q, ag.int32)
    for i in ag.range(n):
        q.append(i + 1)
    out = 0
    while len(q) > 0:
        out = out * 10 + q.pop(0)
    return out


def test_pop_front_is_a_queue():
    assert int(ag.function(queue_order)(ag.constant(4))) == queue_order(4) == 1234


def pop_at(n, k):
    s = []
    ag.set_element_type(s, ag.int32)
    i = 0
    while i < n:
        s.append(i * 10)
        i += 1
    v = s.pop(k)
    return v, ag.stack(s)


@pytest.mark.parametrize("k", [0, 2, -1, -3])
def test_pop_at_an_index_tensor_or_python_int(k):
    want_v, want_rest = pop_at(5, k)
    for index in (k, ag.constant(k)):
        v, rest = ag.function(pop_at)(ag.constant(5), index)
        assert int(v) == want_v
        np.testing.assert_array_equal(rest.numpy(), np.asarray(want_rest))


def test_pop_index_out_of_range_is_an_invalid_argument_error():
    with pytest.raises(ag.InvalidArgumentError, match=r"index 7 is out of range for a list of "
                                                      r"size 5"):
        ag.function(pop_at)(ag.constant(5), ag.constant(7))


def pop_too_many(n):
    s = []
    ag.set_element_type(s, ag.float32)
    i = 0
    while i < n:
        s.append(1.5)
        i += 1
    total = 0.0
    j = 0
    while j <= n:
        total += s.pop()  # EMPTY-POP
        j += 1
    return total


def test_empty_pop_names_the_line():
    with pytest.raises(ag.InvalidArgumentError) as info:
        ag.function(pop_too_many)(ag.constant(3))
    line = _line("# EMPTY-POP")
    msg = str(info.value)
    assert "tensor_list_pop: pop from empty list" in msg
    assert f"{os.path.basename(__file__)}:{line}" in msg
    assert info.value.lineno == line
    assert "s.pop()" in info.value.source_line
    # Python itself raises IndexError at the same place.
    with pytest.raises(IndexError, match="pop from empty list"):
        pop_too_many(3)


def pop_from_empty_declared(x):
    s = []
    ag.set_element_type(s, ag.int32)
    if x > 0:
        s.append(x)
    return s.pop()  # DECLARED-POP


def test_empty_pop_after_a_staged_if():
    f = ag.function(pop_from_empty_declared)
    assert int(f(ag.constant(4))) == 4
    with pytest.raises(ag.InvalidArgumentError, match="pop from empty list") as info:
        f(ag.constant(-4))
    assert info.value.lineno == _line("# DECLARED-POP")


def pop_python_list_in_staged_loop(n):
    s = [3, 5, 7, 9]
    total = 0
    i = 0
    while i < n:
        total += s.pop()
        i += 1
    return total, len(s)


def test_python_list_popped_inside_a_staged_loop_becomes_a_tensor_list():
    # Popping at trace time would pop once, whatever n is.
    f = ag.function(pop_python_list_in_staged_loop)
    for n in (0, 1, 3):
        assert _np(f(ag.constant(n))) == pop_python_list_in_staged_loop(n)


def pop_untyped_empty(n):
    s = []
    total = 0
    i = 0
    while i < n:
        total += s.pop()  # UNTYPED-POP
        i += 1
    return total


def test_pop_from_an_untyped_empty_list_in_a_staged_loop_says_what_to_do():
    with pytest.raises(ag.StagingError, match=r"set_element_type") as info:
        ag.function(pop_untyped_empty)(ag.constant(2))
    assert info.value.lineno == _line("# UNTYPED-POP")


def pop_kinds(xs):
    a = list(xs)
    b = a.pop()
    a.pop()
    c = a.pop(0) * 10 + a.pop()
    d = [a.pop(), a.pop()] if len(a) > 1 else []
    return a, b, c, d


def test_eager_and_unstaged_python_lists_stay_plain_python():
    xs = [1, 2, 3, 4, 5, 6, 7, 8]
    expected = pop_kinds(xs)
    assert ag.function(pop_kinds)(xs) == expected
    # Dicts and sets pop like Python too (the converter cannot know the receiver's type).

    def dict_and_set(d, s):
        v = d.pop("a")
        w = s.pop()
        return v, w, sorted(d)

    assert ag.function(dict_and_set)({"a": 1, "b": 2}, {9}) == (1, 9, ["b"])
    with pytest.raises(IndexError, match="pop from empty list"):
        ag.function(pop_kinds)([])


def tensor_array_pop(n):
    ta = ag.TensorArray(ag.int32, size=0, dynamic_size=True)
    i = 0
    while i < n:
        ta.append(i + 100)
        i += 1
    top = ta.pop()
    return top, ta.size(), ta.stack()


def test_pop_from_a_tensor_array_used_as_a_list():
    top, size, rest = ag.function(tensor_array_pop)(ag.constant(3))
    assert int(top) == 102 and int(size) == 2
    np.testing.assert_array_equal(rest.numpy(), [100, 101])
    # Eagerly the array pops its Python items (the operator the converted code calls).
    ta = ag.TensorArray(ag.int32, size=0, dynamic_size=True)
    for v in (4, 5, 6):
        ta = data_structures.list_append(ta, v)
    ta, top = data_structures.list_pop(ta, None)
    ta, first = data_structures.list_pop(ta, 0)
    assert (int(top), int(first), int(ta.size())) == (6, 4, 1)
    np.testing.assert_array_equal(ta.stack().numpy(), [5])
    with pytest.raises(ag.InvalidArgumentError, match="index 3 is out of range"):
        data_structures.list_pop(ta, 3)
    ta, _ = data_structures.list_pop(ta, -1)
    with pytest.raises(ag.InvalidArgumentError, match="pop from empty list"):
        data_structures.list_pop(ta, None)


def test_converter_hoists_pops_out_of_expressions():
    def f(s, t, total):
        total += s.pop()
        t.append(s.pop())
        if s.pop() != 3:
            total = total + 1
        n = len(s) + s.pop()
        return total + t.pop(0), n

    code = ag.to_code(f)
    assert "s, s_pop = ag__.list_pop(s, None)" in code
    assert "t = ag__.list_append(t, s_pop_1)" in code
    assert "t, t_pop = ag__.list_pop(t, 0)" in code
    # `len(s) + s.pop()` must measure s before the pop: left as a method call.
    assert "converted_call(len, (s,), None, fscope) + ag__.converted_call(s.pop, ()" in code
    assert ag.function(f)([1, 2, 3, 4, 5, 6], [7], 0) == f([1, 2, 3, 4, 5, 6], [7], 0)


_MODULE_STACK = [1, 2, 3]


def test_lists_of_enclosing_scopes_are_not_rewritten():
    # Rewriting `s.pop()` assigns s, which would make a closure's or module's list local to the
    # function (UnboundLocalError): those stay method calls.
    def outer():
        s = [1, 2]

        def inner():
            s.append(5)
            return s.pop() + s.pop()

        return inner(), s

    def uses_module_list():
        v = _MODULE_STACK.pop()
        _MODULE_STACK.append(v * 10)
        return v

    assert ag.function(outer)() == (7, [1])
    assert "s.pop" in ag.to_code(outer) and "list_pop" not in ag.to_code(outer)
    assert ag.function(uses_module_list)() == 3
    assert _MODULE_STACK == [1, 2, 30]


def _pop_in_while_test(n):
    s = []
    ag.set_element_type(s, ag.int32)
    for i in ag.range(n):
        s.append(i + 1)
    total = 0
    while len(s) > 0 and s.pop() > 0:
        total += 1
    return total


def test_pop_left_in_a_while_test_names_the_fix_and_line():
    assert _pop_in_while_test(3) == 3  # plain Python
    with pytest.raises(ag.StagingError, match=r"lst\.pop\(\) on a list that staged code carries"
                       r".*move it into a statement first") as info:
        ag.function(_pop_in_while_test)(ag.constant(3))
    assert "while len(s) > 0 and s.pop() > 0:" in str(info.value)
    with pytest.raises(AttributeError, match="no attribute 'foo'"):
        ag.constant(1).foo
