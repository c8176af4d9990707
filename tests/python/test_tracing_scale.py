"""Tracing long unrolled Python loops: linear in the number of ops, no cap at 10^5 iterations,
one UnrolledLoopWarning naming the user's line, a StagingError past MAX_UNROLLED_ITERATIONS.

No timings are asserted (CI machines are shared); the 1.2 * 10^5-iteration trace below would
take about an hour with the former quadratic passes and takes seconds now."""
import inspect
import warnings

import numpy as np
import pytest

import autograph as ag
from autograph.operators import control_flow as cf


def line_of(fn, text):
    """Absolute line number of the first source line of `fn` containing `text`."""
    lines, first = inspect.getsourcelines(fn)
    return first + next(i for i, line in enumerate(lines) if text in line)


def accumulate(x, n):
    acc = x[0] * 0
    for i in range(n):  # unrolled: n is a Python int
        acc = acc + x[i % 4] * 2
    return acc


X = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)


def expected(n):
    return float(sum(2 * X[i % 4] for i in range(n)))


def unrolled_warnings(record):
    return [w for w in record if issubclass(w.category, ag.UnrolledLoopWarning)]


def test_more_than_hundred_thousand_unrolled_iterations_trace_and_run():
    n = 120_000  # the cap used to stop loops at 100,000 iterations
    f = ag.function(accumulate)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cf.UnrolledLoopWarning)
        result = f(ag.constant(X), n)
    assert float(result) == expected(n)  # integers below 2**24: exact in float32
    assert f.trace_count == 1


def test_graph_size_is_linear_in_the_unrolled_length():
    f = ag.function(accumulate)
    sizes = [f.graph(ag.constant(X), n)._graph.num_nodes() for n in (1000, 2000, 4000)]
    # Per iteration one add survives (the slices and products of x[i % 4] * 2 merge by CSE).
    assert sizes[1] - sizes[0] == 1000 and sizes[2] - sizes[1] == 2000, sizes


def test_long_unrolled_loop_warns_once_naming_the_for_line():
    def long_loop(x):
        for i in range(cf.UNROLLED_LOOP_WARNING + 2000):  # the user's for line
            x = x + 1
        return x

    f = ag.function(long_loop)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        result = f(ag.constant(0))
    assert int(result) == cf.UNROLLED_LOOP_WARNING + 2000
    found = unrolled_warnings(record)
    assert len(found) == 1, [str(w.message) for w in found]
    w = found[0]
    assert w.filename == __file__
    assert w.lineno == line_of(long_loop, "# the user's for line")
    text = str(w.message)
    assert f"{__file__}:{w.lineno}" in text
    assert "ag.range" in text and str(cf.UNROLLED_LOOP_WARNING) in text


def test_short_unrolled_loops_do_not_warn():
    f = ag.function(accumulate)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        f(ag.constant(X), cf.UNROLLED_LOOP_WARNING)  # the last iteration is count - 1
    assert unrolled_warnings(record) == []


def test_loop_past_the_cap_is_a_staging_error_naming_the_line(monkeypatch):
    monkeypatch.setattr(cf, "UNROLLED_LOOP_WARNING", 100)
    monkeypatch.setattr(cf, "MAX_UNROLLED_ITERATIONS", 300)

    def too_long(x):
        for i in range(10**9):  # the capped loop
            x = x + 1
        return x

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cf.UnrolledLoopWarning)
        with pytest.raises(ag.StagingError) as info:
            ag.function(too_long)(ag.constant(0))
    err = info.value
    assert err.lineno == line_of(too_long, "# the capped loop")
    assert "unrolled 300 times" in str(err) and "ag.range" in str(err)


def test_unrolled_loop_in_a_staged_loop_captures_many_values():
    # Each xs[i] is a value of the function's graph used inside the loop body: n captures.
    n = 20_000

    def sum_twice(x):
        xs = [x + i for i in range(n)]
        acc = x * 0
        for _ in ag.range(2):
            for i in range(n):
                acc = acc + xs[i]
        return acc

    f = ag.function(sum_twice)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cf.UnrolledLoopWarning)
        result = f(ag.constant(1))
    assert int(result) == 2 * sum(1 + i for i in range(n))
    assert f.graph(ag.constant(1)).ops.count("while") == 1
