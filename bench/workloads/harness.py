"""What every system's worker process shares: timing, per-workload time limits, the record of
times, first calls, results and failures that the worker hands back to run.py, and loading
workloads.py with `ag` bound to another system's ops.

One Recorder per worker process; `Recorder.workload` times one cell of the table and never lets a
failure escape (the cell becomes '-' with the reason)."""
import contextlib
import importlib.util
import os
import re
import signal
import sys
import time
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOADS = ["collatz", "primes", "huber", "list", "rnn", "newton", "primes_u", "huber_u"]


def sizes(quick):
    """SPEC §6 sizes (quick: a smoke test), and n for the empty staged `while`."""
    if quick:
        return dict(collatz=2000, primes=2000, huber=20000, list=20000, T=10, B=16, D=64,
                    newton=10000, empty_while=10**4, empty_while_slow=10**3)
    return dict(collatz=20000, primes=20000, huber=200000, list=200000, T=50, B=64, D=256,
                newton=100000, empty_while=10**6, empty_while_slow=10**5)


def make_data(S):
    """The inputs of every workload; run.py writes them once so each process gets the same."""
    rng = np.random.default_rng(0)
    return dict(
        hx=rng.normal(0, 2, S["huber"]).astype(np.float32),
        rx=(rng.normal(0, 1, (S["T"], S["B"], S["D"])) * 0.1).astype(np.float32),
        rw=(rng.normal(0, 1, (S["D"], S["D"])) / np.sqrt(S["D"])).astype(np.float32),
        ru=(rng.normal(0, 1, (S["D"], S["D"])) / np.sqrt(S["D"])).astype(np.float32),
        rb=np.zeros((S["D"],), np.float32),
        nv=rng.uniform(1, 100, S["newton"]).astype(np.float32),
    )


TOL = 1e-3  # newton's tolerance


def namespace(**ops):
    """A module standing for `autograph` in workloads.py: ag.<name> is ops[name]. A module, not
    a plain object, because TensorFlow's AutoGraph only resolves directives such as
    ag.set_element_type through module attributes."""
    module = types.ModuleType("autograph")
    module.__dict__.update(ops)
    return module


def load_workloads(ag_namespace):
    """workloads.py as a fresh module whose `import autograph as ag` binds ag_namespace: how the
    very same plain-Python functions run under TensorFlow, JAX or torch.compile (the namespace
    maps ag.tanh to tf.tanh, jnp.tanh, ...). Registered as sys.modules['workloads'] so that
    tools which read the source back (TensorFlow's AutoGraph) find it."""
    spec = importlib.util.spec_from_file_location("workloads", os.path.join(HERE, "workloads.py"))
    module = importlib.util.module_from_spec(spec)
    saved = sys.modules.get("autograph")
    sys.modules["autograph"] = ag_namespace
    try:
        spec.loader.exec_module(module)
    finally:
        if saved is None:
            del sys.modules["autograph"]
        else:
            sys.modules["autograph"] = saved
    sys.modules["workloads"] = module
    return module


def bound(f, *args):
    """fn() for Recorder: f applied to args (prepare= returns one after compiling f)."""
    return lambda: f(*args)


class TimeLimit(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds):
    """Raises TimeLimit in the Python code running after `seconds` (a native loop that never
    returns to Python is only stopped when it does)."""
    def alarm(signum, frame):
        raise TimeLimit(f"over the {seconds:.0f} s limit")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def best(fn, repeat=3, budget=20.0):
    """Best wall time of fn() over `repeat` runs (fewer when the runs take over `budget` s)."""
    times = []
    start = time.perf_counter()
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - start > budget:
            break
    return min(times)


def reason(e):
    """One line saying why e happened. TensorFlow's errors raised in converted code start with
    the user's traceback ("in user code: ..."); their last "XxxError: ..." line is the cause."""
    lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
    causes = [ln for ln in lines if re.match(r"\w+(Error|Exception): ", ln)]
    if causes:
        return causes[-1][:200]
    text = " ".join(" ".join(lines).split())
    return f"{type(e).__name__}: {text[:160]}" if text else type(e).__name__


class Recorder:
    """The worker's results: run.py reads them back from JSON (times) and .npz (results)."""

    def __init__(self, quick):
        self.quick = quick
        self.S = sizes(quick)
        self.limit = 60.0 if quick else 300.0  # per cell: first call and the timed calls
        self.cells = {}  # column -> workload -> dict(time, approx, first, note, variant)
        self.errors = {}  # column -> workload -> reason
        self.empty = {}  # column -> dict(n, us, note) or dict(error)
        self.results = {}  # "column/workload" -> array
        self.lines = []  # printed by run.py after the tables
        self.pinning = []  # how this process pins its threads

    def workload(self, col, name, fn, *, prepare=None, repeat=3, scale=1.0, note=None,
                 variant=False, warmups=0, to_numpy=np.asarray, settle=None, extra=None):
        """Times fn() (one run of workload `name`): the first call (with prepare(), the
        decoration or compilation, if given) in its own column, then the best of `repeat`.
        scale != 1: fn runs a smaller size and the time is scaled (marked '~', no result kept).
        variant: fn is not the same source as workloads.py (hand-written control flow).
        settle(): called after the first call, untimed (e.g. waits for a JIT's native code);
        extra(): a dict of more fields for the cell, taken after the timed runs."""
        try:
            with time_limit(self.limit):
                t0 = time.perf_counter()
                if prepare is not None:
                    fn = prepare()
                out = fn()
                first = time.perf_counter() - t0
                if settle is not None:
                    settle()
                for _ in range(warmups):
                    fn()
                t = best(fn, repeat)
        except Exception as e:  # noqa: BLE001 - a failing cell is reported, not fatal
            self.errors.setdefault(col, {})[name] = reason(e)
            return None
        cell = dict(time=t * scale, approx=scale != 1.0, first=first, note=note, variant=variant)
        if extra is not None:
            cell.update(extra())
        self.cells.setdefault(col, {})[name] = cell
        if scale == 1.0:
            try:
                self.results[f"{col}/{name}"] = np.asarray(to_numpy(out))
            except Exception as e:  # noqa: BLE001
                cell["note"] = (note + "; " if note else "") + f"result not kept: {reason(e)}"
        return out

    def fail(self, col, name, why):
        self.errors.setdefault(col, {})[name] = why

    def empty_while(self, col, fn, n, *, prepare=None, note=None, repeat=3):
        """Per-iteration cost of `i = 0; while i < n: i += 1` (fn() runs it for this n)."""
        try:
            with time_limit(self.limit):
                if prepare is not None:
                    fn = prepare()
                fn()
                t = best(fn, repeat)
            self.empty[col] = dict(n=n, us=t / n * 1e6, note=note)
        except Exception as e:  # noqa: BLE001
            self.empty[col] = dict(error=reason(e))

    def to_json(self):
        return dict(cells=self.cells, errors=self.errors, empty=self.empty, lines=self.lines,
                    pinning=self.pinning)
