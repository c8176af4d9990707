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
