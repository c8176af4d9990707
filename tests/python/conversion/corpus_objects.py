"""Corpus: state kept in objects and dicts, the way people write counters and running statistics
(`self.count += 1`, `stats.mean += ...`, `hist['neg'] += 1`) inside loops and branches that stage
when their bound or condition is a tensor."""
import numpy as np

import autograph as ag
from harness import case

VALUES = np.array([0.5, -1.5, 2.0, -0.25, 3.0], np.float32)


class Counter:
    def __init__(self):
        self.calls = 0
        self.total = 0


class Stats:
    def __init__(self):
        self.count = 0.0
        self.mean = 0.0


class Layer:
    def __init__(self):
        self.counter = Counter()


@case(0)
@case(7)
def counter_object(k):
    c = Counter()
    i = 0
    while i < k:
        c.calls += 1
        c.total += i * i
        i += 1
    return c.total - c.calls


@case(VALUES)
def running_mean(xs):
    st = Stats()
    for x in xs:
        st.count += 1.0
        st.mean += (x - st.mean) / st.count
    return st.mean


@case(VALUES)
@case(np.array([-1.0, -2.0], np.float32))
def histogram_dict(xs):
    hist = {'neg': 0, 'pos': 0}
    for x in xs:
        if x < 0:
            hist['neg'] += 1
        else:
            hist['pos'] += 1
    return hist['neg'] * 100 + hist['pos']


@case(3)
@case(10)
def nested_attribute_with_break(k):
    layer = Layer()
    for i in ag.range(k):
        if layer.counter.total > 20:
            break
        layer.counter.total += i * 3
    return layer.counter.total
