"""The GPU benchmark of issue 14: xautograph on the GPU vs our CPU backend vs PyTorch on the same
GPU, one table. Workloads (bench/workloads/workloads.py's sources where they exist):

- rnn at T=200 B=256 D=1024 (staged: a `for` over T of two matmuls, add, tanh);
- newton on 10M float32 elements (a staged while whose predicate is a reduction);
- grad_rnn: forward + GradientTape backward of reduce_sum(rnn) at T=50 B=256 D=1024;
- one train_digits epoch and one Fashion-MNIST epoch (MLP, Adam, batch 64: bench/train_digits.py);
- the empty staged `while` (count_up): time per iteration (goal < 5 us on the GPU).

    PYTHONPATH=build/python /usr/bin/python3 bench/gpu.py [--quick] [--no-cpu] [--no-fashion]

Times are the best of --repeat calls after one warm-up call; every call ends by reading its
result on the host, so queued GPU work is included. The empty while must run as a CUDA graph with
a conditional node (checked through the run's device_loops counter). Exit status 2 when there is
no GPU, 1 when a row or a cell failed."""
import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "workloads"))
sys.path.insert(0, HERE)

import autograph as ag  # noqa: E402
import runtime_bench  # noqa: E402
from workloads import count_up, newton, rnn  # noqa: E402


def best(fn, repeat):
    fn()  # warm-up: tracing, compiling, NVRTC, cuBLAS handles
    return runtime_bench.best(fn, repeat)


def torch_cuda():
    try:
        import torch
    except ImportError:
        return None
    return torch if torch.cuda.is_available() else None


# ---- workloads: {column: fn} -------------------------------------------------------------------

def rnn_case(opts, devices, torch):
    T, B, D = (20, 64, 256) if opts.quick else (200, 256, 1024)
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((T, B, D)) * 0.1).astype(np.float32)
    w, u = ((rng.standard_normal((D, D)) / np.sqrt(D)).astype(np.float32) for _ in range(2))
    b = np.zeros(D, np.float32)
    cols = {}
    for dev in devices:
        f = ag.function(rnn, device=dev)
        cols[f"xag {dev}"] = lambda f=f: f(x, w, u, b, T).numpy()
    if torch:
        tx, tw, tu, tb = (torch.from_numpy(a).cuda() for a in (x, w, u, b))

        def run():
            h = torch.zeros((B, D), device="cuda")
            for t in range(T):
                h = torch.tanh(tx[t] @ tw + h @ tu + tb)
            return h.cpu()
        cols["torch cuda"] = run
    return f"rnn T={T} B={B} D={D}", cols


def newton_case(opts, devices, torch):
    n = 100_000 if opts.quick else 10_000_000
    v = np.random.default_rng(1).uniform(1.0, 100.0, n).astype(np.float32)
    cols = {}
    for dev in devices:
        f = ag.function(newton, device=dev)
        cols[f"xag {dev}"] = lambda f=f: f(v, 1e-3).numpy()
    if torch:
        tv = torch.from_numpy(v).cuda()

        def run():
            x = tv
            while (x * x - tv).abs().max() > 1e-3:
                x = 0.5 * (x + tv / x)
            return x.cpu()
        cols["torch cuda"] = run
    return f"newton n={n}", cols


def grad_rnn_case(opts, devices, torch):
    T, B, D = (10, 64, 256) if opts.quick else (50, 256, 1024)
    rng = np.random.default_rng(2)
    x = (rng.standard_normal((T, B, D)) * 0.1).astype(np.float32)
    w, u = ((rng.standard_normal((D, D)) / np.sqrt(D)).astype(np.float32) for _ in range(2))
    b = np.zeros(D, np.float32)

    def fwd_bwd(x, w, u, b):
        with ag.GradientTape() as tape:
            tape.watch([w, u, b])
            loss = ag.reduce_sum(rnn(x, w, u, b, T))
        return tape.gradient(loss, [w, u, b])

    cols = {}
    for dev in devices:
        f = ag.function(fwd_bwd, device=dev)
        cols[f"xag {dev}"] = lambda f=f: [g.numpy() for g in f(ag.constant(x), ag.constant(w),
                                                               ag.constant(u), ag.constant(b))]
    if torch:
        tx = torch.from_numpy(x).cuda()
        params = [torch.from_numpy(a).cuda().requires_grad_() for a in (w, u, b)]

        def run():
            tw, tu, tb = params
            h = torch.zeros((B, D), device="cuda")
            for t in range(T):
                h = torch.tanh(tx[t] @ tw + h @ tu + tb)
            grads = torch.autograd.grad(h.sum(), params)
            return [g.cpu() for g in grads]
        cols["torch cuda"] = run
    return f"grad_rnn T={T} B={B} D={D}", cols


def epoch_case(name, x, y, devices, torch):
    import train_digits

    rng = np.random.default_rng(0)
    init = train_digits.glorot(rng, x.shape[1], 128) + train_digits.glorot(rng, 128, 10)
    makers, _ = train_digits.xautograph_columns(["staged"])
    cols = {}
    for dev in devices:
        with ag.device(dev):
            epoch, _ = makers["staged"](x, y, init)

        def run(epoch=epoch, dev=dev):
            with ag.device(dev):
                return epoch()
        cols[f"xag {dev}"] = run
    if torch:
        tx, ty = torch.from_numpy(x).cuda(), torch.from_numpy(y).long().cuda()
        model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 128), torch.nn.ReLU(),
                                    torch.nn.Linear(128, 10)).cuda()
        opt = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
        loss_fn = torch.nn.CrossEntropyLoss()

        def run():
            order = torch.randperm(len(ty), device="cuda")
            for i in range(0, len(ty), train_digits.BATCH):
                idx = order[i:i + train_digits.BATCH]
                loss = loss_fn(model(tx[idx]), ty[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
            return float(loss)
        cols["torch cuda"] = run
    return name, cols


def digits_case(opts, devices, torch):
    from autograph.keras.datasets import digits

    (x, y), _ = digits.load_data()
    return epoch_case("train_digits epoch", x.reshape(len(x), -1).astype(np.float32),
                      y.astype(np.int32), devices, torch)


def fashion_case(opts, devices, torch):
    from autograph.keras.datasets import fashion_mnist

    (x, y), _ = fashion_mnist.load_data()
    n = 6000 if opts.quick else len(y)
    x = x[:n].reshape(n, -1).astype(np.float32) / 255.0
    return epoch_case(f"fashion_mnist epoch n={n}", x, y[:n].astype(np.int32), devices, torch)


def device_loops_used(f, n):
    """How many while loops of one call of `f` ran whole on the device (a CUDA graph with a
    conditional node) rather than host-driven (then XAG_CUDA_LOG=1 says why)."""
    stats = {}
    f.get_concrete_function(ag.constant(n)).run([ag.constant(n)], stats)
    return stats.get("device_loops", 0)


def while_case(opts, devices, torch):
    n = 10_000 if opts.quick else 100_000
    cols = {}
    for dev in devices:
        f = ag.function(count_up, device=dev)
        arg = ag.constant(n)
        if dev == "gpu" and device_loops_used(f, n) != 1:
            # The row measures the conditional-node path: a host-driven loop is a failure.
            raise RuntimeError("the empty while did not run as a CUDA graph (XAG_CUDA_LOG=1 "
                               "prints why)")
        cols[f"xag {dev}"] = lambda f=f, arg=arg: int(f(arg))
    if torch:
        def run():  # the same loop with the counter on the GPU (PyTorch reads it back each time)
            i = torch.zeros((), dtype=torch.int32, device="cuda")
            while i < n:
                i += 1
            return int(i)
        cols["torch cuda"] = run
    return f"empty while, per iteration (n={n})", cols, n


# ---- the table ---------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-cpu", dest="cpu", action="store_false")
    ap.add_argument("--no-fashion", dest="fashion", action="store_false")
    ap.add_argument("--repeat", type=int, default=3)
    opts = ap.parse_args()
    if "gpu:0" not in ag.list_devices():
        print(f"bench/gpu.py: no GPU (devices: {ag.list_devices()}): not run on a GPU")
        return 2
    devices = ["gpu"] + (["cpu"] if opts.cpu else [])
    torch = torch_cuda()
    cases = [rnn_case, newton_case, grad_rnn_case, digits_case]
    if opts.fashion:
        cases.append(fashion_case)
    cases.append(while_case)
    columns = [f"xag {d}" for d in devices] + (["torch cuda"] if torch else [])
    gpu_name = torch.cuda.get_device_name(0) if torch else "gpu:0"
    print(f"\nGPU benchmark on {gpu_name} (best of {opts.repeat}, seconds; while: us/iteration)")
    print(f"{'workload':40s}" + "".join(f"{c:>14s}" for c in columns) + f"{'gpu vs torch':>14s}")
    status = 0  # 1 when a row or a cell failed: gpu-check.sh must not pass over it
    for case in cases:
        try:
            out = case(opts, devices, torch)
        except Exception as e:  # a missing dataset must not hide the other rows
            print(f"{case.__name__:40s} skipped: {type(e).__name__}: {e}")
            # No network or no torch: a skip; anything else fails the run.
            if not isinstance(e, (OSError, ImportError)):
                status = 1
            continue
        name, cols = out[0], out[1]
        scale = 1e6 / out[2] if len(out) > 2 else 1.0
        row = {}
        for c in columns:
            if c in cols:
                try:
                    row[c] = best(cols[c], opts.repeat) * scale
                except Exception as e:
                    print(f"  {name}: {c} failed: {type(e).__name__}: {e}")
                    status = 1
        cells = "".join(f"{row[c]:14.4f}" if c in row else f"{'-':>14s}" for c in columns)
        ratio = (f"{row['torch cuda'] / row['xag gpu']:13.2f}x" if "torch cuda" in row
                 and "xag gpu" in row else f"{'-':>14s}")
        print(f"{name:40s}{cells}{ratio}")
    return status


if __name__ == "__main__":
    sys.exit(main())
