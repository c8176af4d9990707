"""NumPy (peers.py's vectorized versions; collatz and primes have no NumPy form). One thread:
OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=MKL_NUM_THREADS=1 (set by run.py before NumPy loads)."""
import numpy as np

import harness
import peers


def run(rec, data):
    S, col = rec.S, "NumPy"
    hx, rx, rw, ru, rb, nv = (data[k] for k in ("hx", "rx", "rw", "ru", "rb", "nv"))
    rec.pinning.append("OMP/OPENBLAS/MKL_NUM_THREADS=1")
    for name in ("collatz", "primes"):
        rec.fail(col, name, "no vectorized form (scalar loop)")
    rec.workload(col, "huber", lambda: peers.huber_numpy(hx, S["huber"]), repeat=5)
    rec.workload(col, "list", lambda: peers.list_numpy(S["list"]), repeat=5)
    rec.workload(col, "rnn", lambda: peers.rnn_numpy(rx, rw, ru, rb, S["T"]), repeat=5)
    rec.workload(col, "newton", lambda: peers.newton_numpy(nv, harness.TOL), repeat=5)
    rec.empty["NumPy"] = dict(error="no loop construct of its own")
    return "NumPy " + np.__version__
