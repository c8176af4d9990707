"""The six SPEC §6 workloads, each written once as plain Python.

The same source runs as CPython (plain ints/floats or NumPy inputs), xautograph eager (tensor
inputs, Python control flow), and staged (`ag.function`). NumPy, TorchScript and Numba peers
run the same algorithm in their own idiom (peers.py)."""
import autograph as ag


def collatz(n):
    """Sum of the Collatz stopping times of 1..n."""
    total = 0
    i = 1
    while i <= n:
        x = i
        steps = 0
        while x != 1:
            if x % 2 == 0:
                x = x // 2
            else:
                x = 3 * x + 1
            steps += 1
        total += steps
        i += 1
    return total


def primes(n):
    """How many primes are <= n (trial division)."""
    count = 0
    k = 2
    while k <= n:
        d = 2
        is_prime = 1
        while d * d <= k:
            if k % d == 0:
                is_prime = 0
                break
            d += 1
        count += is_prime
        k += 1
    return count


def huber(x, n):
    """Sum of the scalar Huber loss (delta 1) over x, one element per iteration."""
    total = 0.0
    for i in range(n):
        a = x[i]
        if abs(a) <= 1.0:
            total += 0.5 * a * a
        else:
            total += abs(a) - 0.5
    return total


# primes and huber as a user writes them in plain Python (a bool flag, `for` over a range or
# over the array itself): staged unchanged with tensor arguments, they show what a user gets
# without rewriting for the stager (issue 16). Rows primes_u / huber_u of the table.
def primes_u(n):
    count = 0
    for k in range(2, n + 1):
        is_prime = True
        d = 2
        while d * d <= k:
            if k % d == 0:
                is_prime = False
                break
            d += 1
        if is_prime:
            count += 1
    return count


def huber_u(x):
    total = 0.0
    for a in x:
        if abs(a) <= 1.0:
            total += 0.5 * a * a
        else:
            total += abs(a) - 0.5
    return total


def squares_list(n):
    """i*i for i < n appended to a list, then stacked (int64: 200000**2 overflows int32)."""
    out = []
    ag.set_element_type(out, ag.int64)
    for i in range(n):
        out.append(i * i)
    return ag.stack(out)


def squares_list_py(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return out


def rnn(x, w, u, b, steps):
    """h = tanh(x[t] @ W + h @ U + b) for t < T."""
    h = ag.zeros((x.shape[1], w.shape[1]), ag.float32)
    for t in range(steps):
        h = ag.tanh(ag.matmul(x[t], w) + ag.matmul(h, u) + b)
    return h


def newton(v, tol):
    """Square roots of v by Newton's iteration until max |x*x - v| <= tol."""
    x = v
    while ag.reduce_max(ag.abs(x * x - v)) > tol:
        x = 0.5 * (x + v / x)
    return x


def count_up(n):
    """The empty staged loop: its time / n is a system's cost per `while` iteration."""
    i = 0
    while i < n:
        i += 1
    return i
