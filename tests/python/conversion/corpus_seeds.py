"""Corpus: the seed examples (TensorFlow AutoGraph's classic demos, ported to ag)."""
import numpy as np

import autograph as ag
from harness import Py, case


@case(0.5, 1.0)
@case(3.0, 1.0)
@case(-2.5, 1.5)
def huber_loss(a, delta):
    if abs(a) <= delta:
        loss = a * a / 2
    else:
        loss = delta * (abs(a) - delta / 2)
    return loss


@case(np.array([0.3, -2.0, 1.5, 0.1], np.float32))
def huber_sum(x):
    total = 0.0
    for v in x:
        if abs(v) <= 1.0:
            total += 0.5 * v * v
        else:
            total += abs(v) - 0.5
    return total


@case(27)
@case(1)
@case(6)
def collatz(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


@case(30)
def collatz_total(n):
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


@case(5)
@case(12)
def nested_if_while_print(n):
    i = 0
    while i < n:
        if i % 3 == 0:
            print("fizz", i)
        elif i % 3 == 1:
            if i > 5:
                print("big", i)
        i += 1
    return i


@case(6)
def list_append_stack(n):
    z = []
    ag.set_element_type(z, ag.int32)
    for i in range(n):
        z.append(i * i)
    return ag.stack(z)


@case(4)
@case(-1)
def assert_positive(x):
    assert x > 0, "x must be positive"
    return x * 2


@case(3.0)
def assert_no_message(x):
    assert x < 10
    return x + 1


_counter = ag.Variable(0)


@case(4)
@case(7)
def find_next_odd(v):
    # Variable read/assign inside a staged loop; value returned as a tensor.
    _counter.assign(v)
    while _counter.read_value() % 2 == 0:
        _counter.assign_add(1)
    return _counter.read_value()


@case(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
@case(np.array([[-1.0, -2.0], [3.0, -4.0]], np.float32))
def model_call(x):
    # A model-like call: branches on a reduction of its input.
    w = ag.constant(np.array([[0.5, -1.0], [1.0, 0.25]], np.float32))
    h = ag.matmul(x, w)
    if ag.reduce_mean(h) > 0:
        out = ag.nn.relu(h)
    else:
        out = ag.tanh(h)
    return out


class Dense:
    def __init__(self, w):
        self.w = ag.constant(w)

    def __call__(self, x):
        y = ag.matmul(x, self.w)
        if ag.reduce_sum(y) > 0:
            y = y * 2.0
        return y


_dense = Dense(np.array([[1.0], [-1.0]], np.float32))


@case(np.array([[3.0, 1.0]], np.float32))
@case(np.array([[1.0, 3.0]], np.float32))
def call_model_object(x):
    return _dense(x)


@case(10.0)
@case(2.0)
def newton_sqrt(v):
    x = v
    while abs(x * x - v) > 1e-4:
        x = 0.5 * (x + v / x)
    return x


@case(np.array([1.0, 4.0, 9.0], np.float32))
def newton_vector(v):
    x = v
    while ag.reduce_max(ag.abs(x * x - v)) > 1e-3:
        x = 0.5 * (x + v / x)
    return x


@case(20)
def count_primes(n):
    count = 0
    k = 2
    while k <= n:
        d = 2
        prime = True
        while d * d <= k:
            if k % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
        k += 1
    return count


@case(np.ones((3, 4), np.float32) * 0.1, np.ones((4, 4), np.float32) * 0.05)
def rnn(x, u):
    h = ag.zeros((4,), ag.float32)
    for t in range(3):
        h = ag.tanh(x[t] + ag.reshape(ag.matmul(ag.reshape(h, (1, 4)), u), (4,)))
    return h


@case(5)
def fibonacci(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@case(Py(7))
def fibonacci_python_n(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@case(np.array([3, 1, 2], np.int32))
def sum_of_squares(x):
    s = 0
    for v in x:
        s += v * v
    return s
