"""Corpus: more shapes of real code (while True with return, state in tuples, mixed Python and
tensor loops, helpers with loops, accumulators of several kinds)."""
import numpy as np

import autograph as ag
from harness import Py, case

W = np.array([0.5, -1.0, 2.0, 0.25, -3.0, 1.5], np.float32)


@case(10)
@case(1)
def while_true_return(n):
    i = 0
    while True:
        i += 1
        if i * i >= n:
            return i


@case(W)
def argmax_loop(x):
    best, best_i = x[0], 0
    i = 1
    while i < 6:
        if x[i] > best:
            best, best_i = x[i], i
        i += 1
    return best_i


@case(W, 1.0)
def count_and_sum_above(x, t):
    count = 0
    total = 0.0
    for v in x:
        if v > t:
            count += 1
            total += v
    return count, total


@case(W)
def min_max_pair(x):
    lo = x[0]
    hi = x[0]
    for v in x:
        lo = v if v < lo else lo
        hi = v if v > hi else hi
    return lo, hi


def _sum_to(n):
    s = 0
    i = 0
    while i < n:
        s += i
        i += 1
    return s


@case(5)
def helper_with_loop_in_loop(n):
    total = 0
    for k in range(n):
        total += _sum_to(k)
    return total


@case(4)
def state_as_tuple(n):
    state = (0, 1)
    for _ in range(n):
        a, b = state
        state = (b, a + b)
    return state


@case(np.array([1.0, 2.0], np.float32), 3)
def vector_state_loop(v, n):
    acc = ag.zeros_like(v)
    i = 0
    while i < n:
        acc = acc + v * ag.cast(i, ag.float32)
        i += 1
    return acc


@case(6)
def python_counter_with_tensor_cond(n):
    # `tries` is a plain Python int until the staged loop makes it a tensor.
    tries = 0
    x = n
    while x > 1:
        x = x // 2
        tries += 1
    return tries


@case(Py(3), 5)
def python_outer_tensor_inner(rows, n):
    out = []
    for r in range(rows):
        s = 0
        for c in range(n):
            s += r * c
        out.append(s)
    return ag.stack(out)


@case(7)
def break_from_while_true_with_else_state(n):
    i = 0
    hit = False
    while True:
        if i == n:
            hit = True
            break
        if i > 100:
            break
        i += 1
    return hit, i


@case(12, 18)
def lcm_via_loop(a, b):
    m = a
    while m % b != 0:
        m += a
    return m


@case(W)
def normalize_if_needed(x):
    n = ag.sqrt(ag.reduce_sum(x * x))
    if n > 1.0:
        x = x / n
    return x


@case(9)
def print_in_loop_with_break(n):
    i = 0
    while i < n:
        if i == 3:
            print("stop at", i)
            break
        print("i", i)
        i += 1
    return i


@case(5.0)
@case(-5.0)
def abs_by_hand_float(x):
    if x < 0.0:
        x = -x
    return x


@case(3)
def accumulate_ints_in_list_and_sum(n):
    xs = []
    i = 0
    while i < n:
        xs.append(i * 3)
        i += 1
    return ag.reduce_sum(ag.stack(xs))


@case(2, 3)
def power_by_squaring(base, exp):
    result = 1
    while exp > 0:
        if exp % 2 == 1:
            result *= base
        base *= base
        exp //= 2
    return result


@case(5)
def for_over_ag_range(n):
    s = 0
    for i in ag.range(n):
        s += i * i
    return s


@case(4)
def for_over_tensor_array(n):
    ta = ag.TensorArray(ag.int32, size=0, dynamic_size=True)
    for i in range(n):
        ta = ta.write(i, i + 1)
    s = 0
    for v in ta.stack():
        s += v
    return s


@case(Py([4, 5, 6]), 2)
def python_list_pop(items, x):
    items = list(items)
    while len(items) > 1:
        x = x + items.pop()
    return x


@case(3)
def list_pop_in_tensor_branch(x):
    stack_ = [1, 2, 3]
    top = stack_.pop()
    if x > top:
        x = x - top
    return x, len(stack_)


@case(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
def nested_for_over_matrix(m):
    s = 0.0
    for row in m:
        for v in row:
            if v > 1.5:
                s += v
    return s
