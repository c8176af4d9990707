"""Numba `njit`: collatz, primes, huber and the empty while are workloads.py's very functions;
list, rnn and newton are their NumPy-idiom versions (Numba compiles no `ag` calls). One thread:
NUMBA_NUM_THREADS=1 (set by run.py; nothing here uses parallel=True either). The first call
compiles; its time is the first-call column."""
import sys

import numpy as np

import harness


def import_numba():
    # The benchmark venv sees Debian's packages; Numba >= 0.60 breaks on Debian's coverage 6.5
    # (coverage.types is missing) although it only wants it to report coverage: hide it.
    if "coverage" not in sys.modules:
        sys.modules["coverage"] = None
    import numba

    return numba


def numpy_idiom(numba):
    @numba.njit(cache=False)
    def list_nb(n):
        out = []
        for i in range(n):
            out.append(i * i)
        return np.array(out)

    @numba.njit(cache=False)
    def rnn_nb(x, w, u, b, steps):
        h = np.zeros((x.shape[1], w.shape[1]), np.float32)
        for t in range(steps):
            h = np.tanh(x[t] @ w + h @ u + b)
        return h

    @numba.njit(cache=False)
    def newton_nb(v, tol):
        x = v
        half = np.float32(0.5)
        while np.max(np.abs(x * x - v)) > tol:
            x = half * (x + v / x)
        return x

    return list_nb, rnn_nb, newton_nb


def run(rec, data):
    numba = import_numba()
    rec.pinning.append(f"NUMBA_NUM_THREADS={numba.config.NUMBA_NUM_THREADS}")
    W = harness.load_workloads(harness.namespace())
    S, col = rec.S, "Numba"
    hx, rx, rw, ru, rb, nv = (data[k] for k in ("hx", "rx", "rw", "ru", "rb", "nv"))
    jit = lambda f: numba.njit(cache=False)(f)  # noqa: E731
    cases = [("collatz", W.collatz, (S["collatz"],)), ("primes", W.primes, (S["primes"],)),
             ("huber", W.huber, (hx, S["huber"])), ("primes_u", W.primes_u, (S["primes"],)),
             ("huber_u", W.huber_u, (hx,))]
    for name, f, a in cases:
        rec.workload(col, name, None, prepare=lambda f=f, a=a: harness.bound(jit(f), *a))
    list_nb, rnn_nb, newton_nb = numpy_idiom(numba)
    rec.workload(col, "list", lambda: list_nb(S["list"]), note="NumPy idiom")
    rec.workload(col, "rnn", lambda: rnn_nb(rx, rw, ru, rb, S["T"]), note="NumPy idiom")
    rec.workload(col, "newton", lambda: newton_nb(nv, harness.TOL), note="NumPy idiom")
    n = S["empty_while"]
    g = jit(W.count_up)
    rec.empty_while(col, lambda: g(n), n, note="int loop; LLVM may fold it to its closed form")
    return "Numba " + numba.__version__
