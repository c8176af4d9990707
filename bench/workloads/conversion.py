"""SPEC issue 4's conversion targets: `_core.convert` of a 50-line function, and the first call
of it (convert + trace + optimize + run), in the xautograph worker's process."""
import os
import textwrap
import time

import numpy as np

import autograph as ag


FIFTY_LINES = textwrap.dedent('''
    def fifty(x, n):
        total = 0
        i = 0
        while i < n:
            if x > 0:
                total += i
            elif x < -10:
                total -= i
            else:
                total += 1
            j = 0
            while j < 3:
                if (i + j) % 2 == 0:
                    total += j
                else:
                    total -= 1
                j += 1
            i += 1
        for k in range(n):
            if k % 3 == 0:
                continue
            if k > 100:
                break
            total += k
        y = total * 2 if total > 0 else -total
        z = 0
        while z < 5 and y > 0:
            y = y // 2
            z += 1
        assert z >= 0, "never"
        acc = []
        for q in range(4):
            acc.append(q * z)
        s = 0
        for v in acc:
            s += v
        if s > 10 and z < 3:
            s = s - 1
        elif s < 0 or z > 100:
            s = 0
        m = 0
        while m < 2:
            m += 1
            if m == 1:
                continue
            s += m
        if not (s > 0):
            s = 1
        w = abs(s) + len(acc)
        return total + y + z + s + w
''')


def conversion_timings():
    from autograph import _core
    from autograph.impl import conversion

    src = FIFTY_LINES
    n_lines = len(src.strip().splitlines())
    best_convert = min(_timed(lambda: _core.convert(src, "fifty", "<bench>"))
                       for _ in range(50))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_fifty_generated.py")
    with open(path, "w") as f:
        f.write(src)
    ns = {}
    exec(compile(src, path, "exec"), ns)
    firsts = []
    for _ in range(5):
        fn = ns["fifty"]
        fresh = type(fn)(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, None)
        conversion._code_cache.clear()
        t0 = time.perf_counter()
        ag.function(fresh)(ag.constant(3), ag.constant(20))
        firsts.append(time.perf_counter() - t0)
    os.remove(path)
    return [f"convert a {n_lines}-line function (_core.convert): {best_convert * 1e3:.3f} ms "
            "(target < 1 ms)",
            f"first call of it (convert + trace + optimize + run): {min(firsts) * 1e3:.2f} ms "
            f"best, {np.median(firsts) * 1e3:.2f} ms median (target < 20 ms)"]


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0
