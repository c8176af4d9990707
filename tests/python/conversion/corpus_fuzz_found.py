"""Programs the random-program fuzzer (program_fuzz.py) found staged differently, reduced.

A variable bound before a staged statement and rebound inside it, whose old value the statement
never reads and whose new value nobody reads after, became a local of the statement's body
function, unbound there; a nested staged `if` that carries it then failed with "NameError:
cannot access free variable" (Python: the outer binding is still visible there).
"""
import numpy as np

import autograph as ag

from harness import case


@case(3, 5)
@case(7, 20)
@case(-1, 0)
def rest_of_function_rebinds_after_early_return(a, b):
    x = a
    if b > 10:
        return x
    if a > 5:
        x = 1
    else:
        x = 2
    if x > 0 or a > 0:
        a = 0
    x = 3
    return a


# Weak typing kept on graph values (found with program_fuzz.py --floats). Python's range yields
# ints: a float32 plus the counter of a staged `for i in range(n)` stays float32 (NumPy's
# float32 + int32 would be float64, and the loop variable would change dtype).
@case(np.float32(0.5), 4)
@case(np.float32(-1.25), 0)
def float_accumulates_range_counter(x, n):
    for i in range(n):
        x = x + i
    return x


@case(np.float32(-3.5))
@case(np.float32(2.0))
def returns_a_number_or_a_float_tensor(a):
    if a > 0:
        return 0
    return a


@case(np.float32(-3.5))
@case(np.float32(2.0))
def returns_tuples_mixing_numbers_and_tensors(a):
    if a > 0:
        return (a, 0)
    return (a, a)


# A variable that is a Python number on every path of a staged if is still a number after it:
# it takes the dtype of the float tensor it meets in a later staged if.
@case(np.float32(0.5))
@case(np.float32(1.5))
@case(np.float32(2.5))
def number_on_both_paths_then_float(a):
    z = 0
    if a > 1:
        z = 2
    if a > 2:
        z = a
    return z


# Python numbers of two kinds chosen by a tensor condition: one float32.
@case(np.float32(3.0))
@case(np.float32(2.0))
def number_kinds_meet_in_a_conditional_expression(a):
    return 4 if a == 3.0 else 1.25


# The same with a branch that calls a function (not known to be pure: staged as a Cond, traced
# once per branch): the Cond unifies them too, the true branch traced again as a float32.
def _four():
    return 4


@case(np.float32(3.0))
@case(np.float32(2.0))
def number_kinds_meet_in_an_impure_conditional_expression(a):
    return _four() if a == 3.0 else 1.25


@case(np.float32(3.0))
@case(np.float32(2.0))
def float_and_int_numbers_in_an_impure_conditional_expression(a):
    y = a + (1.25 if a == 3.0 else _four())  # the false branch adapts: no second trace
    return y + (_four() if a > 2.5 else a)  # a number and a float32 tensor


# A strongly typed int tensor and a Python float stay an error (Python: an int32 or a float);
# it names the expression.
@case(np.float32(3.0), np.int32(4), staged_error=(
    ag.StagingError, r"^the conditional expression `\.\.\. if a == 3\.0 else \.\.\.` is int32 "
    r"when its condition is true but float32"))
def int_tensor_and_float_in_an_impure_conditional_expression(a, n):
    return abs(n) if a == 3.0 else 1.25


# A vector and a number: the shapes differ, and the message says so (it said "float32 ... but
# float32 ...; give both the same dtype").
@case(np.float32(3.0), np.array([1.0, 2.0], np.float32), staged_error=(
    ag.StagingError, r"^the conditional expression `\.\.\. if a == 3\.0 else \.\.\.` is float32 of "
    r"shape \(2,\) when its condition is true but float32 of shape \(\) when it is false; give "
    r"both the same shape"))
def vector_and_number_in_an_impure_conditional_expression(a, v):
    return v if a == 3.0 else _four()


# ag.cond itself: a Python number from one branch takes the other's float dtype.
@case(np.float32(3.0))
@case(np.float32(-2.0))
def explicit_cond_of_a_number_and_a_float(a):
    return ag.cond(a > 0, lambda: 4, lambda: a * 0.5)


# A Python number on every path of a staged if that returns: the returns unify to float32.
@case(np.float32(3.5), np.float32(5.25))
@case(np.float32(30.0), np.float32(5.25))
@case(np.float32(-1.0), np.float32(5.25))
def early_tuple_return_with_a_number(a, b):
    y = b
    z = 4
    if a > 10:
        z -= y
    elif a > 0:
        return (0, y)
    return (y, z)


# A loop variable that enters a staged loop as a Python number and only meets numbers in the
# body is still one after the loop: its return unifies with a float32 return.
def _count_up(u, v):
    if u > v:
        return (u - v) % 97
    w = u
    while w < v:
        w += 3
    return w % 89


@case(np.float32(5.25))
@case(np.float32(1.5))
def loop_of_a_number_then_a_float_return(b):
    return _count_up(4, b)


# Found with program_fuzz.py --floats (reduced). A return inside a staged loop of a tuple holding
# a Python number: the placeholder the loop carries for it stays a number, so the tuple unifies
# with a float32 return after the loop (it was an int32 placeholder: "returns a tuple (a float32,
# an int32) ... but (a float32, a float32)").
@case(np.float32(5.0), 2)
@case(np.float32(1.0), 2)
@case(np.float32(5.0), 0)
def number_in_a_tuple_returned_from_a_staged_loop(a, n):
    for i in range(n):
        if a > 3:
            return (a, 0)
    return (a, a)


# abs() and negation of a Python number give one: `y // (abs(z) + 1)` stays float32 (a strongly
# typed int32 made it float64, and the loop variable changed dtype).
@case(np.float32(3.5), 3)
@case(np.float32(0.5), 2)
def float_floordiv_abs_of_a_number_in_a_loop(a, n):
    y = a
    for i in range(n):
        z = 4 if a > 1 else -3
        y = y // (abs(z) + 1) + (-z)
    return y


# `a and b` / `a or b` of Python numbers is a Python number (it met the float32 loop variable
# as an int32 tensor: "changes dtype").
@case(np.float32(3.5), np.float32(5.25), 2)
@case(np.float32(6.0), np.float32(5.25), 1)
def and_or_of_numbers_in_a_loop(a, b, n):
    x = a
    y = b
    for i in range(n):
        x = 6
        y = 9886 if a < y else x
        y = -(y and -1) + (0 or x)
    return x, y


# A Python int that becomes a float32 in a staged loop, plus the loop's counter (a Python int):
# float32 (both are weakly typed; NumPy's int32 + float32 would be float64).
@case(np.float32(0.5), 3)
@case(np.float32(-1.5), 1)
def number_turns_float_plus_range_counter(a, n):
    x = 5
    y = a
    for i in range(n):
        x = x + i
        y = (x or y) - 1  # float64 here made y change dtype
        x += a
    return x, y
