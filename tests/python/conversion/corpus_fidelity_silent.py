"""Corpus: programs where staging used to give a silently different result or an error that
named generated code (issue 15): returns that fall off the end, lambdas built in loops, `return`
inside `try`/`finally`, `print` of Python values, `a or b` on numbers, globals, nonlocals and
lists changed inside staged statements, `del` in staged branches, return values whose dtype
differs by path.

A case with `staged_error=(cls, pattern)` is one where Python returns but staging cannot do
the same: the staged run must raise `cls` with a message matching `pattern` (the user's names
and lines), never return something else."""
import numpy as np

import autograph as ag
from harness import Py, case

LINES = r"line \d+"


# ---- returns that fall off the end --------------------------------------------------------
@case(Py(1), Py(-1))
@case(Py(1), Py(1))
@case(Py(-1), Py(0))
def nested_ifs_fall_off(a, b):
    if a > 0:
        if b > 0:
            return 1
    else:
        return 2


@case(1, -1, staged_error=(ag.StagingError,
                           r"'nested_ifs_fall_off_staged' returns an int32 \(lines \d+, \d+\) "
                           r"on some paths but reaches its end without a return"))
def nested_ifs_fall_off_staged(a, b):
    if a > 0:
        if b > 0:
            return 1
    else:
        return 2


@case(1, -1)
@case(-1, 5)
def nested_ifs_all_return(a, b):
    if a > 0:
        if b > 0:
            return 1
        return 3
    else:
        return 2


# (`while True:` with returns only, which cannot fall off: corpus_more.while_true_return.)


@case(5, staged_error=(ag.StagingError, "reaches its end without a return"))
def loop_return_or_fall_off(n):
    for i in range(n):
        if i == 3:
            return i * 10


@case(Py(5))
@case(Py(2))
def loop_return_or_fall_off_python(n):
    for i in range(n):
        if i == 3:
            return i * 10


# ---- lambdas and closures see the loop variable late (Python's binding) --------------------
@case(Py(2))
@case(Py(3))
def lambdas_late_binding(n):
    fs = []
    for i in range(n):
        fs.append(lambda: i)
    return [f() for f in fs]


@case(Py(3))
def lambdas_default_binding(n):
    fs = []
    for i in range(n):
        fs.append(lambda i=i: i * 10)
    return [f() for f in fs]


@case(Py(3))
def nested_def_late_binding(n):
    fs = []
    for i in range(n):
        k = i * 2

        def get():
            return k + i
        fs.append(get)
    return [f() for f in fs]


@case(Py(True))
@case(Py(False))
def closure_of_branch_variable(flag):
    if flag:
        v = 1
    else:
        v = 2
    f = lambda: v  # noqa: E731
    v = v + 10
    return f()


@case(4)
def cond_lambdas_in_staged_loop(n):
    x = 0
    for i in range(n):
        x = ag.cond(i > 1, lambda: x + i, lambda: x - 1)
    return x


# ---- return inside try / finally -----------------------------------------------------------
def _raises():
    raise ValueError("no value")


@case(3)
def return_in_try_that_raises(x):
    try:
        return _raises()
    except ValueError:
        pass
    return 1


@case(Py(3))
def return_in_try_that_works(x):
    try:
        return x * 2
    except ValueError:
        pass
    return 1


@case(Py(3))
def return_in_except(x):
    try:
        _raises()
    except ValueError:
        return x + 100
    return 1


@case(Py(10))
@case(Py(1))
@case(10)
@case(1)
def finally_return_overrides(x):
    try:
        return 2
    finally:
        return 0 if x > 5 else 3  # noqa: B012 - what the program tests


# ---- print: Python values once, while tracing; tensors when the graph runs -----------------
@case(3)
def print_python_then_tensor(x):
    print("tracing")
    print("x is", x)
    return x + 1


@case(Py(3))
def print_in_python_loop(n):
    for i in range(n):
        print("step", i)
    return n


@case(4)
def print_tensor_in_staged_loop(n):
    total = 0
    print("start")
    for i in range(n):
        total += i
        print("total", total)
    return total


# ---- `a or b` / `a and b` are operands -----------------------------------------------------
@case(3)
@case(0)
def or_returns_operand(a):
    return a or 5


@case(3)
@case(0)
def and_returns_operand(a):
    return a and 7


@case(3)
def negated_and(a):
    return -(a and a)


@case(0)
@case(2)
def or_mixed_dtypes(a):
    return a or 2.5


@case(0.0, 4)
@case(1.5, 4)
def or_float_and_int(x, k):
    return (x or 1.0) * k


@case(0, 0)
@case(0, 3)
@case(4, 0)
def chained_or(a, b):
    return a or b or 7


@case(0, -4)
@case(3, -4)
def or_with_call(a, b):
    return a or abs(b)


@case(0, 2)
@case(3, 0)
def or_as_condition(a, b):
    if a or b:
        return 1
    return 0


@case(np.array([1, 0, 3], np.int32), 1)
@case(np.array([1, 0, 3], np.int32), 5)
def guarded_index(x, i):
    return i < 3 and x[i] > 0


# ---- globals, nonlocals and lists changed inside staged statements -------------------------
COUNTER = 0


@case(3, staged_error=(ag.StagingError, "global variable COUNTER"))
def global_counter_in_staged_loop(n):
    global COUNTER
    COUNTER = 0
    for i in range(n):
        COUNTER += 1
    return COUNTER


@case(Py(3))
def global_counter_in_python_loop(n):
    global COUNTER
    COUNTER = 0
    for i in range(n):
        COUNTER += 1
    return COUNTER


@case(3, staged_error=(ag.StagingError, r"'inc' assigns the nonlocal variable 'c' \(" + LINES))
def nonlocal_via_helper_in_staged_loop(n):
    c = 0

    def inc():
        nonlocal c
        c += 1
    for i in range(n):
        inc()
    return c


@case(3)
def nonlocal_loop_in_nested_function(n):
    c = 0

    def count():
        nonlocal c
        for i in range(n):
            c += 1
    count()
    return c


@case(3, staged_error=(ag.StagingError, r"'lst' is a Python list made before the staged for "
                                        r"loop at line \d+ and changed inside it \(lst.extend\)"))
def list_extend_in_staged_loop(n):
    lst = []
    for i in range(n):
        lst.extend([i])
    return len(lst)


@case(1, staged_error=(ag.StagingError, r"'seen' is a Python set .*\(seen.add\)"))
def set_add_in_staged_if(x):
    seen = set()
    if x > 0:
        seen.add(1)
    return len(seen)


@case(3, staged_error=(ag.StagingError, r"'lst' is a Python list made before the staged for "
                                        r"loop at line \d+ and changed inside it"))
def list_item_by_variable_index_in_staged_loop(n):
    lst = [0, 0]
    j = 1
    for i in range(n):
        lst[j] = lst[j] + 1
    return lst[1]


@case(3, staged_error=(ag.StagingError, r"'d' is a Python dict made before the staged for "
                                        r"loop at line \d+ and changed inside it"))
def dict_key_by_variable_in_staged_loop(n):
    d = {"a": 0}
    k = "a"
    for i in range(n):
        d[k] = d[k] + i
    return d["a"]


@case(3, staged_error=(ag.StagingError, r"'d' is a Python dict made before the staged for"))
def dict_keyed_by_tensor_in_staged_loop(n):
    d = {}
    for i in range(n):
        d[i] = 1
    return len(d)


@case(3)
def dict_constant_key_in_staged_loop(n):
    d = {"a": 0}
    for i in range(n):
        d["a"] += i
    return d["a"]


@case(Py(3))
def list_extend_in_python_loop(n):
    lst = []
    for i in range(n):
        lst.extend([i, i])
    return len(lst)


@case(3)
def list_made_inside_staged_loop(n):
    total = 0
    for i in range(n):
        parts = []
        parts.extend([1, 2])
        total += len(parts) * i
    return total


# ---- error messages and del ----------------------------------------------------------------
@case(3, staged_error=(ag.StagingError,
                       r"^the function returns a bool at line \d+ but an int32 at line \d+"))
def return_dtype_differs(a):
    if a > 0:
        return a > 1
    return a


@case(3)
@case(-3)
def del_in_both_branches(a):
    x = 1
    if a > 0:
        del x
    else:
        del x
    return a


@case(3)
@case(-3)
def del_then_assign_in_branches(a):
    x = 1
    if a > 0:
        del x
        x = 5
    else:
        x = 6
    return x


@case(5, staged_error=(ag.StagingError,
                       r"^the function returns a bool at line \d+ but an int32 at line \d+"))
def return_dtype_differs_in_loop(n):
    i = 0
    while i < n:
        if i > 2:
            return i > 3
        i += 1
    return i


@case(np.array([1, 2], np.int32), staged_error=(
    ag.StagingError, r"^the function returns an int32 of shape \(2,\) at line \d+ but an int32 "
                     r"at line \d+.*same shape"))
def return_shape_differs(x):
    if x[0] > 0:
        return x
    return x[0]


@case(3, staged_error=(ag.StagingError, r"^the function returns a tuple \(an int32, an int32\) "
                                        r"at line \d+ but an int32 at line \d+.*same structure"))
def return_structure_differs(x):
    if x > 0:
        return x, x
    return x


@case(3)
@case(-3)
def return_string_from_staged_if(x):
    # Python strings returned from staged control flow are string tensors (SPEC §3, as
    # TensorFlow); before ag.string this was a StagingError.
    if x > 0:
        return "pos"
    return "neg"


@case(1, 5, staged_error=(ag.StagingError, r"^the function returns an int32 at line \d+ but a "
                                           r"float32 at line \d+.*same dtype"))
def return_dtype_differs_across_loop(x, n):
    if x > 0:
        return x
    i = 0
    while i < n:
        if i > 2:
            return 1.5
        i += 1
    return 0


@case(-1, 5)
@case(1, 5)
def returns_before_and_inside_loop(x, n):
    if x > 0:
        return x
    i = 0
    while i < n:
        if i > 2:
            return i * 10
        i += 1
    return 0


def _make_counter():
    c = 0

    def count_in_enclosing_function(n):
        nonlocal c
        for i in range(n):
            c += 1
        return n
    return count_in_enclosing_function


case(3, staged_error=(ag.StagingError, r"assigns a tensor to 'c', a variable of the function "
                                       r"around it \(nonlocal\)"))(_make_counter())

SCALE = 1


@case(3, staged_error=(ag.StagingError, r"'global_assigned_a_tensor' assigns a tensor to "
                                        r"'SCALE', a global variable"))
def global_assigned_a_tensor(x):
    global SCALE
    SCALE = x * 2
    return x


@case(3)
def global_assigned_a_python_value(x):
    global SCALE
    SCALE = 2
    return x * SCALE
