"""Recursive staged functions (SPEC §3): a recursion with a tensor stopping test becomes a graph
function called by `call` ops; the running graph stops at 1,000 nested calls with a
RecursionError at the user's line; what cannot be staged is a StagingError at the user's line;
no error path aborts the interpreter at exit. (Results against plain Python: the corpus,
conversion/corpus_recursion.py.)"""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import autograph as ag
from conftest import run_in_thread


@ag.function
def _staged_factorial(n):
    if n <= 1:
        return ag.constant(1)
    return n * _staged_factorial(n - 1)


def test_an_ag_function_calling_itself_is_a_graph_function():
    assert int(_staged_factorial(ag.constant(5))) == 120
    assert int(_staged_factorial(ag.constant(10))) == 3628800
    assert _staged_factorial.trace_count == 1  # one trace serves every n
    graph = _staged_factorial.graph(ag.constant(3))
    assert "call" in graph.ops
    # The picture draws a call box naming the function; the dump lists its body.
    assert "call _staged_factorial" in graph.to_dot()
    assert "function _staged_factorial(" in graph.dump()
    # With a Python argument the stopping test runs in Python while tracing: no call.
    assert int(_staged_factorial(5)) == 120
    assert "call" not in _staged_factorial.graph(5).ops


def _count_down(n):
    if n == 0:
        return 0
    return _count_down(n - 1) + 1  # the recursive call


def test_the_running_graph_stops_at_1000_calls_with_a_recursion_error_at_the_users_line():
    f = ag.function(_count_down)
    assert int(f(ag.constant(900))) == 900  # deep, but within the limit
    with pytest.raises(RecursionError, match="maximum recursion depth exceeded") as info:
        f(ag.constant(-1))
    assert "_count_down" in str(info.value)
    line = _count_down.__code__.co_firstlineno + 3  # the recursive call's line
    assert f"test_recursion.py:{line})" in str(info.value)
    assert info.value.lineno == line
    assert int(f(ag.constant(3))) == 3  # still usable


def test_same_under_the_native_tier(tmp_path):
    code = textwrap.dedent("""
        import autograph as ag

        def fib(n):
            if n < 2:
                return n
            return fib(n - 1) + fib(n - 2)

        @ag.function
        def total(k):
            s = 0
            for i in ag.range(k):
                s += fib(i)
            return s

        print(int(total(ag.constant(12))), total.execution_tier(ag.constant(12))["tier"])
    """)
    env = dict(os.environ, XAG_JIT="sync")
    script = tmp_path / "native_fib.py"
    script.write_text(code)
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    # 0 + 1 + 1 + 2 + 3 + 5 + 8 + 13 + 21 + 34 + 55 + 89
    assert out.stdout.split()[0] == "232"


def _late_base_case(n):
    if n > 1:
        return n * _late_base_case(n - 1)
    return 1


def test_a_recursive_call_before_any_return_is_a_staging_error_at_its_line():
    with pytest.raises(ag.StagingError, match="before any of its returns was traced") as info:
        ag.function(_late_base_case)(ag.constant(4))
    assert "return n * _late_base_case(n - 1)" in str(info.value)
    # Python runs it.
    assert _late_base_case(4) == 24


def _with_python_depth(n, depth):
    if n <= 0:
        return ag.constant(depth)
    return _with_python_depth(n - 1, depth + 1)


def test_a_python_argument_changing_with_each_call_cannot_be_one_graph_function():
    with pytest.raises(ag.StagingError, match=r"_with_python_depth calls itself more than 100 "
                       r"levels deep.*Python argument") as info:
        ag.function(_with_python_depth)(ag.constant(3), 0)
    assert "return _with_python_depth(n - 1, depth + 1)" in str(info.value)


def _power(x, n):
    if n == 0:
        return ag.ones_like(x)
    return x * _power(x, n - 1)


def test_a_gradient_through_a_recursive_call_is_refused_not_wrong():
    @ag.function
    def step(x, n):
        with ag.GradientTape() as tape:
            tape.watch(x)
            y = _power(x, n)
        return tape.gradient(y, x)

    with pytest.raises(ag.StagingError, match="cannot differentiate through the recursive "
                       "function '_power'"):
        step(ag.constant(2.0), ag.constant(3))
    # Eagerly the recursion runs in Python and the tape sees every op.
    x = ag.constant(2.0)
    with ag.GradientTape() as tape:
        tape.watch(x)
        y = _power(x, ag.constant(3))
    assert float(tape.gradient(y, x)) == pytest.approx(12.0)


def test_a_shrinking_argument_gets_an_unknown_dimension():
    def total(xs):
        if ag.size(xs) == 0:
            return 0.0
        return xs[0] + total(xs[1:])

    f = ag.function(total)
    assert float(f(ag.constant(np.arange(6, dtype=np.float32)))) == 15.0
    assert "float32(None,)" in f.graph(ag.constant(np.arange(6, dtype=np.float32))).dump()


_ABORT_SCRIPT = textwrap.dedent("""
    import autograph as ag

    def down(n):
        if n == 0:
            return 0
        return down(n - 1) + 1

    @ag.function
    def staged_self(n):
        if n <= 1:
            return ag.constant(1)
        return n * staged_self(n - 1)

    def deep_python(n, depth):
        if n <= 0:
            return ag.constant(depth)
        return deep_python(n - 1, depth + 1)

    @ag.function
    def staged_deep(n, depth):  # many frames per level: Python's own limit comes first
        if n <= 1:
            return ag.constant(depth)
        return staged_deep(n - 1, depth + 1)

    for call in (lambda: ag.function(down)(ag.constant(-1)),
                 lambda: ag.function(deep_python)(ag.constant(2), 0),
                 lambda: staged_deep(ag.constant(3), 0)):
        try:
            call()
        except (RecursionError, ag.StagingError) as e:
            print(type(e).__name__)
    print(int(staged_self(ag.constant(6))))
    ag.function(down)(ag.constant(-5))  # uncaught: the interpreter exits with status 1
""")


def test_failing_recursions_never_abort_the_interpreter_at_exit(tmp_path):
    script = tmp_path / "failing_recursions.py"
    script.write_text(_ABORT_SCRIPT)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 1, (out.returncode, out.stderr[-2000:])
    assert out.stdout.split() == ["RecursionError", "StagingError", "StagingError", "720"]
    assert "RecursionError: maximum recursion depth exceeded" in out.stderr
    assert "Fatal Python error" not in out.stderr


def test_a_thread_with_a_small_stack_gets_the_recursion_error_not_a_crash():
    f = ag.function(_count_down)
    f(ag.constant(1))  # traced and compiled on this thread
    errors = []

    def run():
        try:
            f(ag.constant(999))
        except RecursionError as e:
            errors.append(str(e))

    run_in_thread(run, 512 * 1024)  # ~1,000 nested calls need more than this
    assert len(errors) == 1 and "stack is nearly full" in errors[0]


def test_a_graph_placed_on_a_device_runs_its_recursive_calls_there():
    # "test:0" (runtime/backend/test_backend.h): host code reading its memory would crash, as
    # the inline x[i] of a called function once did.
    from autograph import _core

    def total(xs, i):
        if i >= 4:
            return 0.0
        return xs[i] * 2.0 + total(xs, i + 1)

    _core._enable_test_backend(True)
    try:
        f = ag.function(total, device="test:0")
        xs = ag.constant(np.arange(1, 5, dtype=np.float32))
        assert float(f(xs, ag.constant(0))) == 20.0
        assert "call" in f.graph(xs, ag.constant(0)).ops
    finally:
        _core._enable_test_backend(False)
