"""Runs the SPEC §6 workloads in xautograph (staged and eager) and in every peer, each system in
a process of its own, one thread each; prints the table, the first calls, the cost of an empty
staged `while` per iteration, and checks every result against the plain Python / NumPy ones.

    PYTHONPATH=<build>/python /usr/bin/python3 bench/workloads/run.py [--quick] [--no-peers]
        [--only tensorflow,jax,...]

xautograph, CPython, NumPy run on Debian's /usr/bin/python3; TensorFlow, JAX, torch.compile,
TorchScript and Numba on the benchmark venv's python ($XAG_BENCH_VENV, default bench/.venv
from the repository root; `scripts/install-deps.sh --bench` makes it). TorchScript and Numba
fall back to Debian's python3-torch / python3-numba when the venv lacks them. A system that is
missing or fails leaves its cells '-' with the reason; the run goes on. The exit status is 1
only when the staged results are wrong (or the xautograph process fails)."""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402
import report  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
# system -> interpreters to try in order ("debian": /usr/bin/python3, "venv": the bench venv)
SYSTEMS = {
    "xautograph": ["debian"], "cpython": ["debian"], "numpy": ["debian"],
    "tensorflow": ["venv"], "jax": ["venv"], "torch_compile": ["venv"],
    "torchscript": ["venv", "debian"], "numba": ["venv", "debian"],
}
OURS = ["xautograph", "cpython", "numpy"]
# One thread for every library, set before any of them loads (each system's module also makes
# the in-process calls: torch.set_num_threads, tf.config.threading).
PINNED = {
    "XAG_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1", "JAX_PLATFORMS": "cpu",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false",
    "CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "2",
}


def venv_python():
    venv = os.environ.get("XAG_BENCH_VENV", os.path.join(ROOT, "bench", ".venv"))
    return os.path.join(os.path.abspath(venv), "bin", "python")


def interpreter(kind):
    """(path, None) or (None, why it is missing)."""
    if kind == "debian":
        return "/usr/bin/python3", None
    path = venv_python()
    if os.access(path, os.X_OK):
        return path, None
    return None, f"no benchmark venv at {os.path.dirname(os.path.dirname(path))} " \
                 "(scripts/install-deps.sh --bench makes it; XAG_BENCH_VENV points elsewhere)"


def worker_env(kind, tmp):
    env = dict(os.environ, **PINNED)
    # Inductor's on-disk caches would turn torch.compile's first call into a cache hit on the
    # second run: every run starts from an empty one.
    env["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(tmp, "inductor")
    if kind == "venv":
        env.pop("PYTHONPATH", None)  # the peers never load the product
    return env


def run_worker(system, kind, data_path, tmp, quick):
    """The system's report (dict), with "fatal" set when its process failed as a whole."""
    python, why = interpreter(kind)
    if python is None:
        return dict(fatal=why, python=kind)
    out = os.path.join(tmp, f"{system}-{kind}")
    cmd = [python, os.path.join(HERE, "worker.py"), system, data_path, out]
    cmd += ["--quick"] if quick else []
    limit = 600 if quick else 3600
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=worker_env(kind, tmp), capture_output=True, text=True,
                              timeout=limit)
    except subprocess.TimeoutExpired:
        return dict(fatal=f"process over {limit} s", python=python)
    print(f"  {system} ({kind}): {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    if not os.path.exists(out + ".json"):
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        return dict(fatal=f"exit {proc.returncode}: {tail[-300:]}", python=python)
    with open(out + ".json") as f:
        rep = json.load(f)
    if rep.get("fatal"):
        return rep
    with np.load(out + ".npz") as f:
        rep["results"] = {k: f[k] for k in f.files}
    return rep


def run_script_worker(script, system, kinds, data_path, tmp, extra):
    """Runs `script --worker system data_path out *extra` with the first interpreter of `kinds`
    that works (the standalone benchmarks next to this folder: grad_rnn.py, train_digits.py).
    Returns (out, None), `out` the path prefix of the worker's .json/.npz, or (None, why)."""
    failures = []
    for kind in kinds:
        python, why = interpreter(kind)
        if python is None:
            failures.append(f"{kind}: {why}")
            continue
        out = os.path.join(tmp, f"{system}-{kind}")
        cmd = [python, os.path.abspath(script), "--worker", system, data_path, out, *extra]
        proc = subprocess.run(cmd, env=worker_env(kind, tmp), capture_output=True, text=True,
                              timeout=1800)
        if proc.returncode == 0 and os.path.exists(out + ".json"):
            return out, None
        tail = " | ".join(proc.stderr.strip().splitlines()[-2:])
        failures.append(f"{kind}: exit {proc.returncode}: {tail[-300:]}")
    return None, " / ".join(failures)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    ap.add_argument("--no-peers", action="store_true", help="xautograph, CPython, NumPy only")
    ap.add_argument("--only", help="comma-separated systems: " + ",".join(SYSTEMS))
    opts = ap.parse_args()
    systems = list(SYSTEMS)
    if opts.no_peers:
        systems = OURS
    if opts.only:
        systems = [s for s in opts.only.split(",") if s in SYSTEMS]
    reports, results = {}, {}
    with tempfile.TemporaryDirectory(prefix="xag-bench-") as tmp:
        data_path = os.path.join(tmp, "data.npz")
        np.savez(data_path, **harness.make_data(harness.sizes(opts.quick)))
        print(f"running {len(systems)} systems, one process each:", file=sys.stderr)
        for system in systems:
            failures = []
            for kind in SYSTEMS[system]:
                rep = run_worker(system, kind, data_path, tmp, opts.quick)
                if not rep.get("fatal"):
                    break
                failures.append(f"{kind}: {rep['fatal']}")
            if failures and rep.get("fatal"):
                rep["fatal"] = " / ".join(failures)
            elif failures:
                rep["version"] = rep.get("version", "") + f" (fallback; {failures[0]})"
            results.update(rep.pop("results", {}))
            reports[system] = rep
    staged_ok = report.print_all(reports, results, opts.quick)
    ours = reports.get("xautograph", {})
    if "xautograph" in systems and (ours.get("fatal") or "staged" not in ours.get("cells", {})):
        staged_ok = False
    return 0 if staged_ok else 1


if __name__ == "__main__":
    sys.exit(main())
