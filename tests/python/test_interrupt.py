"""A SIGINT stops a running graph (an endless staged while) quickly, as KeyboardInterrupt."""
import os
import signal
import threading
import time

import pytest

import autograph as ag


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="signals are delivered to the main thread")
def test_endless_while_is_interrupted():
    @ag.function(autograph=False)
    def forever():
        return ag.while_loop(lambda i: True, lambda i: i + 1, [0])

    for _ in range(2):  # twice: the process stays usable
        timer = threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.start()
        start = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            forever()
        elapsed = time.monotonic() - start - 0.2
        timer.join()
        assert elapsed < 1.0, elapsed
    assert int(ag.constant(2) * 3) == 6
    f = ag.function(lambda n: ag.while_loop(lambda i: i < n, lambda i: i + 1, [0])[0],
                    autograph=False)
    assert int(f(ag.constant(1000))) == 1000


def test_prints_before_interrupt_are_flushed(capfd):
    @ag.function(autograph=False)
    def forever():
        ag.print("started")
        return ag.while_loop(lambda i: True, lambda i: i + 1, [0])

    timer = threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        forever()
    timer.join()
    assert "started" in capfd.readouterr().out
