"""The staging API around conversion: ag.function attributes, to_code, to_graph, convert(),
do_not_convert, trace cache and retrace warning, conversion caching, closures and globals."""
import os
import sys
import warnings

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))

import autograph as ag  # noqa: E402
from autograph.impl import conversion  # noqa: E402

SCALE = 3


def uses_global(x):
    if x > 0:
        x = x * SCALE
    return x


def test_globals_are_live():
    global SCALE
    f = ag.function(uses_global)
    assert int(f(ag.constant(2))) == 6
    SCALE = 5
    try:
        # A new trace (new signature) sees the new value: the module dict is shared.
        assert int(f(ag.constant(2, ag.int64))) == 10
    finally:
        SCALE = 3


def make_adder(k):
    def add(x):
        while x < 10:
            x = x + k
        return x

    return add


def test_closures_keep_their_cells():
    assert int(ag.function(make_adder(3))(ag.constant(1))) == 10
    assert int(ag.function(make_adder(4))(ag.constant(1))) == 13


def test_conversion_is_cached_per_function():
    f = make_adder(2)
    assert conversion.convert(f) is conversion.convert(f)
    g = make_adder(5)
    # One conversion per def, shared by closures of it.
    assert conversion.convert(g).__code__ is conversion.convert(f).__code__


def counted(x):
    if x > 0:
        return x
    return -x


def test_trace_count_and_retrace_warning():
    f = ag.function(counted)
    f(ag.constant(1))
    f(ag.constant(-4))
    assert f.trace_count == 1
    f(ag.constant(1.5))
    assert f.trace_count == 2
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        for k in range(6):
            f(k)  # a new Python value retraces
    assert f.trace_count == 8
    assert any("traced" in str(x.message) for x in w)


def test_to_code_to_graph_convert():
    code = ag.to_code(counted)
    assert "ag__.if_stmt" in code and "def counted(x):" in code
    g = ag.to_graph(counted)
    assert isinstance(g, ag.function(counted).__class__)
    assert int(g(ag.constant(-3))) == 3
    deco = ag.convert()
    assert int(deco(counted)(ag.constant(-2))) == 2
    assert ag.function(counted).code == code
    graph = ag.function(counted).graph(ag.constant(1))
    assert "cond" in graph.ops


@ag.do_not_convert
def kept_as_is(x):
    return x + 1


def test_do_not_convert():
    f = ag.function(kept_as_is)
    assert "ag__" not in f.code
    assert int(f(ag.constant(1))) == 2


def test_python_values_run_as_python():
    # No tensor: the converted function behaves exactly like the original.
    f = conversion.convert(counted)
    assert f(-5) == 5 and f(3) == 3


class Accumulator:
    def __init__(self):
        self.v = ag.Variable(0.0)

    @ag.function
    def add_all(self, xs):
        for x in xs:
            if x > 0:
                self.v.assign_add(x)
        return self.v.read_value()


def test_method_with_variable():
    acc = Accumulator()
    out = acc.add_all(ag.constant(np.array([1.0, -2.0, 3.0], np.float32)))
    assert float(out) == 4.0
    assert float(acc.v.numpy()) == 4.0


def test_autograph_false_traces_as_written():
    f = ag.function(counted, autograph=False)
    with pytest.raises(ag.StagingError, match="Python bool"):
        f(ag.constant(1))
