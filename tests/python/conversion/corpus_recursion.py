"""Corpus: recursive functions whose stopping test is a tensor (SPEC §3: staged as graph
functions called by `call` ops, issue 15). Python recurses; staged, each becomes one graph
function that calls itself at run time."""
import numpy as np

import autograph as ag
from harness import case

I64 = np.int64
F32 = np.float32


@case(5)
@case(1)
@case(0)
@case(12)
def rec_factorial(n):
    if n <= 1:
        return 1
    return n * rec_factorial(n - 1)


@case(10)
@case(1)
def rec_fibonacci(n):
    if n < 2:
        return n
    return rec_fibonacci(n - 1) + rec_fibonacci(n - 2)


@case(48, 18)
@case(17, 5)
@case(7, 0)
def rec_gcd(a, b):
    if b == 0:
        return a
    return rec_gcd(b, a % b)


def _sum_from(xs, i):
    if i >= xs.shape[0]:
        return 0.0
    return xs[i] + _sum_from(xs, i + 1)


@case(np.array([1.5, 2.0, 3.25, 4.0], F32), 0)
@case(np.array([1.5, 2.0, 3.25, 4.0], F32), 4)
def rec_sum_of_list(xs, start):
    return _sum_from(xs, start)


def _total(xs):
    if ag.size(xs) == 0:
        return 0.0
    return xs[0] + _total(xs[1:])


@case(np.array([1.0, 2.0, 3.0, 4.5], F32))
@case(np.array([2.5], F32))
def rec_sum_of_shrinking_slices(xs):
    # The argument's length changes with every call: its dimension is relaxed.
    return _total(xs)


def _is_even(n):
    if n == 0:
        return True
    return _is_odd(n - 1)


def _is_odd(n):
    if n == 0:
        return False
    return _is_even(n - 1)


@case(10)
@case(7)
def rec_mutual_even_odd(n):
    return _is_even(n), _is_odd(n)


def _power(x, n):
    if n == 0:
        return ag.ones_like(x) if isinstance(x, ag.Tensor) else np.ones_like(x)
    return x * _power(x, n - 1)


@case(np.array([1.0, 2.0, 0.5], F32), 3)
def rec_power_of_vector(x, n):
    return _power(x, n)


def _count_down(n):
    if n == 0:
        return 0
    return _count_down(n - 1) + 1


@case(-1)
def rec_never_stops(n):
    # Python: RecursionError; staged: RecursionError from the running graph at 1,000 calls.
    return _count_down(n)


def _collatz_steps(n):
    if n == 1:
        return 0
    if n % 2 == 0:
        return 1 + _collatz_steps(n // 2)
    return 1 + _collatz_steps(3 * n + 1)


@case(27)
@case(1)
def rec_collatz(n):
    return _collatz_steps(n)


def _print_down(n):
    if n <= 0:
        return 0
    print("level", n)
    return _print_down(n - 1)


@case(3)
def rec_prints_in_order(n):
    return _print_down(n)


def _grow(n):
    if n <= 0:
        return ag.zeros([1])
    return ag.concat([_grow(n - 1), ag.ones([1])], 0)


@case(3)
@case(0)
def rec_growing_result(n):
    # The base case's shape (1,) is not the result's: the function is traced again with an
    # unknown length.
    return _grow(n)
