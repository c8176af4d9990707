"""Corpus: stacks and queues as people write them with list.append and list.pop (a staged loop
fills a list, another drains it; pops inside expressions, `if` tests and branches; pop(0) for a
queue; the empty pop that Python answers with IndexError)."""
import numpy as np

import autograph as ag
from harness import Py, case

# Brackets as codes: 0 '(' 1 '[' 2 ')' 3 ']'.
BALANCED = np.array([0, 1, 3, 0, 2, 2], np.int32)  # ([]())
CROSSED = np.array([0, 1, 2, 3], np.int32)  # ([)]
UNCLOSED = np.array([0, 0, 2], np.int32)  # (()
# Reverse Polish notation: numbers >= 0, -1 is '+', -2 is '*': (2 + 3) * (4 + 1) * 2 = 50.
RPN = np.array([2, 3, -1, 4, 1, -1, -2, 2, -2], np.int32)


@case(0)
@case(1)
@case(6)
def stack_drain_weighted(n):
    s = []
    ag.set_element_type(s, ag.int32)
    i = 0
    while i < n:
        s.append(i * i + 1)
        i += 1
    total = 0
    k = 1
    while len(s) > 0:
        total += k * s.pop()
        k += 1
    return total


@case(BALANCED)
@case(CROSSED)
@case(UNCLOSED)
@case(np.array([2], np.int32))
def balanced_brackets(codes):
    stack = []
    ag.set_element_type(stack, ag.int32)
    ok = True
    for c in codes:
        if c < 2:
            stack.append(c)
        elif len(stack) == 0:
            ok = False
        elif stack.pop() != c - 2:
            ok = False
    return ok and len(stack) == 0


@case(5)
@case(1)
def queue_fifo(n):
    q = []
    ag.set_element_type(q, ag.int32)
    for i in ag.range(n):
        q.append(i + 1)
    out = 0
    while len(q) > 0:
        head = q.pop(0)
        out = out * 10 + head
    return out


@case(RPN)
def rpn_eval(tokens):
    s = []
    ag.set_element_type(s, ag.int32)
    for t in tokens:
        if t >= 0:
            s.append(t)
        else:
            b = s.pop()
            a = s.pop()
            if t == -1:
                s.append(a + b)
            else:
                s.append(a * b)
    return s.pop(), len(s)


@case(np.array([3.0, -1.0, 4.0, 1.5], np.float32))
def reverse_through_stack(x):
    s = []
    ag.set_element_type(s, ag.float32)
    for v in x:
        s.append(v * 2.0)
    acc = 0.0
    while len(s) > 0:
        acc = acc * 0.5 + s.pop()
    return acc


@case(4, 2)
@case(4, 0)
def pop_until_empty_index_error(n, extra):
    s = []
    ag.set_element_type(s, ag.int32)
    i = 0
    while i < n:
        s.append(i)
        i += 1
    total = 0
    j = 0
    while j < n + extra:
        total = total + s.pop()
        j += 1
    return total


@case(np.array([5, 1, 4, 2], np.int32))
def two_stacks_move(x):
    a = []
    b = []
    ag.set_element_type(a, ag.int32)
    ag.set_element_type(b, ag.int32)
    for v in x:
        a.append(v)
    while len(a) > 1:
        b.append(a.pop() * 10)
    return ag.stack(b), len(a)


@case(7)
def python_stack_at_trace_time(x):
    # A Python list never carried by a staged loop pops as Python at trace time.
    items = [x, x * 2, x * 3]
    last = items.pop()
    first = items.pop(0)
    return last - first, len(items)


@case(Py([1, 2, 3, 4]), 3)
def python_list_drained_unrolled(items, x):
    items = list(items)
    while items:
        x = x * 2 + items.pop()
    return x
