"""Peak memory of staged gradients: what the forward `while` stacks for its backward pass.

    PYTHONPATH=build/python /usr/bin/python3 bench/grad_memory.py [--quick]

Every case runs in a fresh process (one thread, XAG_NUM_THREADS=1) that reports its peak
resident set (resource.getrusage(RUSAGE_SELF).ru_maxrss); a baseline process per workload only
imports autograph and builds the inputs, and is subtracted. Cases:

- scalar loop, n iterations of `y = y * 1.00001 + sin(y) * 1e-6` (float64) over `ag.range(n)`,
  staged: forward only, and forward + backward (the gradient d y_n / d x); n = 100,000 and
  1,000,000 (the difference between the two gives the bytes stored per iteration);
- the same loop eagerly (n = 100,000), without a tape and on the tape, which keeps a record of
  every op (its attributes, inputs and output);
- grad_rnn at bench/grad_rnn.py's sizes (T=50, B=64, D=256 float32): forward only, and
  forward + backward w.r.t. W, U, b.

What a staged `while` stores (runtime/autodiff/grad_while.cpp): each loop variable that changes
from one iteration to the next is pushed onto a stack of its own in every iteration (a packed
tensor list: the element bytes back to back, capacity doubling), and so is each value of the
body that the backward pass would otherwise recompute from a matmul, reduction, softmax, gather
or nested loop; loop invariants are not stacked and elementwise intermediates are recomputed
(the backward loop replays the body). `for i in ag.range(n)` over the scalar loop stacks the
float64 y and the int32 counter: 12 bytes per iteration. The rnn stacks h and tanh(...) (the
result of the matmuls), B x D float32 = 64 KiB each, and its counter.
"""
import argparse
import json
import os
import resource
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "workloads"))


# ---- what one child process runs ----------------------------------------------------------------

def scalar_loop(x, n):
    import autograph as ag

    y = x
    for _ in ag.range(n):
        y = y * 1.00001 + ag.sin(y) * 1e-6
    return y


def with_gradient(fn, sources, *rest):
    import autograph as ag

    with ag.GradientTape() as tape:
        tape.watch(sources)
        y = ag.reduce_sum(fn(*sources, *rest))
    return y, tape.gradient(y, sources)


def rnn(x, w, u, b, steps):
    import autograph as ag

    h = ag.zeros((x.shape[1], w.shape[1]), ag.float32)
    for t in ag.range(steps):
        h = ag.tanh(ag.matmul(x[t], w) + ag.matmul(h, u) + b)
    return h


def rnn_loss_and_grads(w, u, b, x, steps):
    return with_gradient(lambda w_, u_, b_, x_, s_: rnn(x_, w_, u_, b_, s_), [w, u, b], x, steps)


def child(case, n, quick):
    """Runs one case; returns (what it computed, as text)."""
    import autograph as ag
    import numpy as np

    if case.startswith("loop"):
        x, nt = ag.constant(np.float64(0.5)), ag.constant(n)
        if case == "loop_base":
            return "inputs only"
        if case in ("loop_fwd", "loop_eagerfwd"):
            y = (ag.function(scalar_loop) if case == "loop_fwd" else scalar_loop)(x, nt)
            return f"y = {float(y):.6f}"
        if case == "loop_bwd":
            y, (g,) = ag.function(with_gradient)(scalar_loop, [x], nt)
        else:  # loop_eagerbwd: the tape records every op of the Python loop
            y, (g,) = with_gradient(scalar_loop, [x], nt)
        return f"y = {float(y):.6f}, dy/dx = {float(g):.6f}"
    import harness

    S = harness.sizes(quick)
    data = harness.make_data(S)
    x, w, u, b = (ag.constant(data[k]) for k in ("rx", "rw", "ru", "rb"))
    steps = ag.constant(S["T"])
    if case == "rnn_base":
        return "inputs only"
    if case == "rnn_fwd":
        return f"loss = {float(ag.function(rnn)(x, w, u, b, steps).numpy().sum()):.4f}"
    loss, (dw, du, db) = ag.function(rnn_loss_and_grads)(w, u, b, x, steps)
    return f"loss = {float(loss):.4f}, |dW| = {float(np.abs(dw.numpy()).sum()):.4f}"


# ---- the driver ---------------------------------------------------------------------------------

def measure(case, n, quick):
    """(peak RSS in KiB, the child's line) of `case` in a fresh process."""
    import run

    cmd = [sys.executable, os.path.abspath(__file__), "--child", case, "--n", str(n)]
    cmd += ["--quick"] if quick else []
    # Interpreted (XAG_JIT=0): what is measured is the stacks; the LLVM JIT's one-off ~16 MiB
    # (its libraries and code, in whichever processes compile) would swamp the differences.
    env = dict(os.environ, **run.PINNED, XAG_JIT="0")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"{case} failed: {proc.stderr.strip()[-500:]}")
    rep = json.loads(proc.stdout.strip().splitlines()[-1])
    return rep["peak_kib"], rep["line"]


def expected_stack_bytes(case, n, quick):
    """Bytes the forward loop's stacks hold at the end (see the module docstring)."""
    import harness

    if case == "loop_bwd":
        return n * (8 + 4)
    if case == "rnn_bwd":  # h and the tanh of the matmuls, float32, and the counter
        S = harness.sizes(quick)
        return S["T"] * (2 * S["B"] * S["D"] * 4 + 4)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="n = 10,000 / 100,000; quick rnn sizes")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.child:
        line = child(opts.child, opts.n, opts.quick)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        print(json.dumps(dict(peak_kib=peak, line=line)))
        return 0

    small, large = (10_000, 100_000) if opts.quick else (100_000, 1_000_000)
    plan = [("loop_base", small), ("loop_fwd", small), ("loop_bwd", small),
            ("loop_fwd", large), ("loop_bwd", large), ("loop_eagerfwd", small),
            ("loop_eagerbwd", small),
            ("rnn_base", 0), ("rnn_fwd", 0), ("rnn_bwd", 0)]
    print("peak resident memory (ru_maxrss) of a fresh process per case, minus the baseline "
          "process (import autograph + the inputs); MiB")
    print(f"{'case':28}{'n':>9}{'peak':>9}{'-base':>9}{'bwd-fwd':>9}{'stacks':>9}  computed")
    base, fwd, extra = {}, {}, {}
    for case, n in plan:
        peak, line = measure(case, n, opts.quick)
        workload = case.split("_")[0]  # loop or rnn: which baseline
        if case.endswith("_base"):
            base[workload] = peak
        minus = (peak - base[workload]) / 1024
        pair = (workload, "eager" in case, n)  # a fwd+bwd case and its forward-only case
        if case.endswith("fwd"):
            fwd[pair] = peak
        diff = (peak - fwd[pair]) / 1024 if case.endswith("bwd") else None
        if diff is not None:
            extra[pair] = diff
        stacks = expected_stack_bytes(case, n, opts.quick)
        label = {"loop_base": "scalar loop: baseline", "loop_fwd": "scalar loop staged fwd",
                 "loop_bwd": "scalar loop staged fwd+bwd", "loop_eagerfwd": "scalar loop eager fwd",
                 "loop_eagerbwd": "scalar loop eager tape",
                 "rnn_base": "grad_rnn: baseline", "rnn_fwd": "grad_rnn staged fwd",
                 "rnn_bwd": "grad_rnn staged fwd+bwd"}[case]
        print(f"{label:28}{n or '':>9}{peak / 1024:9.1f}{minus:9.2f}"
              f"{'' if diff is None else f'{diff:.2f}':>9}"
              f"{'' if stacks is None else f'{stacks / 2**20:.2f}':>9}  {line}")
    staged_small, staged_large = ("loop", False, small), ("loop", False, large)
    if staged_small in extra and staged_large in extra:
        per_iter = (extra[staged_large] - extra[staged_small]) * 2**20 / (large - small)
        print(f"scalar loop: (bwd - fwd) grows by {per_iter:.1f} bytes per iteration from "
              f"n = {small} to {large} (the stacks hold 12: 8 for y, 4 for the counter)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
