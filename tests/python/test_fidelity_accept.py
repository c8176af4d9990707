"""Issue 15, programs Python runs that staging used to reject: the dtypes, warnings and
attributes the differential corpus (conversion/corpus_fidelity_accept.py) cannot see."""
import ctypes
import gc
import os
import sys
import warnings

import numpy as np
import pytest

import autograph as ag

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "conversion"))
import corpus_fidelity_accept as corpus  # noqa: E402 - its programs, checked for dtypes here


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
    v = ag.function(corpus.weak_int_becomes_float)(ag.constant(4))
    assert v.dtype == ag.float32 and float(v.numpy()) == 2.0
    a, b, c = ag.function(corpus.weak_number_meets_int_tensor)(ag.constant(4))
    assert (a.dtype, b.dtype, c.dtype) == (ag.float32, ag.float32, ag.int32)


def test_weak_loop_variable_takes_int64_through_a_staged_if():
    r = ag.function(corpus.weak_sum_with_continue)(ag.constant(7, ag.int64))
    assert r.dtype == ag.int64 and int(r.numpy()) == 1 + 3 + 5
    r = ag.function(corpus.weak_sum_with_break)(ag.constant(20, ag.int64))
    assert r.dtype == ag.int64


def test_python_numbers_staged_stay_python_typed():
    """Results that are Python numbers in plain Python stage as float32/int32 (SPEC §3), not as
    NumPy's float64 (found with program_fuzz.py --floats)."""
    def four():
        return 4

    def f(a, n):
        s = 0
        for i in range(n):
            s = i / 2  # a Python float: float32
        t = four() if a > 0 else 1.25  # a Cond of a number and a float: float32
        u = (a * 6) // (abs(-3 if a > 1 else 2) + 1)  # abs of a number stays one: float32
        return s, t, u, ag.cond(a > 0, lambda: 4, lambda: 5)

    s, t, u, c = ag.function(f)(ag.constant(1.5), ag.constant(3))
    assert (s.dtype, t.dtype, u.dtype, c.dtype) == (ag.float32, ag.float32, ag.float32, ag.int32)
    assert (float(s.numpy()), float(t.numpy()), float(u.numpy()), int(c.numpy())) == (
        1.0, 4.0, 2.0, 4)


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


# ---- shapes: ag.TensorShape, relaxed loop variables, set_loop_options ------------------------
def test_tensor_shape_is_a_tuple_with_tensorflow_methods():
    s = ag.constant([[1, 2, 3], [4, 5, 6]]).shape
    assert isinstance(s, ag.TensorShape) and isinstance(s, tuple)
    assert s == (2, 3) and (2, 3) == s and s != (3, 2)
    rows, cols = s
    assert (rows, cols) == (2, 3) and s[1] == 3 and len(s) == 2
    assert s.as_list() == [2, 3] and s.rank == 2 and s.ndims == 2
    assert s.is_fully_defined() and s.num_elements() == 6
    assert f"{s}" == "(2, 3)" and str(s) == "(2, 3)" and repr(s) == "TensorShape([2, 3])"
    u = ag.TensorShape([None, 3])
    assert u.as_list() == [None, 3] and not u.is_fully_defined() and u.num_elements() is None
    assert u.is_compatible_with((5, 3)) and not u.is_compatible_with((5, 4))
    assert ag.TensorShape([]) == () and ag.constant(1.0).shape.rank == 0
    assert ag.TensorShape(4) == (4,)


def test_growing_loop_variable_is_relaxed_and_noted():
    def grow(n):
        x = ag.constant([0])
        for i in ag.range(n):  # the loop
            x = ag.concat([x, [i]], 0)
        return x

    f = ag.function(grow)
    assert f(ag.constant(3)).numpy().tolist() == [0, 0, 1, 2]
    assert f(ag.constant(0)).numpy().tolist() == [0]  # (one trace serves every n)
    assert f.trace_count == 1
    (note,) = f.shape_relaxations
    assert note.name == "x" and note.entry_shape == (1,) and note.relaxed_shape == (None,)
    assert note.line == grow.__code__.co_firstlineno + 2


def test_shape_invariant_types_the_loop_variable():
    @ag.function
    def f(n):
        x = ag.zeros([2, 3])
        for i in ag.range(n):
            ag.autograph.experimental.set_loop_options(
                shape_invariants=[(x, ag.TensorShape([None, 3]))])
            x = ag.concat([x, ag.ones([1, 3])], 0)
        return x

    assert f(ag.constant(2)).shape == (4, 3)
    assert f.shape_relaxations == []  # stated, not found


def test_shape_invariant_naming_something_else_is_an_error():
    @ag.function
    def f(n):
        x = ag.zeros([2])
        for i in ag.range(n):
            x = x + 1.0
            ag.autograph.experimental.set_loop_options(shape_invariants=[(x, ag.TensorShape([None]))])
        return x

    with pytest.raises(ag.StagingError, match="shape invariant must name a variable"):
        f(ag.constant(2))


def test_rank_change_is_still_an_error():
    @ag.function
    def f(n):
        x = ag.zeros([2])
        for i in ag.range(n):
            x = ag.reshape(x, [1, 2])
        return x

    with pytest.raises(ag.StagingError, match="'x' changes shape"):
        f(ag.constant(2))


def test_maximum_iterations_option_bounds_a_staged_loop():
    def f(n):
        s = 0
        for i in ag.range(n):
            ag.autograph.experimental.set_loop_options(maximum_iterations=3)
            s += i
        return s

    assert int(ag.function(f)(ag.constant(10))) == 0 + 1 + 2
    assert f(10) == 45  # as Python (unstaged), where TensorFlow's option does nothing either


# ---- graph constants, unrolled loops, interrupted traces ---------------------------------------
def test_constant_inside_a_staged_function_is_a_graph_value():
    f = ag.function(corpus.while_constant_true_with_break)
    assert int(f(ag.constant(7))) == 7
    assert "while" in f.graph(ag.constant(7)).ops
    assert not ag.constant(1).is_symbolic


def test_unrolled_python_while_loop_warns_naming_its_line():
    from autograph.operators import control_flow as cf

    def unrolled(x):
        k = 0
        while k < 3500:  # the Python while
            x = x + 1
            k += 1
        return x

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        assert int(ag.function(unrolled)(ag.constant(0))) == 3500
    found = [w for w in record if issubclass(w.category, ag.UnrolledLoopWarning)]
    assert len(found) == 1 and cf.UNROLLED_LOOP_WARNING == 3000
    assert found[0].lineno == unrolled.__code__.co_firstlineno + 2
    assert "while loop with a Python condition" in str(found[0].message)


def _rss_mib():
    """Resident memory after a full collection, with freed heap returned to the system."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_interrupted_trace_frees_its_graph_while_the_traceback_is_kept():
    peak = []

    def endless(x):
        k = 0
        while True:  # a Python loop: unrolled while tracing, for ever
            x = x + 1.0
            k += 1
            if k == 60_000:
                peak.append(_rss_mib())
                raise KeyboardInterrupt  # what the kernel's interrupt raises

    before = _rss_mib()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ag.UnrolledLoopWarning)
        with pytest.raises(KeyboardInterrupt) as info:
            ag.function(endless)(ag.constant(np.ones(64, np.float32)))
    kept = info.value.__traceback__  # as IPython keeps the last traceback
    grown = peak[0] - before
    assert grown > 40, grown  # the half-built graph did take memory ...
    assert _rss_mib() - before < grown / 4  # ... and it is gone though the traceback is kept
    assert kept is not None


# ---- functions whose source cannot be read -------------------------------------------------
def test_function_without_source_says_it_ran_unconverted():
    ns = {}
    exec("def no_source(x):\n    if x > 0:\n        x = x * 2\n    return x\n", ns)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        with pytest.raises(ag.StagingError) as info:
            ag.function(ns["no_source"])(ag.constant(3))
    msg = str(info.value)
    assert "'no_source' ran unconverted because its source code is not available" in msg
    assert any("source is not available" in str(w.message) for w in record)


def test_function_whose_source_is_in_linecache_is_converted():
    import linecache

    src = "def cached(x):\n    if x > 0:\n        x = x * 2\n    return x\n"
    name = "<fidelity-accept-cell>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    ns = {}
    exec(compile(src, name, "exec"), ns)
    f = ag.function(ns["cached"])
    assert int(f(ag.constant(3))) == 6 and int(f(ag.constant(-3))) == -3
    assert "ag__.if_stmt" in f.code
