"""Differential testing: a function run as plain Python and staged with ag.function.

Each corpus case gives Python arguments (numbers, NumPy arrays). The plain run calls the
function with them as they are; the staged run passes numbers and arrays as tensors (unless
wrapped in `Py(...)`, which stays a Python value: an unrolled loop count, a flag). Results are
compared as NumPy values, printed output line by line (numbers with a float32 tolerance), and
errors by kind (a failing `assert` is AssertionError in Python and ag.InvalidArgumentError from
the graph)."""
import re

import numpy as np

import autograph as ag

CASES = []


class Py:
    """An argument that stays a Python value in the staged call."""

    def __init__(self, value):
        self.value = value


def case(*args, **options):
    """Registers the decorated function with one argument list (stackable)."""
    def register(fn):
        CASES.append((fn, args, options))
        return fn

    return register


def plain_args(args):
    return [a.value if isinstance(a, Py) else a for a in args]


def staged_args(args):
    out = []
    for a in args:
        if isinstance(a, Py):
            out.append(a.value)
        elif isinstance(a, (bool, int, float, np.ndarray, np.generic)):
            out.append(ag.constant(a))
        else:
            out.append(a)
    return out


def to_numpy(x):
    if isinstance(x, (tuple, list)):
        return type(x)(to_numpy(v) for v in x)
    if isinstance(x, dict):
        return {k: to_numpy(v) for k, v in x.items()}
    if isinstance(x, ag.Variable):
        return x.numpy()
    if isinstance(x, ag.Tensor):
        return x.numpy()
    return x


def assert_close(staged, plain, path="result"):
    if isinstance(plain, (tuple, list)):
        assert isinstance(staged, (tuple, list)) and len(staged) == len(plain), (path, staged,
                                                                                 plain)
        for i, (s, p) in enumerate(zip(staged, plain)):
            assert_close(s, p, f"{path}[{i}]")
        return
    if isinstance(plain, dict):
        assert set(staged) == set(plain), path
        for k in plain:
            assert_close(staged[k], plain[k], f"{path}[{k!r}]")
        return
    if isinstance(staged, bytes) and isinstance(plain, str):
        staged = staged.decode()  # a staged string comes back as bytes (TensorFlow's .numpy())
    if isinstance(plain, bytes) and isinstance(staged, str):
        plain = plain.decode()
    if plain is None or isinstance(plain, str):
        assert staged == plain, (path, staged, plain)
        return
    s, p = np.asarray(staged), np.asarray(plain)
    assert s.shape == p.shape, (path, s.shape, p.shape)
    if p.dtype.kind in "fc" or s.dtype.kind in "fc":
        np.testing.assert_allclose(s.astype(np.float64), p.astype(np.float64), rtol=2e-5,
                                   atol=1e-5, err_msg=path)
    else:
        np.testing.assert_array_equal(s, p, err_msg=path)


_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|True|False")


def assert_same_output(staged, plain):
    s_lines, p_lines = staged.splitlines(), plain.splitlines()
    assert len(s_lines) == len(p_lines), (staged, plain)
    for s, p in zip(s_lines, p_lines):
        if s == p:
            continue
        # Numbers may print differently (float32 vs float64 digits, "3" vs "3.0").
        assert _NUMBER.sub("#", s) == _NUMBER.sub("#", p), (s, p)
        for a, b in zip(_NUMBER.findall(s), _NUMBER.findall(p)):
            if a in ("True", "False") or b in ("True", "False"):
                assert a == b, (s, p)
            else:
                assert abs(float(a) - float(b)) <= 1e-4 * max(1.0, abs(float(b))), (s, p)


def same_error(staged_exc, plain_exc):
    if isinstance(plain_exc, AssertionError):
        return isinstance(staged_exc, (ag.InvalidArgumentError, AssertionError))
    if isinstance(plain_exc, (ZeroDivisionError, IndexError)):
        return isinstance(staged_exc, (type(plain_exc), ag.InvalidArgumentError))
    return isinstance(staged_exc, type(plain_exc))
