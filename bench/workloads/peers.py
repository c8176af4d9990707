"""The peers' versions of the workloads: NumPy, TorchScript and Numba (same algorithms)."""
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


# ---- TorchScript -------------------------------------------------------------------------------
def torchscript_functions():
    import torch

    @torch.jit.script
    def collatz_ts(n: int) -> int:
        total = 0
        i = 1
        while i <= n:
            x = i
            steps = 0
            while x != 1:
                if x % 2 == 0:
                    x = x // 2
                else:
                    x = 3 * x + 1
                steps += 1
            total += steps
            i += 1
        return total

    @torch.jit.script
    def primes_ts(n: int) -> int:
        count = 0
        k = 2
        while k <= n:
            d = 2
            is_prime = 1
            while d * d <= k:
                if k % d == 0:
                    is_prime = 0
                    break
                d += 1
            count += is_prime
            k += 1
        return count

    @torch.jit.script
    def huber_ts(x: torch.Tensor, n: int) -> float:
        total = 0.0
        for i in range(n):
            a = float(x[i])
            if abs(a) <= 1.0:
                total += 0.5 * a * a
            else:
                total += abs(a) - 0.5
        return total

    @torch.jit.script
    def list_ts(n: int) -> torch.Tensor:
        out: list[int] = []
        for i in range(n):
            out.append(i * i)
        return torch.tensor(out)

    @torch.jit.script
    def rnn_ts(x: torch.Tensor, w: torch.Tensor, u: torch.Tensor, b: torch.Tensor,
               steps: int) -> torch.Tensor:
        h = torch.zeros(x.shape[1], w.shape[1])
        for t in range(steps):
            h = torch.tanh(x[t] @ w + h @ u + b)
        return h

    @torch.jit.script
    def newton_ts(v: torch.Tensor, tol: float) -> torch.Tensor:
        x = v
        while bool(torch.max(torch.abs(x * x - v)) > tol):
            x = 0.5 * (x + v / x)
        return x

    return dict(collatz=collatz_ts, primes=primes_ts, huber=huber_ts, list=list_ts,
                rnn=rnn_ts, newton=newton_ts)


# ---- Numba -------------------------------------------------------------------------------------
def numba_functions():
    import numba

    @numba.njit(cache=False)
    def collatz_nb(n):
        total = 0
        i = 1
        while i <= n:
            x = i
            steps = 0
            while x != 1:
                if x % 2 == 0:
                    x = x // 2
                else:
                    x = 3 * x + 1
                steps += 1
            total += steps
            i += 1
        return total

    @numba.njit(cache=False)
    def primes_nb(n):
        count = 0
        k = 2
        while k <= n:
            d = 2
            is_prime = 1
            while d * d <= k:
                if k % d == 0:
                    is_prime = 0
                    break
                d += 1
            count += is_prime
            k += 1
        return count

    @numba.njit(cache=False)
    def huber_nb(x, n):
        total = 0.0
        for i in range(n):
            a = x[i]
            if abs(a) <= 1.0:
                total += 0.5 * a * a
            else:
                total += abs(a) - 0.5
        return total

    @numba.njit(cache=False)
    def list_nb(n):
        out = []
        for i in range(n):
            out.append(i * i)
        return np.array(out)

    @numba.njit(cache=False)
    def rnn_nb(x, w, u, b, steps):
        h = np.zeros((x.shape[1], w.shape[1]), np.float32)
        for t in range(steps):
            h = np.tanh(x[t] @ w + h @ u + b)
        return h

    @numba.njit(cache=False)
    def newton_nb(v, tol):
        x = v
        half = np.float32(0.5)
        while np.max(np.abs(x * x - v)) > tol:
            x = half * (x + v / x)
        return x

    return dict(collatz=collatz_nb, primes=primes_nb, huber=huber_nb, list=list_nb,
                rnn=rnn_nb, newton=newton_nb)
