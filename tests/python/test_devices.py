"""Devices (SPEC §8) through the test-only backend "test:0", whose buffers the host cannot read:
ag.device places ops and constants, Tensor.device says where a value lives, inputs on another
device are copied implicitly, .numpy() copies back, ag.function(device=...) places a graph."""
import os
import subprocess
import sys

import numpy as np
import pytest

import autograph as ag
from autograph import _core
from conftest import cuda_devices


@pytest.fixture
def test_device():
    _core._enable_test_backend(True)
    _core._reset_test_backend_stats()
    try:
        yield "test:0"
    finally:
        _core._enable_test_backend(False)


def stats():
    return _core._test_backend_stats()


def test_only_the_cpu_by_default_and_gpu_raises_clearly():
    gpus = cuda_devices()  # [] here without a GPU: exactly ['cpu']
    assert ag.list_devices() == ["cpu"] + gpus
    assert ag.constant([1.0, 2.0]).device == "cpu"
    assert ag.constant(3).device == "cpu"
    for name in ("gpu", "gpu:0", "GPU:1", "/device:GPU:0", "cuda"):
        if f"gpu:{name[-1] if name[-1].isdigit() else 0}" in gpus:
            with ag.device(name) as d:
                assert d in gpus
            continue
        with pytest.raises(ag.InvalidArgumentError, match="no GPU backend"):
            with ag.device(name):
                pass
    if not gpus:
        with pytest.raises(ag.InvalidArgumentError, match="no GPU backend"):
            ag.function(lambda x: x, device="gpu")
    # The test backend is invisible unless a test enables it.
    with pytest.raises(ag.InvalidArgumentError, match="unknown device"):
        ag.device("test:0").__enter__()
    for name in ("cpu", "CPU:0", "/device:CPU:0"):
        with ag.device(name) as d:
            assert d == "cpu"


def test_placed_ops_and_constants_live_on_the_device(test_device):
    assert ag.list_devices() == ["cpu"] + cuda_devices() + ["test:0"]
    with ag.device(test_device):
        x = ag.constant([1.0, 2.0, 3.0])
        y = x * 2.0 + 1.0
        s = ag.reduce_sum(y)
        z = ag.zeros([2, 2])
    assert x.device == y.device == s.device == z.device == "test:0"
    assert stats()["ops"] >= 4
    np.testing.assert_array_equal(y.numpy(), [3.0, 5.0, 7.0])  # .numpy() copies to the host
    np.testing.assert_array_equal(np.asarray(y), [3.0, 5.0, 7.0])  # __array__ as well
    assert float(s) == 15.0 and int(s) == 15 and bool(s)
    assert "device=test:0" in repr(y) and str(y) == "[3. 5. 7.]"
    assert ag.constant([1.0]).device == "cpu"  # the scope ended


def test_inputs_on_another_device_are_copied_implicitly(test_device):
    with ag.device(test_device):
        d = ag.constant([1, 2, 3])
    h = ag.constant([10, 20, 30])
    before = stats()
    with ag.device(test_device):
        r = d + h  # only h moves
    after = stats()
    assert r.device == "test:0"
    assert after["to_device"] - before["to_device"] == 1
    # Outside the scope ops run on the CPU: the device input comes back to the host.
    c = d * h
    assert c.device == "cpu"
    assert stats()["to_host"] > after["to_host"]
    assert stats()["ops"] == after["ops"]
    np.testing.assert_array_equal(c.numpy(), [10, 40, 90])
    np.testing.assert_array_equal((r - h).numpy(), [1, 2, 3])
    # Explicit copies.
    assert _core._to_device(h, "test:0").device == "test:0"


def test_a_function_placed_on_the_device_runs_its_graph_there(test_device):
    def f(x, n):
        i = 0
        while i < n:
            x = ag.sqrt(x * x + 1.0)
            i += 1
        return x, ag.reduce_max(x)

    x = ag.constant(np.linspace(0.0, 2.0, 7, dtype=np.float32))
    want = ag.function(f)(x, ag.constant(5))
    placed = ag.function(f, device=test_device)
    _core._reset_test_backend_stats()
    got = placed(x, ag.constant(5))
    assert got[0].device == "test:0"
    assert stats()["ops"] >= 5  # the loop body ran on the device
    np.testing.assert_array_equal(got[0].numpy(), want[0].numpy())
    assert float(got[1]) == float(want[1])
    # The same function under a device scope: placed by the scope.
    with ag.device(test_device):
        scoped = ag.function(f)(x, ag.constant(2))
    assert scoped[0].device == "test:0"
    # A CPU function given a device tensor copies it in and returns host tensors.
    with ag.device(test_device):
        xd = ag.constant(np.ones(3, np.float32))
    out = ag.function(f)(xd, ag.constant(1))
    assert out[0].device == "cpu"
    np.testing.assert_allclose(out[0].numpy(), np.sqrt(2.0) * np.ones(3), rtol=1e-6)


def test_host_side_instructions_of_a_placed_graph_copy_from_the_device(test_device, capsys):
    # Element loops, packed lists and prints read device values through copies (reading the
    # test backend's buffers directly would crash).
    def walk(x):
        s = ag.constant(0.0)
        ta = ag.TensorArray(ag.float32, size=0, dynamic_size=True, element_shape=[4])
        for i in ag.range(3):
            s += x[i]
            ta = ta.write(i, x * ag.cast(i, ag.float32))
        ag.print("x:", x)
        return s, ta.stack()

    x = ag.constant(np.arange(4, dtype=np.float32))
    s, stacked = ag.function(walk, device=test_device)(x)
    assert float(s) == 3.0
    np.testing.assert_array_equal(stacked.numpy(), np.outer([0, 1, 2], np.arange(4)))
    assert capsys.readouterr().out == "x: [0. 1. 2. 3.]\n"


def test_the_environment_variable_lists_the_test_backend():
    code = "import autograph as ag; print(ag.list_devices())"
    env = dict(os.environ, XAG_TEST_BACKEND="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == str(["cpu"] + cuda_devices() + ["test:0"]), out.stderr
