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
# once per branch): not yet unified, but the error names the expression, not the Cond's outputs.
def _four():
    return 4


@case(np.float32(3.0), staged_error=(ag.StagingError, r"^the conditional expression `\.\.\. if "
                                     r"a == 3\.0 else \.\.\.` is int32 when its condition is true "
                                     r"but float32 when it is false"))
def number_kinds_meet_in_an_impure_conditional_expression(a):
    return _four() if a == 3.0 else 1.25


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
