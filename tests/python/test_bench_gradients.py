"""bench/grad_rnn.py and bench/grad_memory.py at their --quick sizes: they run, their gradient
columns agree, and the memory they report is the stacks a staged `while` keeps for its backward
pass (xautograph only: the PyTorch column needs the benchmark venv and is not tested here)."""
import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def run(script, *args):
    env = dict(os.environ, XAG_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, str(BENCH / script), *args], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_grad_rnn_quick():
    out = run("grad_rnn.py", "--quick", "--no-peers", "--repeat", "2")
    rows = {m.group(1): (float(m.group(2)), float(m.group(3)), float(m.group(4)))
            for m in re.finditer(r"^(xautograph \w+(?: tape)?)\s+(\S+)\s+(\S+)\s+(\S+)x$", out,
                                 re.M)}
    assert set(rows) == {"xautograph staged", "xautograph eager tape"}, out
    for fwd, bwd, ratio in rows.values():
        assert 0 < fwd < bwd and ratio > 1.0  # the backward pass costs something
    assert re.search(r"staged vs eager\s+\S+\s+ok", out), out
    assert "PyTorch" not in out  # --no-peers


def test_grad_memory_quick():
    out = run("grad_memory.py", "--quick")
    mib, extra = {}, {}
    for line in out.splitlines():
        m = re.match(r"(scalar loop \S+(?: \S+)?|grad_rnn staged \S+)\s+(\d*)\s+(\S+)\s+(\S+)"
                     r"(?:\s+(\d+\.\d+))?", line)
        if m:
            mib[(m.group(1), m.group(2))] = float(m.group(4))  # minus the baseline
            if m.group(5):
                extra[(m.group(1), m.group(2))] = float(m.group(5))  # bwd - fwd
    assert mib[("scalar loop staged fwd+bwd", "100000")] > mib[("scalar loop staged fwd",
                                                                "100000")]
    # The forward loop stacks y (float64) and its counter (int32): 12 bytes per iteration.
    # Measured in resident pages between n = 10,000 and 100,000, the stacks' spare capacity
    # (grown by doubling) and the allocator's pages add to that: 18-23 bytes in repeated runs; a
    # copy of the stacks (the backward loop's first pop once made one) would double it, to 30
    # or more.
    per_iter = float(re.search(r"grows by ([\d.]+) bytes per iteration", out).group(1))
    assert 9 <= per_iter <= 26, out
    # The eager tape keeps every op's inputs: what the backward pass adds is far more than the
    # staged stacks. (Compared on the backward pass's own memory: the totals at this size are
    # mostly the tracing and import overhead that both share.)
    assert extra[("scalar loop eager tape", "10000")] > 10 * extra[("scalar loop staged fwd+bwd",
                                                                    "10000")], out
    assert mib[("grad_rnn staged fwd+bwd", "")] >= mib[("grad_rnn staged fwd", "")]
