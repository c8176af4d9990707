"""Staged statements traced again when their trace teaches a type (operators/staging.py, "tracing
again, knowing more types"): one case of each kind, right with the retries and a StagingError
when only one trace is allowed, so none of the kinds can be staged in a single trace."""
import numpy as np
import pytest

import autograph as ag
from autograph.operators import staging


def weak_number_in_loop(x, n):
    total = 0  # a Python int on entry; the loop makes it float64
    for i in ag.range(n):
        total += x
    return total


def weak_number_in_if(x):
    if x > 0:
        y = 0  # a Python int in the true branch, float32 in the false one
    else:
        y = ag.exp(x)
    return y


def return_in_loop(x, n):
    for i in ag.range(n):
        if ag.cast(i, ag.float32) > x:
            return ag.cast(i, ag.float32) * 2.0  # the return value's type: only known here
    return -1.0


def return_tuple_in_loop(x, n):
    for i in ag.range(n):
        if ag.cast(i, ag.float32) > x:
            return x, i  # a structure, only known here
    return x, -1


def append_in_inner_if(n):
    out = []
    for i in ag.range(n):
        if i % 2 == 0:
            out.append(i)  # the for loop must carry `out` as a tensor list from its entry
    return ag.stack(out)


CASES = [
    (weak_number_in_loop, (ag.constant(1.5, ag.float64), ag.constant(3)), np.float64(4.5)),
    (weak_number_in_if, (ag.constant(-1.0),), np.exp(np.float32(-1.0))),
    (weak_number_in_if, (ag.constant(2.0),), np.float32(0.0)),
    (return_in_loop, (ag.constant(2.5), ag.constant(10)), np.float32(6.0)),
    (return_in_loop, (ag.constant(20.0), ag.constant(10)), np.float32(-1.0)),
    (return_tuple_in_loop, (ag.constant(1.5), ag.constant(10)), (np.float32(1.5), np.int32(2))),
    (append_in_inner_if, (ag.constant(7),), np.array([0, 2, 4, 6], np.int32)),
]


def _numpy(x):
    return tuple(_numpy(v) for v in x) if isinstance(x, tuple) else x.numpy()


@pytest.mark.parametrize("fn,args,expected", CASES)
def test_retrace_gives_the_types_the_trace_taught(fn, args, expected):
    result = _numpy(ag.function(fn)(*args))
    for got, want in zip(result if isinstance(expected, tuple) else (result,),
                         expected if isinstance(expected, tuple) else (expected,)):
        assert np.asarray(got).dtype == np.asarray(want).dtype
        np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("fn,args,expected", [CASES[i] for i in (0, 1, 3, 5, 6)])
def test_one_trace_is_not_enough(fn, args, expected, monkeypatch):
    monkeypatch.setattr(staging, "MAX_TRACES", 1)
    with pytest.raises(ag.StagingError, match="did not converge"):
        ag.function(fn)(*args)


def test_statement_typed_on_entry_traces_once(monkeypatch):
    # Types known on entry: the single trace suffices.
    monkeypatch.setattr(staging, "MAX_TRACES", 1)
    def typed(x, n):
        total = 0.0
        for i in ag.range(n):
            total += x
        return total

    assert float(ag.function(typed)(ag.constant(1.5), ag.constant(2))) == 3.0
