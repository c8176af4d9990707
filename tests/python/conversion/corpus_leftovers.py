"""Corpus: the last silent differences of issue 15. Each program runs as plain Python; staged,
it either gives Python's result or a StagingError naming the user's variable and line, never a
silently different value."""
import autograph as ag
from harness import case

_READ_FIRST = (ag.StagingError, r"'prev' is read in a staged loop before it is assigned in the "
               r"iteration.*on the first iteration Python raises UnboundLocalError")


@case(3, staged_error=_READ_FIRST)
def loop_local_read_before_its_assignment(n):
    # Python: UnboundLocalError on the first iteration.
    s = 0
    for i in ag.range(n):
        s += prev  # noqa: F821
        prev = i
    return s


@case(3)
def loop_local_assigned_before_its_read(n):
    s = 0
    for i in ag.range(n):
        prev = i * 2
        s += prev
    return s


@case(3, staged_error=(ag.StagingError, r"'w' is a Python list indexed by a tensor.*ag\.stack"))
def python_list_indexed_by_a_tensor_counter(n):
    w = [1.0, 2.0, 3.0]
    s = 0.0
    for i in ag.range(n):
        s += w[i]
    return s


@case(3)
def python_list_stacked_then_indexed(n):
    w = ag.stack([1.0, 2.0, 3.0])
    s = 0.0
    for i in ag.range(n):
        s += w[i]
    return s


class _Counter:
    def __init__(self):
        self.n = 0

    def bump(self):
        self.n += 1


@case(3, staged_error=(ag.StagingError, r"'bump' sets self\.n \(line \d+\) and is called inside "
                                        r"the staged for loop"))
def method_sets_an_attribute_in_a_staged_loop(k):
    c = _Counter()
    for i in ag.range(k):
        c.bump()
    return c.n


@case(3)
def attribute_assigned_in_the_staged_loop_itself(k):
    c = _Counter()
    for i in ag.range(k):
        c.n += 1
    return c.n


@case(3, staged_error=(ag.StagingError, r"setattr\(\) inside the staged for loop"))
def setattr_in_a_staged_loop(k):
    c = _Counter()
    for i in ag.range(k):
        setattr(c, "n", c.n + 1)
    return c.n


def _mark(c, x):
    c.last = x
    return x


@case(4, staged_error=(ag.StagingError, r"'_mark' sets c\.last"))
def helper_sets_an_argument_attribute_in_a_staged_if(x):
    c = _Counter()
    c.last = 0
    if x > 2:
        _mark(c, x)
    return c.last
