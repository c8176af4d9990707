"""Corpus: TensorFlow's array ops added for issue 15 (cumsum, sort/argsort, tile, squeeze,
expand_dims, unstack, eye, linspace, identity, shape, integer random.uniform, empty constants)
inside staged loops and branches, and lists indexed by loop counters."""
import numpy as np

import autograph as ag
from harness import Py, case

V = np.array([3.0, -1.0, 4.0, 1.0, -5.0, 9.0], np.float32)
M = np.array([[2.0, 7.0, 1.0], [8.0, 2.0, 8.0]], np.float32)
I = np.array([5, 2, 9, 2, 7], np.int32)


@case(V, 3)
@case(V, 0)
def cumsum_threshold_count(x, k):
    # How many running sums exceed k; exclusive sums in the other branch.
    c = ag.cumsum(x)
    n = 0
    for v in c:
        if v > k:
            n += 1
    if n > 2:
        return ag.cumsum(x, exclusive=True)
    return ag.cumsum(x, reverse=True)


@case(M)
def cumsum_rows_in_loop(m):
    acc = ag.zeros((3,), ag.float32)
    for row in m:
        acc = acc + ag.cumsum(row)
    return acc


@case(I, 3)
def sort_then_top_k(x, k):
    s = ag.sort(x, direction="DESCENDING")
    total = 0
    for i in range(k):
        total += s[i]
    return total


@case(V)
def argsort_rank_loop(x):
    # Position of each element in sorted order, built one element at a time.
    order = ag.argsort(x)
    ranks = ag.zeros((6,), ag.int32)
    for i in range(6):
        ranks = ranks + ag.one_hot(order[i], 6, dtype=ag.int32) * i
    return ranks


@case(M, 2)
@case(M, 1)
def tile_in_branch(m, reps):
    if reps > 1:
        t = ag.tile(m, [reps, 1])
    else:
        t = ag.tile(m, [1, 2])
    return ag.reduce_sum(t, axis=0)


@case(V)
def expand_squeeze_loop(x):
    col = ag.expand_dims(x, 1)  # (6, 1)
    total = ag.zeros((1,), ag.float32)
    for row in col:
        total = total + row
    return ag.squeeze(total), ag.squeeze(ag.expand_dims(col, 0), [0, 2])


@case(M)
def unstack_columns(m):
    a, b, c = ag.unstack(m, axis=1)
    best = a
    for col in (b, c):
        if ag.reduce_sum(col) > ag.reduce_sum(best):
            best = col
    return best


@case(4)
@case(2)
def eye_power(n):
    e = ag.eye(3)
    m = ag.constant([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    for _ in range(n):
        e = ag.matmul(e, m)
    return e


@case(5)
@case(2)
def linspace_trapezoid(n):
    # Integral of x^2 on [0, 1] by the trapezoid rule on n + 1 points.
    xs = ag.linspace(0.0, 1.0, n + 1)
    ys = xs * xs
    s = 0.0
    for i in range(n):
        s += (ys[i] + ys[i + 1]) / 2.0 / ag.cast(n, ag.float32)
    return s


@case(M)
def shape_tensor_loop(m):
    dims = ag.shape(m)
    total = 1
    for i in range(2):
        total *= dims[i]
    return total, ag.identity(dims)


@case(Py(5))
def random_int_in_range(n):
    # Seeded: the same values whether the loop runs in Python or in the graph.
    r = ag.random.uniform([n], 0, 10, dtype=ag.int32, seed=3)
    ok = True
    for v in r:
        if v < 0 or v >= 10:
            ok = False
    return ok, r


@case(3)
@case(0)
def empty_constant_in_loop(n):
    rows = ag.constant([[]])
    none = ag.zeros((0, 3))
    s = 0.0
    for i in range(n):
        s += ag.reduce_sum(rows) + ag.reduce_sum(none) + ag.cast(i, ag.float32)
    return rows, ag.concat([none, ag.ones((1, 3))], 0), s


@case(6)
def list_of_range_len(n):
    x = ag.ones((4,))
    idx = list(range(len(x)))
    s = 0
    for i in range(n):
        if i in idx:
            s += i
    return idx, s


@case(5)
def appended_list_indexed_by_counter(n):
    lst = []
    total = 0
    for i in range(n):
        lst.append(i * i)
        total += lst[i]
    return total


@case(4)
def nested_list_element_type(n):
    rows = []
    ag.set_element_type(rows, ag.float32, (2,))
    for i in range(n):
        rows.append([ag.cast(i, ag.float32), 1.0])
    return ag.stack(rows)


@case(np.array([1, 3, 7], np.int32), 6)
def membership_in_tensor_and_range(x, n):
    hits = 0
    for i in range(n):
        if i in x:
            hits += 1
        if i not in range(1, n, 2):
            hits += 10
    return hits


@case(7)
def membership_in_list_chained(n):
    c = 0
    for i in range(n):
        if 0 < i in [2, 4, 9] or i in (5,):
            c += i
    return c


@case(M, 2.0)
def row_membership(m, v):
    found = 0
    for row in m:
        if v in row:
            found += 1
    return found
