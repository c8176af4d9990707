"""Issue 15, programs Python runs that staging used to reject: the dtypes, warnings and
attributes the differential corpus (conversion/corpus_fidelity_accept.py) cannot see."""
import numpy as np
import pytest

import autograph as ag


# ---- weak Python numbers -------------------------------------------------------------------
def test_weak_float_next_to_int_tensor_is_float32():
    assert (ag.constant(0) + 0.5).dtype == ag.float32
    assert (0.5 * ag.constant([1, 2], ag.int64)).dtype == ag.float32
    assert (ag.constant(3) < 1.5).dtype == ag.bool
    assert ag.where(ag.constant([True, False]), ag.constant([1, 2]), 0.5).dtype == ag.float32
    # A float tensor keeps its own dtype; two tensors promote as before.
    assert (ag.constant(1.0, ag.float64) + 0.5).dtype == ag.float64
    assert (ag.constant(1) + ag.constant(0.5)).dtype == ag.float64


def test_weak_float_staged_is_float32():
    @ag.function
    def f(n):
        v = 0
        for i in ag.range(n):
            v = v + 0.5
        return v, ag.cast(n, ag.int32) * 0.5

    v, w = f(ag.constant(4))
    assert v.dtype == ag.float32 and float(v.numpy()) == 2.0
    assert w.dtype == ag.float32 and float(w.numpy()) == 2.0


def test_weak_loop_variable_takes_int64_through_a_staged_if():
    @ag.function
    def f(n):
        s = 0
        for i in ag.range(n):
            if i % 2 == 0:
                continue
            s += i
        return s

    r = f(ag.constant(7, ag.int64))
    assert r.dtype == ag.int64 and int(r.numpy()) == 1 + 3 + 5


# ---- loop-local variables ------------------------------------------------------------------
def test_loop_local_read_after_the_loop_is_an_error_at_the_read():
    def f(n):
        for i in ag.range(n):
            last = i * 2
        return last

    with pytest.raises(ag.StagingError) as info:
        ag.function(f)(ag.constant(3))
    msg = str(info.value)
    assert "'last' is first assigned inside the staged for loop" in msg
    assert "return last" in msg  # the read's line, where Python could see it undefined


def test_loop_local_read_before_its_assignment_is_an_error():
    def f(n):
        s = 0
        for i in ag.range(n):
            s += prev
            prev = i
        return s

    with pytest.raises(UnboundLocalError):
        f(3)
    with pytest.raises(ag.StagingError, match="'prev' is read in a staged loop before"):
        ag.function(f)(ag.constant(3))
