"""The NumPy versions of the workloads, and the pure-Python ones of rnn and newton (lists of
floats): the same algorithms in each idiom. bench/runtime_bench.py uses newton_numpy too."""
import math

import numpy as np


# ---- NumPy -------------------------------------------------------------------------------------
def rnn_numpy(x, w, u, b, steps):
    h = np.zeros((x.shape[1], w.shape[1]), np.float32)
    for t in range(steps):
        h = np.tanh(x[t] @ w + h @ u + b)
    return h


def newton_numpy(v, tol):
    x = v
    while np.max(np.abs(x * x - v)) > tol:
        x = 0.5 * (x + v / x)
    return x


def huber_numpy(x, n):
    a = np.abs(x[:n])
    return float(np.sum(np.where(a <= 1.0, 0.5 * a * a, a - 0.5)))


def list_numpy(n):
    return np.arange(n, dtype=np.int64) ** 2


# ---- Python without ag ops (CPython peer of rnn/newton uses lists of floats) ---------------------
def rnn_cpython(x, w, u, b, steps):
    batch, dim = len(x[0]), len(w[0])
    h = [[0.0] * dim for _ in range(batch)]
    for t in range(steps):
        xt = x[t]
        new = []
        for r in range(batch):
            row = []
            for c in range(dim):
                s = b[c]
                for k in range(len(w)):
                    s += xt[r][k] * w[k][c]
                for k in range(dim):
                    s += h[r][k] * u[k][c]
                row.append(math.tanh(s))
            new.append(row)
        h = new
    return h


def newton_cpython(v, tol):
    x = list(v)
    while max(abs(a * a - b) for a, b in zip(x, v)) > tol:
        x = [0.5 * (a + b / a) for a, b in zip(x, v)]
    return x
