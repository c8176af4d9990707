"""xautograph: staged (`ag.function` of workloads.py's functions) and eager (the same source on
eager tensors, Python control flow). One thread: XAG_NUM_THREADS=1 (set by run.py)."""
import autograph as ag
import conversion
import workloads as W


def staged_call(f, args):
    g = ag.function(f)
    return lambda: g(*args)


def run(rec, data):
    S, T = rec.S, ag.constant
    hx, rx, rw, ru, rb, nv = (data[k] for k in ("hx", "rx", "rw", "ru", "rb", "nv"))
    tol = 1e-3
    rec.pinning.append("XAG_NUM_THREADS=1")
    args = {
        "collatz": lambda: (T(S["collatz"]),),
        "primes": lambda: (T(S["primes"]),),
        "huber": lambda: (T(hx), T(S["huber"])),
        "list": lambda: (T(S["list"], ag.int64),),
        "rnn": lambda: (T(rx), T(rw), T(ru), T(rb), S["T"]),
        "newton": lambda: (T(nv), tol),
    }
    source = dict(collatz=W.collatz, primes=W.primes, huber=W.huber, list=W.squares_list,
                  rnn=W.rnn, newton=W.newton)
    # eager collatz and primes return Python ints (only their loop bound is a tensor)
    to_numpy = lambda r: r.numpy() if hasattr(r, "numpy") else r  # noqa: E731

    # Staged: the first call converts and traces; the table has the calls after it.
    for name, f in source.items():
        a = args[name]()
        rec.workload("staged", name, None, repeat=5, to_numpy=to_numpy,
                     prepare=lambda f=f, a=a: staged_call(f, a))

    # Eager: collatz, primes and list have only the outer bound as a tensor, so they run mostly
    # Python; huber (a tensor op per element) runs a twentieth of the size, scaled.
    rec.workload("eager", "collatz", lambda: W.collatz(T(S["collatz"])), repeat=1,
                 to_numpy=to_numpy)
    rec.workload("eager", "primes", lambda: W.primes(T(S["primes"])), repeat=2,
                 to_numpy=to_numpy)
    hxt = T(hx)
    rec.workload("eager", "huber", lambda: W.huber(hxt, S["huber"] // 20), repeat=1, scale=20)
    rec.workload("eager", "list", lambda: W.squares_list(T(S["list"], ag.int64)), repeat=2,
                 to_numpy=to_numpy)
    rec.workload("eager", "rnn", lambda: W.rnn(T(rx), T(rw), T(ru), T(rb), S["T"]),
                 to_numpy=to_numpy)
    rec.workload("eager", "newton", lambda: W.newton(T(nv), tol), to_numpy=to_numpy)

    n, n_slow = S["empty_while"], S["empty_while_slow"]
    rec.empty_while("staged", None, n,
                    prepare=lambda: staged_call(W.count_up, (T(n),)))
    rec.empty_while("eager", lambda t=T(n_slow): W.count_up(t), n_slow,
                    note="a tensor comparison per iteration, Python loop")

    rec.lines += conversion.conversion_timings()
    return "xautograph (this build)"
