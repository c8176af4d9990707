"""PyTorch 2 `torch.compile` (default backend, inductor): workloads.py's very functions, loaded
with `ag` bound to torch ops (ag.reduce_max -> torch.max, ag.stack of Python ints ->
torch.tensor, ag.set_element_type -> nothing). Loop bounds are 0-d tensors, as for xautograph's
staged column; rnn's step count is a Python int. Dynamo's counters, read after each first call,
give the graphs it compiled and its graph breaks (a graph break inside a loop makes Dynamo
run the whole frame eagerly). One thread: torch.set_num_threads(1), set_num_interop_threads(1)
(OMP_NUM_THREADS=1 from run.py also covers inductor's C++ kernels)."""
import harness


def run(rec, data):
    import torch
    import torch._dynamo.utils as dynamo_utils

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    rec.pinning.append(f"torch.set_num_threads(1) -> {torch.get_num_threads()}")

    def stack(xs):
        if xs and isinstance(xs[0], torch.Tensor):
            return torch.stack(xs)
        return torch.tensor(xs, dtype=torch.int64)

    W = harness.load_workloads(harness.namespace(
        zeros=lambda shape, dtype: torch.zeros(shape, dtype=dtype), float32=torch.float32,
        int64=torch.int64, tanh=torch.tanh, matmul=torch.matmul, reduce_max=torch.max,
        abs=torch.abs, stack=stack, set_element_type=lambda *a, **k: None))
    S, col, T = rec.S, "torch.compile", torch.tensor
    t = {k: torch.from_numpy(v) for k, v in data.items()}
    cases = [
        ("collatz", W.collatz, (T(S["collatz"]),), 1),
        ("primes", W.primes, (T(S["primes"]),), 1),
        # Dynamo runs huber eagerly (a graph break in its loop): a twentieth, scaled.
        ("huber", W.huber, (t["hx"], T(S["huber"] // 20)), 20),
        ("list", W.squares_list, (T(S["list"]),), 1),
        ("rnn", W.rnn, (t["rx"], t["rw"], t["ru"], t["rb"], S["T"]), 1),
        ("newton", W.newton, (t["nv"], harness.TOL), 1),
    ]
    for name, f, a, scale in cases:
        fresh(torch, dynamo_utils)
        rec.workload(col, name, None, prepare=lambda f=f, a=a: compiled(torch, f, a),
                     scale=scale, repeat=1 if scale != 1 else 3,
                     to_numpy=lambda r: r.numpy() if isinstance(r, torch.Tensor) else r)
        if name in rec.cells.get(col, {}):
            rec.cells[col][name]["note"] = graph_report(dynamo_utils.counters)
    # Every iteration is a graph break whose resume function calls the next one, nested (the
    # traceback of the RecursionError is ~990 frames of torch_dynamo_resume_in_count_up): from
    # n of about 1000 on, the call fails, so n = 500 is tried next.
    tried = []
    for n in (S["empty_while_slow"], 500):
        fresh(torch, dynamo_utils)
        rec.empty_while(col, None, n, prepare=lambda n=n: compiled(torch, W.count_up, (T(n),)),
                        repeat=2)
        if "error" not in rec.empty[col]:
            rec.empty[col]["note"] = "; ".join(tried + [graph_report(dynamo_utils.counters)])
            break
        tried.append(f"n = {n}: {rec.empty[col]['error'][:60]}")
    return "PyTorch " + torch.__version__


def fresh(torch, dynamo_utils):
    """Forget compiled code and counts, so the next first call compiles from nothing (Dynamo
    keeps compiled frames per code object, across torch.compile wrappers)."""
    torch._dynamo.reset()
    dynamo_utils.counters.clear()


def compiled(torch, f, args):
    g = torch.compile(f)
    return lambda: g(*args)


def graph_report(counters):
    """Graphs compiled and graph breaks with their kinds, from Dynamo's counters (PyTorch 2.15
    counts breaks under "unimplemented", earlier releases under "graph_break")."""
    kinds = {}
    for key in ("graph_break", "unimplemented"):
        for why, count in counters.get(key, {}).items():
            kind = str(why).strip().splitlines()[0][:70]
            kinds[kind] = kinds.get(kind, 0) + count
    graphs = counters.get("stats", {}).get("unique_graphs", 0)
    text = f"{graphs} graph(s), {sum(kinds.values())} graph break(s)"
    if kinds:
        text += " (" + "; ".join(f"{k}: {n}" for k, n in kinds.items()) + ")"
    return text
