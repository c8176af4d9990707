"""Runtime benchmarks of the autograph package against peers, in one run (one table of ratios).

(a) collatz (SPEC §6, N=20000) written with explicit ag.while_loop/ag.cond, staged, vs CPython,
    TorchScript (torch.jit.script) and Numba (numba.njit);
(b) eager per-op overhead on scalars vs NumPy scalars and 0-d arrays;
(c) an element-wise chain over 10^7 float32 values, staged (fused) and eager, vs NumPy;
(d) matmul vs NumPy;
(e) SPEC §6 newton (a staged while over a 10^5 float32 vector) vs NumPy, fastest and median of
    many calls: the median shows whether the staged loop is steadily fast, not only at best.

Usage: PYTHONPATH=build/python /usr/bin/python3 bench/runtime_bench.py [--quick]
Times are the best of several repeats; ratio = peer time / autograph time (>1: we are faster)
for (a), (c), (d) and autograph time / NumPy time for (b).
"""
import argparse
import os
import sys
import time
import timeit

import numpy as np

import autograph as ag

# newton as SPEC §6 writes it, and its NumPy peer: the same code run.py times.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "workloads"))
from peers import newton_numpy  # noqa: E402
from workloads import newton  # noqa: E402


def best(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


# ---- (a) collatz ---------------------------------------------------------------------------
def collatz_python(n):
    total = 0
    i = 1
    while i <= n:
        x = i
        while x != 1:
            if x % 2 == 0:
                x = x // 2
            else:
                x = 3 * x + 1
            total += 1
        i += 1
    return total


def collatz_typed(n: int) -> int:
    """collatz_python with the annotations TorchScript needs."""
    total = 0
    i = 1
    while i <= n:
        x = i
        while x != 1:
            if x % 2 == 0:
                x = x // 2
            else:
                x = 3 * x + 1
            total += 1
        i += 1
    return total


def collatz_ag(n):
    def inner(x, steps):
        x = ag.cond(x % 2 == 0, lambda: x // 2, lambda: 3 * x + 1)
        return x, steps + 1

    def outer(i, total):
        _, steps = ag.while_loop(lambda x, s: x != 1, inner, [i, 0])
        return i + 1, total + steps

    return ag.while_loop(lambda i, total: i <= n, outer, [1, 0])[1]


def bench_collatz(n, rows):
    expected = collatz_python(n)
    staged = ag.function(collatz_ag, autograph=False)
    nt = ag.constant(n)
    assert int(staged(nt)) == expected  # traces and compiles once
    t_ag = best(lambda: staged(nt))
    rows.append(("collatz", "autograph staged", t_ag, 1.0))
    t_py = best(lambda: collatz_python(n), repeat=1)
    rows.append(("collatz", "CPython", t_py, t_py / t_ag))
    try:
        import torch

        ts = torch.jit.script(collatz_typed)
        assert ts(n) == expected
        t = best(lambda: ts(n), repeat=1)
        rows.append(("collatz", "TorchScript", t, t / t_ag))
    except Exception as e:  # noqa: BLE001 - a missing peer must not stop the run
        rows.append(("collatz", f"TorchScript (unavailable: {type(e).__name__})", None, None))
    try:
        import numba

        nb = numba.njit(collatz_python)
        assert nb(n) == expected
        t = best(lambda: nb(n))
        rows.append(("collatz", "Numba", t, t / t_ag))
    except Exception as e:  # noqa: BLE001
        rows.append(("collatz", f"Numba (unavailable: {type(e).__name__})", None, None))


# ---- (b) eager per-op overhead -------------------------------------------------------------
def bench_eager_overhead(rows, number=200000):
    a, b = ag.constant(3.0), ag.constant(4.0)
    sa, sb = np.float32(3.0), np.float32(4.0)
    za, zb = np.array(3.0, np.float32), np.array(4.0, np.float32)

    def per_op(stmt, **names):
        return min(timeit.repeat(stmt, globals=names, number=number, repeat=5)) / number

    t_ag = per_op("a + b", a=a, b=b)
    t_ag_lit = per_op("a * 2.0", a=a)
    t_ag_fn = per_op("f(a, b)", a=a, b=b, f=ag.maximum)
    t_np = per_op("a + b", a=sa, b=sb)
    t_np0 = per_op("a + b", a=za, b=zb)
    t_np_fn = per_op("f(a, b)", a=za, b=zb, f=np.maximum)
    rows.append(("eager scalar op", "ag: t + t", t_ag, t_ag / t_np))
    rows.append(("eager scalar op", "ag: t * 2.0", t_ag_lit, t_ag_lit / t_np))
    rows.append(("eager scalar op", "ag.maximum(t, t)", t_ag_fn, t_ag_fn / t_np))
    rows.append(("eager scalar op", "NumPy scalar a + b", t_np, 1.0))
    rows.append(("eager scalar op", "NumPy 0-d array a + b", t_np0, t_np0 / t_np))
    rows.append(("eager scalar op", "np.maximum(0-d, 0-d)", t_np_fn, t_np_fn / t_np))


# ---- (c) element-wise chain ----------------------------------------------------------------
def chain(x):
    return ag.tanh(x * 0.5 + 1.0) * x - ag.exp(-x * x) + ag.sqrt(ag.abs(x) + 1.0)


def chain_np(x):
    return np.tanh(x * 0.5 + 1.0) * x - np.exp(-x * x) + np.sqrt(np.abs(x) + 1.0)


def bench_chain(n, rows):
    x_np = np.random.default_rng(0).standard_normal(n).astype(np.float32)
    x = ag.constant(x_np)
    staged = ag.function(chain, autograph=False)
    out = staged(x).numpy()
    np.testing.assert_allclose(out, chain_np(x_np), rtol=1e-4, atol=1e-5)
    t_ag = best(lambda: staged(x), repeat=5)
    t_eager = best(lambda: chain(x), repeat=3)
    t_np = best(lambda: chain_np(x_np), repeat=3)
    rows.append((f"chain 1e{len(str(n)) - 1} f32", "autograph staged (fused)", t_ag, 1.0))
    rows.append((f"chain 1e{len(str(n)) - 1} f32", "autograph eager", t_eager, t_eager / t_ag))
    rows.append((f"chain 1e{len(str(n)) - 1} f32", "NumPy", t_np, t_np / t_ag))


# ---- (d) matmul ----------------------------------------------------------------------------
def bench_matmul(n, rows):
    rng = np.random.default_rng(0)
    a_np = rng.standard_normal((n, n)).astype(np.float32)
    b_np = rng.standard_normal((n, n)).astype(np.float32)
    a, b = ag.constant(a_np), ag.constant(b_np)
    np.testing.assert_allclose(ag.matmul(a, b).numpy(), a_np @ b_np, rtol=1e-3, atol=1e-2)
    t_ag = best(lambda: ag.matmul(a, b), repeat=3)
    t_np = best(lambda: a_np @ b_np, repeat=3)
    rows.append((f"matmul {n}x{n} f32", "autograph eager", t_ag, 1.0))
    rows.append((f"matmul {n}x{n} f32", "NumPy", t_np, t_np / t_ag))


# ---- (e) newton, steadiness ---------------------------------------------------------------
def per_call_times(fn, calls):
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[0], times[len(times) // 2]


def bench_newton(n, calls, rows):
    v_np = np.random.default_rng(0).uniform(1, 100, n).astype(np.float32)
    v = ag.constant(v_np)
    staged = ag.function(newton)
    np.testing.assert_allclose(staged(v, 1e-3).numpy(), newton_numpy(v_np, 1e-3), rtol=1e-5)
    ag_min, ag_med = per_call_times(lambda: staged(v, 1e-3), calls)
    np_min, np_med = per_call_times(lambda: newton_numpy(v_np, 1e-3), calls)
    label = f"newton 1e{len(str(n)) - 1} f32"
    rows.append((label, "autograph staged, fastest", ag_min, 1.0))
    rows.append((label, "autograph staged, median", ag_med, 1.0))
    rows.append((label, "NumPy, fastest", np_min, np_min / ag_min))
    rows.append((label, "NumPy, median", np_med, np_med / ag_med))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (smoke test)")
    args = parser.parse_args()
    rows = []
    bench_collatz(2000 if args.quick else 20000, rows)
    bench_eager_overhead(rows, number=20000 if args.quick else 200000)
    bench_chain(10**5 if args.quick else 10**7, rows)
    bench_matmul(256 if args.quick else 1024, rows)
    bench_newton(10**4 if args.quick else 10**5, 50 if args.quick else 500, rows)

    print(f"{'workload':22s} {'implementation':34s} {'time':>12s} {'ratio':>9s}")
    for workload, impl, t, ratio in rows:
        ts = "-" if t is None else (f"{t * 1e9:9.0f} ns" if t < 1e-4 else f"{t * 1e3:9.2f} ms")
        rs = "-" if ratio is None else f"{ratio:8.2f}x"
        print(f"{workload:22s} {impl:34s} {ts:>12s} {rs:>9s}")
    print("ratio: peer time / autograph time (collatz, chain, matmul, newton); "
          "time / NumPy-scalar time (eager scalar op)")


if __name__ == "__main__":
    main()
