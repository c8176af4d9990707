"""One system's process: `worker.py SYSTEM DATA.npz OUT [--quick]` runs the workloads in the
system's module (sys_<SYSTEM>.py) and writes OUT.json (times, first calls, failures) and
OUT.npz (results). run.py starts one per system, so that no two systems share a process, a
thread pool or an allocator; the environment run.py passes pins every library to one thread
before anything is imported, and the process is bound to one CPU (XLA's CPU runtime keeps
several busy threads whatever XLA_FLAGS say; on one CPU they share one core's time)."""
import importlib
import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def bind_to_one_cpu():
    """The last CPU this process may use, or $XAG_BENCH_CPU; before any library sizes a pool."""
    cpu = int(os.environ.get("XAG_BENCH_CPU", max(os.sched_getaffinity(0))))
    os.sched_setaffinity(0, {cpu})
    return cpu


CPU = bind_to_one_cpu()

import numpy as np  # noqa: E402

import harness  # noqa: E402


def main():
    system, data_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
    rec = harness.Recorder("--quick" in sys.argv[4:])
    rec.pinning.append(f"bound to CPU {CPU}")
    report = dict(python=sys.executable)
    try:
        module = importlib.import_module(f"sys_{system}")
        with np.load(data_path) as f:
            data = {k: f[k] for k in f.files}
        report["version"] = module.run(rec, data)
    except Exception as e:  # noqa: BLE001 - the system as a whole is missing or broken
        report["fatal"] = harness.reason(e)
        traceback.print_exc()
    report.update(rec.to_json())
    with open(out + ".json", "w") as f:
        json.dump(report, f)
    np.savez(out + ".npz", **rec.results)


if __name__ == "__main__":
    main()
