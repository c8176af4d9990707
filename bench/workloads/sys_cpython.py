"""CPython: workloads.py's functions on plain ints, floats and lists (rnn and newton: peers.py's
list-of-floats versions). One thread by nature. Runs with `ag` bound to an empty namespace:
nothing here needs the product."""

import harness
import peers


def run(rec, data):
    W = harness.load_workloads(harness.namespace())
    S = rec.S
    col = "CPython"
    rec.workload(col, "collatz", lambda: W.collatz(S["collatz"]), repeat=2)
    rec.workload(col, "primes", lambda: W.primes(S["primes"]), repeat=2)
    hl = data["hx"].tolist()
    rec.workload(col, "huber", lambda: W.huber(hl, S["huber"]), repeat=2)
    rec.workload(col, "list", lambda: W.squares_list_py(S["list"]))
    # rnn: one step of the pure-Python matmuls, scaled to T steps.
    rx, rw, ru, rb = (data[k] for k in ("rx", "rw", "ru", "rb"))
    rxl, rwl, rul, rbl = rx[:1].tolist(), rw.tolist(), ru.tolist(), rb.tolist()
    rec.workload(col, "rnn", lambda: peers.rnn_cpython(rxl, rwl, rul, rbl, 1), repeat=1,
                 scale=S["T"])
    nvl = data["nv"].tolist()
    rec.workload(col, "newton", lambda: peers.newton_cpython(nvl, harness.TOL), repeat=1)
    rec.workload(col, "primes_u", lambda: W.primes_u(S["primes"]), repeat=2)
    rec.workload(col, "huber_u", lambda: W.huber_u(hl), repeat=2)
    n = S["empty_while"]
    rec.empty_while(col, lambda: W.count_up(n), n, note="plain int loop (nothing staged)")
    return "CPython " + ".".join(map(str, __import__("sys").version_info[:3]))
