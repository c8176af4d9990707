"""bench/train_digits.py at its --quick size without peers: the staged epoch (one ag.function
call) and the eager Python loop run the same training from the same weights and the same
shuffled order, so they reach the same test accuracy; the staged epoch is the faster; the
Fashion-MNIST epoch runs too (the PyTorch/JAX columns need the benchmark venv: not tested)."""
import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
ROW = r"^{}\s+(\S+)\s+(\S+)\s+(\S+)$"


def rows(table, label):
    return [tuple(map(float, m.groups())) for m in re.finditer(ROW.format(label), table, re.M)]


def test_train_digits_quick():
    env = dict(os.environ, XAG_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, str(BENCH / "train_digits.py"), "--quick",
                           "--no-peers"], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    digits, fashion = proc.stdout.split("\n\n")
    [(first, staged, staged_accuracy)] = rows(digits, "xautograph staged")
    [(_, eager, eager_accuracy)] = rows(digits, "xautograph eager")
    assert 0 < staged < first  # the first epoch traces and optimizes the graph
    assert staged < eager  # one graph per epoch beats 23 eager steps from Python
    # 3 epochs of the same updates in the same order: the same model up to float rounding
    # (the staged graph fuses element-wise ops), so at most one of the 360 test images differs.
    assert abs(staged_accuracy - eager_accuracy) <= 1.5 / 360 and staged_accuracy > 0.8
    assert re.search(r"eager / staged: \S+x", digits)
    [(_, epoch, accuracy)] = rows(fashion, "xautograph staged")
    assert epoch > 0 and accuracy > 0.7  # 2 epochs on 6,000 images
    assert "PyTorch" not in proc.stdout and "JAX" not in proc.stdout  # --no-peers
