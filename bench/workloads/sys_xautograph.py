"""xautograph: staged (`ag.function` of workloads.py's functions; timed once its graph runs
native code from the LLVM JIT, and again with jit=False: the interpreter) and eager (the same
source on eager tensors, Python control flow). One thread: XAG_NUM_THREADS=1 (set by run.py)."""
import time

import autograph as ag
import conversion
import workloads as W


def staged_call(f, args):
    g = ag.function(f)
    return lambda: g(*args)


class Staged:
    """prepare/settle/extra of Recorder.workload for one staged workload."""

    def __init__(self, f, args, jit=True):
        self.f, self.args, self.jit, self.g = f, args, jit, None

    def prepare(self):
        self.g = ag.function(self.f, jit=self.jit)
        return lambda: self.g(*self.args)

    def settle(self):
        """Waits (untimed, at most 30 s) while the JIT compiles in the background."""
        deadline = time.perf_counter() + 30
        while (self.g.execution_tier(*self.args)["reason"] == "compiling"
               and time.perf_counter() < deadline):
            time.sleep(0.002)

    def extra(self):
        return dict(jit=self.g.execution_tier(*self.args))


def paired(args, source, to_numpy, rounds=10):
    """Staged against eager for the workloads that run the same tensor ops both ways (rnn,
    newton), one call of each in turn, so that a change in the machine's load during the run
    (which the table's cells, taken minutes apart, cannot tell from a real difference) weighs on
    both alike. Returns the lines to print."""
    lines = ["\nstaged vs eager, alternating calls (best of %d each), seconds" % rounds]
    for name in ("rnn", "newton"):
        a = args[name]()
        g = ag.function(source[name])
        to_numpy(g(*a))
        best_s = best_e = float("inf")
        for _ in range(rounds):
            t0 = time.perf_counter()
            g(*a)
            t1 = time.perf_counter()
            source[name](*a)
            t2 = time.perf_counter()
            best_s, best_e = min(best_s, t1 - t0), min(best_e, t2 - t1)
        lines.append("  %-8s staged %.4g   eager %.4g   staged/eager %.2f"
                     % (name, best_s, best_e, best_s / best_e))
    return lines


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
        "primes_u": lambda: (T(S["primes"]),),
        "huber_u": lambda: (T(hx),),
    }
    source = dict(collatz=W.collatz, primes=W.primes, huber=W.huber, list=W.squares_list,
                  rnn=W.rnn, newton=W.newton, primes_u=W.primes_u, huber_u=W.huber_u)
    # eager collatz and primes return Python ints (only their loop bound is a tensor)
    to_numpy = lambda r: r.numpy() if hasattr(r, "numpy") else r  # noqa: E731

    # Staged: the first call converts and traces (and starts the JIT's background compile);
    # the table has the calls after it, once native code runs (see the JIT table).
    for name, f in source.items():
        a = args[name]()
        st = Staged(f, a)
        rec.workload("staged", name, None, repeat=5, to_numpy=to_numpy, prepare=st.prepare,
                     settle=st.settle, extra=st.extra)
        rec.workload("interpreter", name, None, repeat=5, to_numpy=to_numpy,
                     prepare=Staged(f, a, jit=False).prepare)

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

    rec.lines += paired(args, source, to_numpy)

    n, n_slow = S["empty_while"], S["empty_while_slow"]
    rec.empty_while("staged", None, n,
                    prepare=lambda: staged_call(W.count_up, (T(n),)))
    rec.empty_while("eager", lambda t=T(n_slow): W.count_up(t), n_slow,
                    note="a tensor comparison per iteration, Python loop")

    rec.lines += conversion.conversion_timings()
    return "xautograph (this build)"
