"""GPU tests through the Python API (run by `ctest -L gpu`; exit 77 = skipped, with the reason,
when there is no GPU): placement and Tensor.device, staged while/cond whose bodies run on the GPU
(a capturable while as a CUDA graph with a conditional node, RunStats.device_loops; one with a
print host-driven), gradients on the GPU, out-of-memory as an exception, and interrupting an
endless GPU loop (it runs as a CUDA graph: the condition kernel reads the stop flag)."""
import os
import signal
import sys
import threading
import time

import numpy as np

import autograph as ag

# The SPEC §6 workloads as bench/workloads writes them (staged while, and while around a cond).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench",
                                "workloads"))
from workloads import collatz, count_up, newton  # noqa: E402


def check_placement():
    x = ag.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    with ag.device("gpu") as d:
        assert d == "gpu:0"
        y = ag.tanh(x * 2.0 + 1.0)
        assert y.device == "gpu:0", y.device
    np.testing.assert_allclose(y.numpy(), np.tanh(x.numpy() * 2 + 1), rtol=1e-6)
    assert (y + x).device == "cpu"  # outside the scope: back to the CPU, copied implicitly


def check_staged_control_flow():
    v = np.linspace(1.0, 50.0, 1000).astype(np.float32)
    gpu = ag.function(newton, device="gpu")(v, 1e-4)
    cpu = ag.function(newton, device="cpu")(v, 1e-4)
    assert gpu.device == "gpu:0"
    np.testing.assert_allclose(gpu.numpy(), cpu.numpy(), rtol=1e-6)
    assert int(ag.function(collatz, device="gpu")(ag.constant(30))) == int(
        ag.function(collatz, device="cpu")(ag.constant(30)))


def device_loops(fn, *args):
    stats = {}
    fn.get_concrete_function(*args).run(list(args), stats)
    return stats["device_loops"]


def check_device_loops():
    n = ag.constant(10_000)
    gpu = ag.function(count_up, device="gpu")
    assert device_loops(gpu, n) == 1  # the whole loop as one CUDA graph launch
    assert int(gpu(n)) == 10_000
    v = ag.constant(np.linspace(1.0, 50.0, 1000).astype(np.float32))
    assert device_loops(ag.function(newton, device="gpu"), v, ag.constant(1e-4)) == 1

    def printing(n):
        i = 0
        while i < n:
            print(i)
            i += 1
        return i

    host_driven = ag.function(printing, device="gpu")
    assert device_loops(host_driven, ag.constant(3)) == 0 and int(host_driven(ag.constant(3))) == 3


def check_gradients():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((8, 8)).astype(np.float32)
    x = rng.standard_normal((4, 8)).astype(np.float32)

    def loss(w, x):
        with ag.GradientTape() as tape:
            tape.watch(w)
            h = x
            for _ in ag.range(3):
                h = ag.tanh(ag.matmul(h, w))
            out = ag.reduce_sum(ag.nn.softmax(h))
        return tape.gradient(out, w)

    g_gpu = ag.function(loss, device="gpu")(ag.constant(w), ag.constant(x))
    g_cpu = ag.function(loss, device="cpu")(ag.constant(w), ag.constant(x))
    np.testing.assert_allclose(g_gpu.numpy(), g_cpu.numpy(), rtol=1e-4, atol=1e-6)


def check_out_of_memory():
    with ag.device("gpu"):
        try:
            ag.zeros((1 << 22, 1 << 22), ag.float32)
        except MemoryError as e:
            assert "out of memory" in str(e) and "gpu:0" in str(e), e
        else:
            raise AssertionError("a 64 TiB tensor was allocated")
        assert float(ag.reduce_sum(ag.ones((10,)))) == 10.0  # the device still works


def check_interrupt():
    @ag.function(autograph=False, device="gpu")
    def forever(x):
        return ag.while_loop(lambda i, x: True, lambda i, x: (i + 1, x * 1.0), [0, x])

    x = ag.constant(np.ones(1000, np.float32))
    timer = threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    start = time.monotonic()
    try:
        forever(x)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the endless GPU loop returned")
    elapsed = time.monotonic() - start - 0.2
    timer.join()
    assert elapsed < 1.0, elapsed


def main():
    if "gpu:0" not in ag.list_devices():
        print(f"SKIP: no CUDA device (devices: {ag.list_devices()})")
        return 77
    for check in (check_placement, check_staged_control_flow, check_device_loops,
                  check_gradients, check_out_of_memory, check_interrupt):
        check()
        print(f"ok {check.__name__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
