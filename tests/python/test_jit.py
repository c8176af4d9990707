"""The native tier (LLVM JIT): staged loops run native code with the interpreter's results,
errors, prints and interrupts; jit=False and a failed compile keep a graph interpreted."""
import os
import signal
import sys
import threading
import time

import numpy as np
import pytest

import autograph as ag
from autograph import _core

# Loop programs of the semantics corpus (tests/python/conversion).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "conversion"))
from corpus_seeds import collatz_total as collatz, count_primes as primes_with_break  # noqa: E402


# Whether this build has the JIT: a graph with a loop compiled synchronously goes native.
def _loop_graph_goes_native():
    old = os.environ.get("XAG_JIT")
    os.environ["XAG_JIT"] = "sync"
    try:
        f = ag.function(lambda n: ag.while_loop(lambda i: i < n, lambda i: i + 1, [0])[0],
                        autograph=False)
        f(ag.constant(3))
        return f.execution_tier(ag.constant(3))["tier"] == "native"
    finally:
        if old is None:
            del os.environ["XAG_JIT"]
        else:
            os.environ["XAG_JIT"] = old


HAVE_JIT = _loop_graph_goes_native()
needs_jit = pytest.mark.skipif(not HAVE_JIT, reason="built without LLVM (XAG_WITH_JIT=OFF)")


@pytest.fixture
def sync(monkeypatch):
    monkeypatch.setenv("XAG_JIT", "sync")


def mixed(x, n):
    """Floats, wrap-around ints, floor division/modulo of negatives, x[i], a list."""
    acc = 0.0
    h = 7
    out = []
    for i in range(n):
        a = x[i % 5]
        acc += abs(a) if a < 0.0 else a * 0.5
        h = h * 1000003 + i
        out.append((h // -7) % 13)
    return acc, h, ag.stack(out)


@needs_jit
@pytest.mark.parametrize("fn,args", [
    (collatz, lambda: (ag.constant(300),)),
    (primes_with_break, lambda: (ag.constant(500),)),
    (mixed, lambda: (ag.constant([1.5, -2.0, np.nan, 0.25, -0.5], ag.float32),
                     ag.constant(200))),
])
def test_native_results_equal_the_interpreter(sync, fn, args):
    native, interp = ag.function(fn), ag.function(fn, jit=False)
    a = args()
    got = native(*a)
    assert native.execution_tier(*a)["tier"] == "native"
    assert interp.execution_tier(*a) == {"tier": "interpreter", "reason": "jit=False",
                                         "compile_seconds": -1.0, "ready_seconds": -1.0}
    want = interp(*a)
    got, want = (got, want) if isinstance(got, tuple) else ((got,), (want,))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


@needs_jit
def test_native_errors_name_the_users_line(sync):
    def f(x, n):
        i = 0
        total = 0
        while i < n:
            total += x[i]  # out of range when n > len(x)
            i += 1
        return total

    x = ag.constant([1, 2, 3])
    errors = []
    native = ag.function(f)
    for g in (native, ag.function(f, jit=False)):
        assert int(g(x, ag.constant(3))) == 6
        with pytest.raises(ag.errors.InvalidArgumentError) as e:
            g(x, ag.constant(4))
        errors.append(str(e.value))
    assert native.execution_tier(x, ag.constant(3))["tier"] == "native"
    assert errors[0] == errors[1]
    line = f.__code__.co_firstlineno + 4  # total += x[i]
    assert "out of bounds" in errors[0] and errors[0].endswith(f"test_jit.py:{line})")


@needs_jit
def test_native_prints_keep_their_order(sync, capfd):
    @ag.function
    def f(n):
        i = 0
        while i < n:
            if i % 2 == 0:
                ag.print("even", i)
            else:
                ag.print("odd", i)
            i += 1
        return i

    f(ag.constant(4))
    assert f.execution_tier(ag.constant(4))["tier"] == "native"
    assert capfd.readouterr().out == "even 0\nodd 1\neven 2\nodd 3\n"


@needs_jit
def test_default_tier_switches_to_native_in_the_background(monkeypatch):
    monkeypatch.delenv("XAG_JIT", raising=False)
    f = ag.function(collatz)
    n = ag.constant(50)
    assert int(f(n)) == int(ag.function(collatz, jit=False)(n))
    deadline = time.monotonic() + 20
    while f.execution_tier(n)["tier"] != "native" and time.monotonic() < deadline:
        time.sleep(0.01)
    info = f.execution_tier(n)
    assert info["tier"] == "native", info
    assert 0 < info["compile_seconds"] <= info["ready_seconds"]
    assert int(f(n)) == int(ag.function(collatz, jit=False)(n))


def test_failed_compile_falls_back_to_the_interpreter(sync, monkeypatch):
    monkeypatch.setenv("XAG_JIT_TEST_FAIL", "1")
    f = ag.function(collatz)
    n = ag.constant(30)
    assert int(f(n)) == int(ag.function(collatz, jit=False)(n))
    info = f.execution_tier(n)
    assert info["tier"] == "interpreter"
    if HAVE_JIT:
        assert info["reason"] == "compile failed: XAG_JIT_TEST_FAIL=1"
    assert int(f(n)) == int(ag.function(collatz, jit=False)(n))


def test_xag_jit_0_turns_it_off(monkeypatch):
    monkeypatch.setenv("XAG_JIT", "0")
    f = ag.function(collatz)
    f(ag.constant(5))
    assert f.execution_tier(ag.constant(5))["reason"] == "JIT off (XAG_JIT=0)"


@needs_jit
@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="signals are delivered to the main thread")
def test_endless_native_loop_is_interrupted(sync):
    @ag.function(autograph=False)
    def forever(go):
        return ag.while_loop(lambda i: go, lambda i: i + 1, [0])[0]

    assert int(forever(ag.constant(False))) == 0
    assert forever.execution_tier(ag.constant(False))["tier"] == "native"
    timer = threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        forever(ag.constant(True))
    elapsed = time.monotonic() - start - 0.2
    timer.join()
    assert elapsed < 1.0, elapsed
    assert int(forever(ag.constant(False))) == 0


def test_executable_tier_binding():
    assert "tier" in _core.Executable.__dict__


def _wait_native(f, *args):
    deadline = time.monotonic() + 20
    while f.execution_tier(*args)["tier"] != "native" and time.monotonic() < deadline:
        time.sleep(0.01)
    return f.execution_tier(*args)["tier"] == "native"


@needs_jit
def test_forked_child_compiles_with_its_own_thread(monkeypatch):
    monkeypatch.delenv("XAG_JIT", raising=False)
    f = ag.function(collatz)
    f(ag.constant(20))
    assert _wait_native(f, ag.constant(20))  # the parent's compile thread exists
    pid = os.fork()
    if pid == 0:  # the child: a new graph compiles on a thread of the child's own
        ok = False
        try:
            g = ag.function(primes_with_break)
            ok = int(g(ag.constant(30))) == 10 and _wait_native(g, ag.constant(30))
            ok = ok and int(g(ag.constant(30))) == 10
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert int(f(ag.constant(20))) == int(ag.function(collatz, jit=False)(ag.constant(20)))


def _helper_calls(g, *args):
    """The run's calls from native code into the interpreter (RunStats::native_helper_calls)."""
    stats = {}
    g.get_concrete_function(*args).run(list(args), stats)
    return stats["native_helper_calls"]


def squares_int32(n):
    out = []
    ag.set_element_type(out, ag.int32)
    for i in range(n):
        out.append(i * i)  # wraps around past 46340**2
    return ag.stack(out)


def flags_and_halves(n):
    flags, halves = [], []
    ag.set_element_type(flags, ag.bool)
    ag.set_element_type(halves, ag.float32)
    x = 0.0
    for i in range(n):
        flags.append(i % 3 == 0)
        halves.append(x * 0.5)
        x += 1.0
    return ag.stack(flags), ag.stack(halves)


@needs_jit
@pytest.mark.parametrize("fn,want", [
    (squares_int32, lambda n: np.arange(n, dtype=np.int32) * np.arange(n, dtype=np.int32)),
    (flags_and_halves, lambda n: (np.arange(n) % 3 == 0,
                                  np.arange(n, dtype=np.float32) * np.float32(0.5))),
])
def test_native_appends_grow_the_buffer_in_native_code(sync, fn, want):
    # 70000 elements: about 17 doublings of the list's buffer, each through the helper; the
    # appends between them are native stores (a helper call per element before).
    n = ag.constant(70000)
    native, interp = ag.function(fn), ag.function(fn, jit=False)
    got = native(n)
    assert native.execution_tier(n)["tier"] == "native"
    tup = lambda r: r if isinstance(r, tuple) else (r,)  # noqa: E731
    for g, w, i in zip(tup(got), tup(want(70000)), tup(interp(n))):
        np.testing.assert_array_equal(g.numpy(), w)
        np.testing.assert_array_equal(i.numpy(), w)
    assert _helper_calls(native, n) < 200


@needs_jit
def test_native_appends_are_seen_by_the_interpreters_list_ops(sync):
    # out[i] runs the interpreter's ListGet right after a native append: the count must be in
    # the list by then. An index past the end raises at the user's line, as interpreted.
    def f(n, k):
        out = []
        ag.set_element_type(out, ag.int64)
        total = 0
        for i in range(n):
            out.append(i * 3)
            total += out[i] + out[i - k]  # k > i: out of range
        return total, ag.stack(out)

    native, interp = ag.function(f), ag.function(f, jit=False)
    n = ag.constant(1000)
    total, stacked = native(n, ag.constant(0))
    assert native.execution_tier(n, ag.constant(0))["tier"] == "native"
    assert int(total) == 2 * 3 * sum(range(1000))
    np.testing.assert_array_equal(stacked.numpy(), np.arange(1000) * 3)
    errors = []
    for g in (native, interp):
        with pytest.raises(ag.errors.InvalidArgumentError) as e:
            g(ag.constant(10), ag.constant(-5))  # out[i + 5]: past the end at once
        errors.append(str(e.value))
    assert errors[0] == errors[1]
    line = f.__code__.co_firstlineno + 6  # total += out[i] + out[i - k]
    assert errors[0].endswith(f"test_jit.py:{line})")


def first_divisors(n):
    """The smallest divisor d > 1 of each k <= n (k itself for primes): `d` after the loop is
    the selected value at the break."""
    total = 0
    k = 2
    while k <= n:
        d = 2
        found = 0
        while d * d <= k:
            if k % d == 0:
                found = d
                break
            d += 1
        total += found if found > 0 else k
        total += d * 1000  # d's value after the loop, broken out of or not
        k += 1
    return total


@needs_jit
def test_native_break_loops_keep_the_selected_values(sync):
    n = ag.constant(3000)
    native, interp = ag.function(first_divisors), ag.function(first_divisors, jit=False)
    assert int(native(n)) == int(interp(n)) == first_divisors(3000)
    assert native.execution_tier(n)["tier"] == "native"
    assert _helper_calls(native, n) < 50  # the set-up outside the loops: none per iteration
