"""Corpus: conditionals, boolean operators, conditional expressions, calls, errors."""
import numpy as np

import autograph as ag
from harness import Py, case

V = np.array([1.0, -2.0, 3.0], np.float32)


@case(3)
@case(-3)
def sign_if_else(x):
    if x > 0:
        s = 1
    else:
        s = -1
    return s


@case(5)
@case(0)
@case(-5)
def sign_elif(x):
    if x > 0:
        s = 1
    elif x < 0:
        s = -1
    else:
        s = 0
    return s


@case(4)
@case(11)
def if_without_else(x):
    y = x
    if x > 10:
        y = x - 10
    return y


@case(2.0)
@case(-2.0)
def if_modifies_two_vars(x):
    a = 0.0
    b = 1.0
    if x > 0:
        a = x
        b = x * 2
    else:
        a = -x
    return a, b


@case(3, 4)
@case(5, 2)
def max_of_two(a, b):
    if a > b:
        return a
    return b


@case(3, 4, 1)
@case(5, 2, 9)
def max_of_three_nested(a, b, c):
    if a > b:
        if a > c:
            m = a
        else:
            m = c
    else:
        if b > c:
            m = b
        else:
            m = c
    return m


@case(7)
@case(-7)
def early_return_if(x):
    if x < 0:
        return -x
    return x


@case(7)
@case(-7)
def return_in_both_branches(x):
    if x < 0:
        return x * 2
    else:
        return x * 3


@case(1.5)
@case(-0.5)
def conditional_expression(x):
    return x if x > 0 else -x


@case(1)
@case(20)
def conditional_expression_nested(x):
    return 0 if x < 5 else (1 if x < 10 else 2)


@case(2, 3)
@case(-2, 3)
@case(2, -3)
def and_of_comparisons(a, b):
    if a > 0 and b > 0:
        r = 1
    else:
        r = 0
    return r


@case(2, 3)
@case(-2, -3)
def or_of_comparisons(a, b):
    if a > 0 or b > 0:
        r = 1
    else:
        r = 0
    return r


@case(1, 2, 3)
@case(1, -2, 3)
def and_chain(a, b, c):
    return a > 0 and b > 0 and c > 0


@case(-1, -2, 3)
@case(-1, -2, -3)
def or_chain(a, b, c):
    return a > 0 or b > 0 or c > 0


@case(True)
@case(False)
def not_bool(flag):
    if not flag:
        return 1
    return 2


@case(4)
@case(-4)
def not_comparison(x):
    return not x > 0


@case(np.array([1, 2, 3], np.int32), 5)
@case(np.array([1, 2, 3], np.int32), 1)
def guarded_index(xs, i):
    # The right operand only runs when the left is true (it would index out of range).
    if i < 3 and xs[i] > 1:
        return 1
    return 0


@case(3)
@case(-3)
def mixed_python_and_tensor_condition(x):
    debug = False
    if debug or x > 0:
        y = x + 1
    else:
        y = x - 1
    return y


@case(Py(True), 2)
@case(Py(False), 2)
def python_flag_branch(flag, x):
    if flag:
        return x * 10
    return x


@case(2.0)
def if_python_condition_inside(x):
    n = 3
    if n > 2:
        x = x * 2
    return x


@case(V)
def if_on_reduction(x):
    if ag.reduce_sum(x) > 0:
        y = x * 2.0
    else:
        y = -x
    return y


@case(V)
@case(-V)
def if_on_reduce_all(x):
    if ag.reduce_all(x > -5.0):
        return ag.reduce_max(x)
    return ag.reduce_min(x)


@case(5)
@case(-5)
def print_in_branches(x):
    if x > 0:
        print("positive", x)
    else:
        print("not positive", x)
    return x


@case(3)
def print_only(x):
    print("x is", x)
    print("twice", x * 2, sep=":")
    return x


@case(2.5)
def print_end(x):
    print("value", x, end=" <\n")
    return x


@case(4, 3)
@case(2, 3)
def int_float_branch_promotion(a, b):
    if a > b:
        r = 1
    else:
        r = 2
    return r * 1.5


@case(3)
@case(-3)
def if_assigns_tuple(x):
    if x > 0:
        lo, hi = 0, x
    else:
        lo, hi = x, 0
    return hi - lo


def helper_square(x):
    return x * x


def helper_abs(x):
    if x < 0:
        return -x
    return x


def helper_clamp(x, lo=0, hi=10):
    if x < lo:
        x = lo
    elif x > hi:
        x = hi
    return x


@case(-4)
@case(4)
def call_converted_helper(x):
    return helper_square(helper_abs(x))


@case(15)
@case(-3)
@case(5)
def call_with_defaults(x):
    return helper_clamp(x)


@case(15)
def call_with_kwargs(x):
    return helper_clamp(x, hi=12, lo=1)


@case(3)
def call_lambda(x):
    f = lambda v: v + 1  # noqa: E731
    return f(x) * 2


@case(4)
def call_closure(x):
    k = 3

    def add_k(v):
        return v + k

    return add_k(x)


@case(4)
def nested_def_with_control_flow(x):
    def inner(v):
        if v > 2:
            return v - 2
        return v

    return inner(x) + inner(x - 3)


@case(6)
def recursive_helper_chain(x):
    return call_converted_helper(x) + helper_square(2)


@case(np.array([3.0, -4.0], np.float32))
def builtin_abs(x):
    return abs(x)


@case(7)
def builtin_int_float(x):
    return float(x) / 2, int(x / 2)


@case(np.array([1, 5, 3], np.int32))
def builtin_max_min(x):
    return max(x[0], x[1]), min(x[1], x[2])


@case(np.array([1.0, 2.0, 3.0, 4.0], np.float32))
def builtin_len(x):
    return len(x) * 2


@case(2.0)
def numpy_call_inside(x):
    c = np.float32(np.sqrt(4.0))
    return x * c


@case(3)
def do_not_convert_call(x):
    return untouched(x)


@ag.do_not_convert
def untouched(v):
    return v + 1


@case(5)
def staged_function_inside(x):
    return inner_staged(x) + 1


@ag.function
def inner_staged(v):
    if v > 3:
        v = v * 2
    return v


@case(3)
@case(30)
@case(-3)
def chained_comparison(x):
    if 0 < x < 10:
        return 1
    return 0


@case(2, 5)
@case(7, 5)
def chained_comparison_three(x, y):
    # Each link of the chain is staged; the middle operands are evaluated per link.
    return 0 <= x < y <= 10


@case(2)
def augmented_ops(x):
    y = x
    y += 3
    y *= 2
    y -= 1
    y //= 3
    return y


@case(2.0)
def augmented_float(x):
    y = x
    y **= 2
    y /= 4.0
    return y


@case(5)
@case(-5)
def if_else_returns_pair(x):
    if x > 0:
        return x, x * 2
    return x, -x


@case(10)
@case(1)
def multiple_returns(x):
    if x > 8:
        return 3
    if x > 4:
        return 2
    if x > 0:
        return 1
    return 0


@case(np.array([2.0, 3.0], np.float32), 1.0)
@case(np.array([2.0, 3.0], np.float32), -1.0)
def vector_branch_same_shape(v, s):
    if s > 0:
        out = v * s
    else:
        out = v - s
    return out


@case(np.array([2, 3], np.int32))
def index_and_slice(x):
    a = x[0]
    b = x[-1]
    if a < b:
        return x[::-1]
    return x


@case(3)
def ternary_in_loop(n):
    s = 0
    for i in range(n * 2):
        s += i if i % 2 == 0 else -i
    return s


@case(3)
@case(4)
def even_odd_string_free(n):
    parity = 1 if n % 2 == 1 else 0
    return parity


@case(4)
@case(-4)
def assert_in_branch(x):
    if x > 0:
        assert x < 10, "too big"
        y = x
    else:
        y = -x
    return y


@case(5)
@case(50)
def assert_in_loop(n):
    s = 0
    for i in range(n):
        s += i
        assert s < 100, "sum overflow"
    return s


@case(np.array([1.0, 2.0], np.float32))
def assert_vector(x):
    assert ag.reduce_all(x > 0), "all positive"
    return ag.reduce_sum(x)


@case(0)
@case(2)
def zero_division_python_int(x):
    return 10 // (x + 1)


@case(3)
def undefined_local_python_path(x):
    flag = 1
    if flag > 5:
        y = 2
    return x


@case(3)
@case(-3)
def variable_in_branch(x):
    v = _state
    before = v.read_value()
    if x > 0:
        v.assign_add(x)
    else:
        v.assign_sub(x)
    return v.read_value() - before


_state = ag.Variable(100)


@case(np.array([1.0, 2.0], np.float32))
def dict_structure(x):
    d = {"a": x, "b": x * 2}
    if ag.reduce_sum(d["a"]) > 0:
        r = d["b"]
    else:
        r = d["a"]
    return {"r": r}


@case(2)
def tuple_unpack_and_branch(x):
    pair = (x, x + 1)
    a, b = pair
    if a < b:
        a, b = b, a
    return a, b


@case(6)
def while_with_if_return(n):
    i = 0
    while i < n:
        if i == 4:
            return i * 100
        i += 1
    return -1


@case(2.0)
def float_compare_chain(x):
    y = 0
    if x >= 2.0:
        y += 1
    if x <= 2.0:
        y += 10
    if x != 2.0:
        y += 100
    if x == 2.0:
        y += 1000
    return y


@case(3)
def boolean_result_and_or(x):
    a = x > 1 and x < 5
    b = x < 1 or x > 2
    return a, b


@case(9)
def nested_ifs_three_levels(x):
    r = 0
    if x > 1:
        r += 1
        if x > 3:
            r += 1
            if x > 7:
                r += 1
    return r
