def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def running_max(xs):
    best = xs[0]
    for x in xs:
        if x > best:
            best = x
        tmp = best * 2
    return best, tmp


def defined_in_loop(n):
    i = 0
    while i < n:
        last = i * i
        i += 1
    return last


def comprehension_and_lambda(xs, k):
    ys = [x * k for x in xs if x > 0]
    f = lambda v: v + k if v > 0 else v - k
    return [f(y) for y in ys]


CASES = [("fib", (10,)), ("running_max", ([3, 9, 2],)), ("defined_in_loop", (4,)), ("defined_in_loop", (0,)), ("comprehension_and_lambda", ([1, -2, 3], 10))]


def walrus_loop(xs):
    it = iter(xs)
    total = 0
    while (v := next(it, None)) is not None:
        total += v
    return total, v


CASES += [("walrus_loop", ([1, 2, 3],))]
