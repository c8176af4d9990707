"""TorchScript (`torch.jit.script`): type-annotated copies of workloads.py's functions (script
needs the annotations: an unannotated argument is a Tensor). From the venv's PyTorch while it
still has torch.jit.script, else Debian's python3-torch (run.py retries with /usr/bin/python3).
One thread: torch.set_num_threads(1), set_num_interop_threads(1). First call = scripting + the
two profiling runs after which the executor has optimized the graph."""
import warnings

import harness


def annotated(torch):
    """The functions to script (scripted one at a time, so each first call has its own)."""
    def collatz_ts(n: int) -> int:
        total = 0
        i = 1
        while i <= n:
            x = i
            steps = 0
            while x != 1:
                if x % 2 == 0:
                    x = x // 2
                else:
                    x = 3 * x + 1
                steps += 1
            total += steps
            i += 1
        return total

    def primes_ts(n: int) -> int:
        count = 0
        k = 2
        while k <= n:
            d = 2
            is_prime = 1
            while d * d <= k:
                if k % d == 0:
                    is_prime = 0
                    break
                d += 1
            count += is_prime
            k += 1
        return count

    def huber_ts(x: torch.Tensor, n: int) -> float:
        total = 0.0
        for i in range(n):
            a = float(x[i])
            if abs(a) <= 1.0:
                total += 0.5 * a * a
            else:
                total += abs(a) - 0.5
        return total

    def list_ts(n: int) -> torch.Tensor:
        out: list[int] = []
        for i in range(n):
            out.append(i * i)
        return torch.tensor(out)

    def rnn_ts(x: torch.Tensor, w: torch.Tensor, u: torch.Tensor, b: torch.Tensor,
               steps: int) -> torch.Tensor:
        h = torch.zeros(x.shape[1], w.shape[1])
        for t in range(steps):
            h = torch.tanh(x[t] @ w + h @ u + b)
        return h

    def newton_ts(v: torch.Tensor, tol: float) -> torch.Tensor:
        x = v
        while bool(torch.max(torch.abs(x * x - v)) > tol):
            x = 0.5 * (x + v / x)
        return x

    def count_up_ts(n: int) -> int:
        i = 0
        while i < n:
            i += 1
        return i

    return dict(collatz=collatz_ts, primes=primes_ts, huber=huber_ts, list=list_ts,
                rnn=rnn_ts, newton=newton_ts, count_up=count_up_ts)


def run(rec, data):
    import torch

    if not hasattr(torch.jit, "script"):
        raise RuntimeError(f"PyTorch {torch.__version__} has no torch.jit.script")
    warnings.filterwarnings("ignore")  # TorchScript's deprecation notices
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    rec.pinning.append(f"torch.set_num_threads(1) -> {torch.get_num_threads()}")
    S, col = rec.S, "TorchScript"
    t = {k: torch.from_numpy(v) for k, v in data.items()}
    args = {
        "collatz": (S["collatz"],), "primes": (S["primes"],), "huber": (t["hx"], S["huber"]),
        "list": (S["list"],), "rnn": (t["rx"], t["rw"], t["ru"], t["rb"], S["T"]),
        "newton": (t["nv"], harness.TOL),
    }
    fns = annotated(torch)

    def prepare(name):
        f, a = torch.jit.script(fns[name]), args[name]
        f(*a)  # the profiling executor optimizes on the second call
        return lambda: f(*a)

    for name in args:  # the six SPEC workloads (not the as-written variants)
        rec.workload(col, name, None, prepare=lambda name=name: prepare(name), warmups=0,
                     to_numpy=lambda r: r.numpy() if hasattr(r, "numpy") else r)
    n = S["empty_while"]
    rec.empty_while(col, None, n,
                    prepare=lambda: harness.bound(torch.jit.script(fns["count_up"]), n),
                    note="int loop in the interpreter")
    return "PyTorch " + torch.__version__
