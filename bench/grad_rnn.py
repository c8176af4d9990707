"""SPEC §6 `grad_rnn`: the gradient of reduce_sum(h_T) of the `rnn` workload with respect to W,
U and b, in xautograph (staged: the tape inside `ag.function`; eager: the tape over eager ops)
and in PyTorch eager (`loss.backward()`), each forward-only and forward+backward.

    PYTHONPATH=build/python /usr/bin/python3 bench/grad_rnn.py [--quick] [--no-peers] [--repeat N]

Sizes are the rnn workload's (T=50, B=64, D=256 float32; --quick: harness.sizes(quick)), the
inputs harness.make_data's. As in bench/workloads/run.py each system runs in a process of its
own (worker.py's CPU binding, run.py's one-thread environment); PyTorch comes from the benchmark
venv ($XAG_BENCH_VENV, default bench/.venv), falling back to Debian's python3-torch. Times are
the best of --repeat calls after a warm-up call, a system's columns taking turns. The exit status is 1 when xautograph fails or
the gradients of any two columns differ beyond rtol 1e-4 (float32)."""
import argparse
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "workloads"))

RTOL = 1e-4
SYSTEMS = {"xautograph": ["debian"], "torch": ["venv", "debian"]}
COLUMNS = [  # (system, label, forward key, forward+backward key)
    ("xautograph", "xautograph staged", "staged_fwd", "staged_bwd"),
    ("xautograph", "xautograph eager tape", "eager_fwd", "eager_bwd"),
    ("torch", "PyTorch eager", "torch_fwd", "torch_bwd"),
]


# ---- the systems (each runs in its worker process) ---------------------------------------------

def xautograph_columns(data, steps):
    """{key: (fn, kind)} for xautograph; fn() returns (loss, dW, dU, db) or the loss alone."""
    import autograph as ag

    def rnn(x, w, u, b, steps):
        h = ag.zeros((x.shape[1], w.shape[1]), ag.float32)
        for t in ag.range(steps):
            h = ag.tanh(ag.matmul(x[t], w) + ag.matmul(h, u) + b)
        return h

    def forward(x, w, u, b, steps):
        return ag.reduce_sum(rnn(x, w, u, b, steps))

    def forward_backward(x, w, u, b, steps):
        with ag.GradientTape() as tape:
            tape.watch([w, u, b])
            loss = forward(x, w, u, b, steps)
        dw, du, db = tape.gradient(loss, [w, u, b])
        return loss, dw, du, db

    args = [ag.constant(data[k]) for k in ("rx", "rw", "ru", "rb")] + [ag.constant(steps)]
    staged_fwd, staged_bwd = ag.function(forward), ag.function(forward_backward)
    return {
        "staged_fwd": lambda: staged_fwd(*args),
        "staged_bwd": lambda: staged_bwd(*args),
        "eager_fwd": lambda: forward(*args),
        "eager_bwd": lambda: forward_backward(*args),
    }, "xautograph (this build), XAG_NUM_THREADS=1"


def torch_columns(data, steps):
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    x = torch.from_numpy(data["rx"])
    params = [torch.from_numpy(data[k]).clone() for k in ("rw", "ru", "rb")]

    def forward(w, u, b):
        h = torch.zeros(x.shape[1], w.shape[1])
        for t in range(steps):
            h = torch.tanh(x[t] @ w + h @ u + b)
        return h.sum()

    def forward_only():
        with torch.no_grad():
            return forward(*params)

    def forward_backward():
        leaves = [p.detach().requires_grad_(True) for p in params]
        loss = forward(*leaves)
        loss.backward()
        return (loss.detach(),) + tuple(p.grad for p in leaves)

    return {"torch_fwd": forward_only, "torch_bwd": forward_backward}, \
        f"PyTorch {torch.__version__} eager, torch.set_num_threads(1)"


def worker_main(system, data_path, out, quick, repeat):
    import json
    import time

    import worker  # noqa: F401 - binds this process to one CPU on import, before torch loads
    import harness
    import numpy as np

    with np.load(data_path) as f:
        data = {k: f[k] for k in f.files}
    steps = harness.sizes(quick)["T"]
    columns, version = (xautograph_columns if system == "xautograph" else torch_columns)(
        data, steps)
    times, first, results = {}, {}, {}
    for key, fn in columns.items():
        t0 = time.perf_counter()
        value = fn()  # the warm-up call: tracing and optimizing for the staged columns
        first[key] = time.perf_counter() - t0
        values = value if isinstance(value, tuple) else (value,)
        for name, v in zip(("loss", "dW", "dU", "db"), values):
            results[f"{key}/{name}"] = np.asarray(v.numpy() if hasattr(v, "numpy") else v)
    # The columns take turns, so a burst of load on a shared machine slows all of them alike
    # rather than whichever happened to be running (the ratios are what this table is for).
    for _ in range(repeat):
        for key, fn in columns.items():
            t = harness.best(fn, 1)
            times[key] = min(times.get(key, t), t)
    with open(out + ".json", "w") as f:
        json.dump(dict(times=times, first=first, version=version, cpu=worker.CPU), f)
    np.savez(out + ".npz", **results)


# ---- the driver ---------------------------------------------------------------------------------

def run_system(system, data_path, tmp, opts):
    """(report dict, results dict) or (dict(fatal=why), {}) after trying each interpreter."""
    import json

    import numpy as np
    import run

    extra = ["--repeat", str(opts.repeat)] + (["--quick"] if opts.quick else [])
    out, why = run.run_script_worker(__file__, system, SYSTEMS[system], data_path, tmp, extra)
    if out is None:
        return dict(fatal=why), {}
    with open(out + ".json") as f:
        rep = json.load(f)
    with np.load(out + ".npz") as f:
        return rep, {k: f[k] for k in f.files}


def compare(results, a, b):
    """max |a - b| / max |b| over loss, dW, dU, db, and whether every element is within RTOL."""
    import numpy as np

    worst, ok = 0.0, True
    for name in ("loss", "dW", "dU", "db"):
        x, y = results[f"{a}/{name}"], results[f"{b}/{name}"]
        scale = float(np.max(np.abs(y))) or 1.0
        worst = max(worst, float(np.max(np.abs(x - y))) / scale)
        ok = ok and np.allclose(x, y, rtol=RTOL, atol=RTOL * scale)
    return worst, ok


def print_report(reports, results, S, repeat):
    print(f"grad_rnn: d reduce_sum(h_T) / d(W, U, b), T={S['T']} B={S['B']} D={S['D']} float32; "
          f"seconds, best of {repeat} after a warm-up call; one thread, one CPU each")
    print(f"{'column':24}{'forward':>12}{'fwd+bwd':>12}{'fwd+bwd/fwd':>14}")
    times = {}
    for system, label, fwd, bwd in COLUMNS:
        rep = reports.get(system)
        if rep is None:
            continue
        if rep.get("fatal"):
            print(f"{label:24}{'-':>12}{'-':>12}{'-':>14}   ({rep['fatal']})")
            continue
        tf, tb = rep["times"][fwd], rep["times"][bwd]
        times[bwd] = tb
        print(f"{label:24}{tf:12.4g}{tb:12.4g}{tb / tf:13.2f}x")
    if "staged_bwd" in times:
        for key, label in (("eager_bwd", "our eager tape"), ("torch_bwd", "PyTorch eager")):
            if key in times:
                print(f"fwd+bwd, {label} / staged: {times[key] / times['staged_bwd']:.2f}x "
                      "(above 1: staged is faster)")
    ours = reports.get("xautograph", {})
    if not ours.get("fatal"):
        print("first call (trace + optimize + one run), staged: forward "
              f"{ours['first']['staged_fwd']:.3g} s, fwd+bwd {ours['first']['staged_bwd']:.3g} s")
    for system, rep in reports.items():
        if not rep.get("fatal"):
            print(f"  {system}: {rep['version']}, bound to CPU {rep['cpu']}")
    pairs = [("staged_bwd", "eager_bwd"), ("staged_bwd", "torch_bwd"), ("eager_bwd", "torch_bwd")]
    all_ok = True
    print(f"gradients (loss, dW, dU, db): max |a - b| / max |b|, elementwise within rtol {RTOL}")
    for a, b in pairs:
        if f"{a}/dW" in results and f"{b}/dW" in results:
            worst, ok = compare(results, a, b)
            all_ok = all_ok and ok
            print(f"  {a[:-4]:>7} vs {b[:-4]:<7} {worst:.2e}  {'ok' if ok else 'DIFFERENT'}")
    return all_ok and not ours.get("fatal")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="the smoke-test sizes of harness.sizes")
    ap.add_argument("--no-peers", action="store_true", help="xautograph only")
    ap.add_argument("--repeat", type=int, default=5, help="timed calls after the warm-up")
    ap.add_argument("--worker", nargs=3, metavar=("SYSTEM", "DATA", "OUT"), help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.worker:
        worker_main(*opts.worker, opts.quick, opts.repeat)
        return 0

    import harness
    import numpy as np

    S = harness.sizes(opts.quick)
    systems = ["xautograph"] if opts.no_peers else list(SYSTEMS)
    reports, results = {}, {}
    with tempfile.TemporaryDirectory(prefix="xag-grad-rnn-") as tmp:
        data_path = os.path.join(tmp, "data.npz")
        data = harness.make_data(S)
        np.savez(data_path, **{k: data[k] for k in ("rx", "rw", "ru", "rb")})
        for system in systems:
            reports[system], found = run_system(system, data_path, tmp, opts)
            results.update(found)
    return 0 if print_report(reports, results, S, opts.repeat) else 1


if __name__ == "__main__":
    sys.exit(main())
