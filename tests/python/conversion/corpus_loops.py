"""Corpus: loops written the way people write them."""
import numpy as np

import autograph as ag
from harness import Py, case

V = np.array([3.0, -1.0, 4.0, -1.5, 5.0, 9.0, -2.0, 6.0], np.float32)
I = np.array([5, 3, 8, 1, 9, 2, 7], np.int32)


@case(10)
@case(0)
def while_true_break(n):
    i = 0
    while True:
        if i >= n:
            break
        i += 3
    return i


@case(17)
def while_true_break_accumulate(n):
    total = 0
    i = 0
    while True:
        i += 1
        if i % 2 == 0:
            continue
        total += i
        if i > n:
            break
    return total


@case(I, 8)
@case(I, 4)
def early_return_in_loop(x, target):
    for i in range(7):
        if x[i] == target:
            return i
    return -1


@case(I, 9)
@case(I, 100)
def early_return_in_while(x, target):
    i = 0
    while i < 7:
        if x[i] == target:
            return x[i] * 10
        i += 1
    return 0


@case(V)
def first_negative_index(x):
    for i in range(len(x)):
        if x[i] < 0:
            return i
    return -1


@case(4, 5)
def nested_loops_continue(n, m):
    total = 0
    for i in range(n):
        for j in range(m):
            if (i + j) % 2 == 0:
                continue
            total += i * j
    return total


@case(5, 6)
def nested_loops_break_inner(n, m):
    total = 0
    for i in range(n):
        for j in range(m):
            if j > i:
                break
            total += 1
    return total


@case(6)
def for_range_tensor_n(n):
    s = 0
    for i in range(n):
        s += i
    return s


@case(2, 11)
def for_range_start_stop(a, b):
    s = 0
    for i in range(a, b):
        s += i
    return s


@case(1, 20, 3)
@case(20, 1, -4)
def for_range_step(a, b, c):
    s = 0
    for i in range(a, b, c):
        s = s * 2 + i
    return s


@case(V)
def for_over_tensor(x):
    s = 0.0
    for v in x:
        s += v
    return s


@case(V)
def for_over_tensor_max(x):
    best = x[0]
    for v in x:
        if v > best:
            best = v
    return best


@case(np.arange(12, dtype=np.float32).reshape(4, 3))
def for_over_matrix_rows(m):
    acc = ag.zeros((3,), ag.float32)
    for row in m:
        acc = acc + row
    return acc


@case(V)
def enumerate_tensor(x):
    best_i = 0
    best = x[0]
    for i, v in enumerate(x):
        if v > best:
            best = v
            best_i = i
    return best_i, best


@case(I, 10)
def enumerate_start(x, k):
    s = 0
    for i, v in enumerate(x, 1):
        s += i * v
    return s + k


@case(V, V * 2)
def zip_tensors(a, b):
    dot = 0.0
    for x, y in zip(a, b):
        dot += x * y
    return dot


@case(V)
def zip_range_tensor(a):
    s = 0.0
    for i, x in zip(range(8), a):
        s += i * x
    return s


@case(8)
def accumulate_then_stack(n):
    out = []
    for i in range(n):
        out.append(i * 2 + 1)
    return ag.stack(out)


@case(V)
def accumulate_filtered(x):
    out = []
    ag.set_element_type(out, ag.float32)
    for v in x:
        if v > 0:
            out.append(v)
    return ag.stack(out)


@case(Py(4))
def python_list_unrolled(n):
    out = []
    for i in range(n):
        out.append(i * 3)
    return ag.stack(out)


@case(5)
def accumulate_float_list(n):
    xs = []
    ag.set_element_type(xs, ag.float32)
    x = 1.0
    for _ in range(n):
        x = x * 1.5
        xs.append(x)
    return ag.stack(xs)


@case(10)
def counter_down(n):
    count = 0
    while n > 0:
        n -= 2
        count += 1
    return count


@case(100)
def digits_sum(n):
    s = 0
    while n > 0:
        s += n % 10
        n //= 10
    return s


@case(48, 18)
@case(17, 5)
def gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return a


@case(10)
def triangular_while_else(n):
    i = 0
    s = 0
    while i < n:
        s += i
        i += 1
    else:
        s += 1000
    return s


@case(10, 4)
@case(10, 40)
def while_else_with_break(n, stop):
    i = 0
    found = 0
    while i < n:
        if i == stop:
            found = 1
            break
        i += 1
    else:
        found = -1
    return found, i


@case(I, 9)
@case(I, 4)
def for_else_search(x, target):
    pos = -1
    for i in range(7):
        if x[i] == target:
            pos = i
            break
    else:
        pos = -2
    return pos


@case(Py(3), 2.0)
def python_loop_tensor_body(n, x):
    for _ in range(n):
        x = x * x
    return x


@case(Py([1, 2, 3]), 1)
def loop_over_python_list(items, x):
    for k in items:
        x = x * k + 1
    return x


@case(Py((2, 3)), 4)
def loop_over_tuple(items, x):
    total = x
    for k in items:
        if total > 5:
            total = total - k
        else:
            total = total + k
    return total


@case(3)
def nested_while_for(n):
    total = 0
    i = 0
    while i < n:
        for j in range(i + 1):
            total += j
        i += 1
    return total


@case(6)
def loop_with_if_elif_else(n):
    a = 0
    b = 0
    c = 0
    for i in range(n):
        if i % 3 == 0:
            a += 1
        elif i % 3 == 1:
            b += 2
        else:
            c += 3
    return a, b, c


@case(20)
def loop_multiple_breaks(n):
    i = 0
    reason = 0
    while i < n:
        i += 1
        if i * i > 50:
            reason = 1
            break
        if i % 13 == 0:
            reason = 2
            break
    return i, reason


@case(5.0)
def loop_float_counter(x):
    steps = 0
    while x > 1.0:
        x = x / 2.0
        steps += 1
    return x, steps


@case(V)
def running_mean(x):
    mean = 0.0
    n = 0
    for v in x:
        n += 1
        mean += (v - mean) / ag.cast(n, ag.float32)
    return mean


@case(np.array([1.0, 2.0, 3.0], np.float32), 4)
def vector_power_loop(x, n):
    y = ag.ones_like(x)
    i = 0
    while i < n:
        y = y * x
        i += 1
    return y


@case(np.array([2.0, 8.0, 32.0], np.float32))
def vector_halving(x):
    while ag.reduce_any(x > 1.0):
        x = ag.where(x > 1.0, x / 2.0, x)
    return x


@case(9)
def return_from_nested_loop(n):
    for i in range(n):
        for j in range(n):
            if i * j == 12:
                return i + 100 * j
    return -1


@case(10)
def continue_in_while(n):
    i = 0
    evens = 0
    while i < n:
        i += 1
        if i % 2 == 1:
            continue
        evens += i
    return evens


@case(7)
def break_and_continue(n):
    total = 0
    for i in range(100):
        if i % 2 == 0:
            continue
        if i > n:
            break
        total += i
    return total


@case(V)
def count_sign_changes(x):
    changes = 0
    prev = x[0]
    for i in range(1, 8):
        cur = x[i]
        if (prev > 0) != (cur > 0):
            changes += 1
        prev = cur
    return changes


@case(6)
def loop_returns_tuple_state(n):
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if mid * mid < 20:
            lo = mid + 1
        else:
            hi = mid
    return lo, hi


@case(np.array([1, 3, 5, 7, 9, 11], np.int32), 7)
@case(np.array([1, 3, 5, 7, 9, 11], np.int32), 4)
def binary_search(xs, target):
    lo = 0
    hi = 6
    while lo < hi:
        mid = (lo + hi) // 2
        if xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    if lo < 6 and xs[lo] == target:
        return lo
    return -1


@case(12)
def loop_print_each(n):
    for i in range(0, n, 4):
        print("step", i, "of", n)
    return n


@case(3)
def nested_range_dependent(n):
    total = 0
    for i in range(n):
        for j in range(i, n):
            total += (i + 1) * (j + 1)
    return total


@case(5)
def loop_var_swap(n):
    a = 1
    b = 2
    for _ in range(n):
        a, b = b, a
    return a, b


@case(4)
def loop_counts_with_tensor_array(n):
    ta = ag.TensorArray(ag.int32, size=0, dynamic_size=True)
    for i in range(n):
        ta = ta.write(i, i * 10)
    return ta.stack()


@case(np.array([1.0, 2.0, 3.0, 4.0], np.float32))
def cumulative_sum_ta(x):
    ta = ag.TensorArray(ag.float32, size=0, dynamic_size=True)
    s = 0.0
    for i in range(4):
        s = s + x[i]
        ta = ta.write(i, s)
    return ta.stack()


@case(7)
def while_with_and_condition(n):
    i = 0
    s = 0
    while i < n and s < 10:
        s += i
        i += 1
    return i, s


@case(7)
def while_with_or_condition(n):
    i = 0
    while i < 2 or i * i < n:
        i += 1
    return i


@case(3)
def while_with_not_condition(n):
    done = False
    i = 0
    while not done:
        i += 1
        if i >= n:
            done = True
    return i


@case(V, 2.0)
def clip_loop(x, c):
    out = []
    ag.set_element_type(out, ag.float32)
    for v in x:
        if v > c:
            v = c
        elif v < -c:
            v = -c
        out.append(v)
    return ag.stack(out)


@case(4)
def loop_over_python_range_staged_break(n):
    # A Python-int loop (unrolled) whose break depends on a tensor.
    total = 0
    for i in range(10):
        if i >= n:
            break
        total += i
    return total


@case(3)
def loop_over_python_list_staged_return(n):
    for k in [5, 6, 7, 8]:
        if k - 5 == n:
            return k
    return 0


@case(1000)
def collatz_max_steps(n):
    best = 0
    arg = 0
    for i in range(1, 30):
        x = i
        s = 0
        while x != 1:
            x = x // 2 if x % 2 == 0 else 3 * x + 1
            s += 1
        if s > best:
            best = s
            arg = i
    return arg, best + n


@case(6.0)
def loop_int_to_float_promotion(x):
    total = 0
    for i in range(4):
        total += x * 0.5
    return total


@case(5)
def sum_of_list_loop(n):
    vals = []
    for i in range(n):
        vals.append(i)
    s = 0
    for v in vals:
        s += v
    return s


@case(3)
def nested_function_call_in_loop(n):
    def step(a):
        return a * 2 + 1

    x = 0
    for _ in range(n):
        x = step(x)
    return x


@case(np.array([0.5, 1.5, 2.5], np.float32))
def loop_over_len(x):
    s = 0.0
    for i in range(len(x)):
        s += x[i] * (i + 1)
    return s


@case(8)
def while_shrinking_step(n):
    step = n
    pos = 0
    while step > 0:
        pos += step
        step //= 2
    return pos
