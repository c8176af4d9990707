"""Corpus: programs plain Python runs that staging used to reject (issue 15): weakly typed
Python numbers, loop-local temporaries, loop variables whose shape grows, try/with inside
staged statements, graph constants as loop conditions."""
import numpy as np

import autograph as ag
from harness import Py, case

I64 = np.int64


# ---- weak Python numbers (SPEC §3) -----------------------------------------------------------
@case(I64(7))
@case(I64(0))
def weak_sum_with_continue(n):
    s = 0
    for i in ag.range(n):
        if i % 2 == 0:
            continue
        s += i
    return s


@case(I64(20))
def weak_sum_with_break(n):
    s = 0
    i = n - n
    while i < n:
        i += 1
        if s > 30:
            break
        s += i
    return s


@case(5)
def weak_int_becomes_float(n):
    v = 0
    for i in ag.range(n):
        v = v + 0.5
    return v


@case(6)
def weak_float_in_branch(n):
    v = 0
    for i in ag.range(n):
        if i % 3 == 0:
            v = v + 0.25
    return v


@case(4)
def weak_number_meets_int_tensor(x):
    return x + 0.5, 0.5 * x, x * 2


# ---- variables local to a staged loop or branch ----------------------------------------------
@case(5)
@case(0)
def temp_defined_and_used_under_same_condition(n):
    s = 0
    for i in ag.range(n):
        if i > 1:
            t = i * 10
        if i > 1:
            s += t
    return s


@case(5)
def temp_tuple_under_condition(n):
    s = 0.0
    for i in ag.range(n):
        if i % 2 == 0:
            pair = (ag.cast(i, ag.float32), 0.5)
        if i % 2 == 0:
            s += pair[0] + pair[1]
    return s


@case(6)
def temp_in_while_under_condition(n):
    s = 0
    i = 0
    while i < n:
        i += 1
        if i > 2:
            m = i * 10
        if i > 3:
            s = s + m
    return s


@case(4)
def temp_in_nested_loops(n):
    s = 0
    for i in ag.range(n):
        for j in ag.range(i):
            if j > 0:
                t = j + i
            if j > 0:
                s += t
    return s


@case(3)
@case(-3)
def temp_inside_branch_only(x):
    r = 0
    if x > 0:
        t = x * 2
        u = t + 1
        r = u - t
    return r


@case(5)
def temp_then_break(n):
    s = 0
    for i in ag.range(n):
        step = i + 1
        if s + step > 6:
            break
        s += step
    return s


# ---- loop variables whose shape changes --------------------------------------------------------
@case(4)
@case(0)
def growing_vector(n):
    x = ag.constant([0])
    for i in ag.range(n):
        x = ag.concat([x, [i]], 0)
    return x


@case(5)
def growing_vector_while(n):
    x = ag.zeros([0], ag.float32)
    i = 0
    while i < n:
        x = ag.concat([x, ag.cast([i, i], ag.float32)], 0)
        i += 1
    return ag.reduce_sum(x), ag.shape(x)[0]


@case(3)
def growing_with_shape_invariant(n):
    x = ag.constant([1])
    for i in ag.range(n):
        ag.autograph.experimental.set_loop_options(shape_invariants=[(x, ag.TensorShape([None]))])
        x = ag.concat([x, x], 0)
    return x


@case(4)
def growing_rows(n):
    m = ag.zeros([1, 2], ag.int32)
    for i in ag.range(n):
        m = ag.concat([m, ag.reshape(ag.stack([i, i * i]), [1, 2])], 0)
    return m


# ---- try / with inside staged statements (run while tracing) -----------------------------------
@case(3)
@case(-3)
def try_except_in_staged_if(x):
    y = x
    if x > 0:
        try:
            y = x + 1
            raise ValueError("at trace time")
        except ValueError:
            y = x + 2
    return y


@case(4)
def try_finally_in_staged_loop(n):
    s = 0
    k = 0
    for i in ag.range(n):
        try:
            s += i
        finally:
            k += 1
    return s, k


@case(5)
def try_except_else_in_staged_while(n):
    i = 0
    s = 0
    while i < n:
        try:
            v = {"a": i}["a"]
        except KeyError:
            v = 0
        else:
            v = v * 2
        s += v
        i += 1
    return s


@case(3)
def try_catches_trace_time_shape_error(n):
    s = ag.zeros([2], ag.float32)
    for i in ag.range(n):
        try:
            s = s + ag.ones([3], ag.float32)  # a shape error, raised while tracing
        except ag.InvalidArgumentError:
            s = s + 1.0
    return s


class _Counter:
    def __init__(self):
        self.entered = 0

    def __enter__(self):
        self.entered += 1
        return self

    def __exit__(self, *exc):
        return False


@case(4)
@case(-4)
def with_in_staged_if(x):
    ctx = _Counter()
    y = x
    if x > 0:
        with ctx:
            y = x * 3
    return y


@case(4)
def with_name_scope_in_staged_loop(n):
    s = 0
    for i in ag.range(n):
        with ag.name_scope("step"):
            s += i * i
    return s


# ---- graph constants as conditions ------------------------------------------------------------
@case(5)
def while_constant_true_with_break(n):
    i = 0
    while ag.constant(True):
        i += 1
        if i >= n:
            break
    return i


@case(2)
@case(-2)
def if_on_constant(x):
    flag = ag.constant(True)
    if flag:
        y = x + 1
    else:
        y = x - 1
    return y


# ---- combinations ---------------------------------------------------------------------------
@case(I64(9))
def weak_counter_and_temp_with_break(n):
    count = 0
    total = 0.0
    for i in ag.range(n):
        if i > 6:
            break
        half = ag.cast(i, ag.float32) * 0.5
        if i % 2 == 1:
            count += 1
            total += half
    return count, total


@case(10)
def growing_until_break(n):
    x = ag.constant([1.0])
    i = 0
    while i < n:
        if ag.reduce_sum(x) > 20.0:
            break
        x = ag.concat([x, x * 2.0], 0)
        i += 1
    return x, i


@case(4)
def try_around_staged_loop_in_staged_if(n):
    s = 0
    if n > 2:
        try:
            for i in ag.range(n):
                s += i * 2
        finally:
            s += 100
    return s


@case(6)
def with_and_try_in_staged_while_with_continue(n):
    ctx = _Counter()
    i = 0
    s = 0
    while i < n:
        i += 1
        with ctx:
            try:
                if i % 3 == 0:
                    continue
                s += i
            except ZeroDivisionError:
                s = -1
    return s
