"""The JIT's background compile thread: lowest nice level, normal scheduling class.

It once ran in SCHED_IDLE, which starved it whenever every core was busy (another process, a CI
machine running tests in parallel): native code then came tens of seconds late or never.
"""
import os
import time

import pytest

import autograph as ag


def compile_threads():
    found = []
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/comm") as f:
                if f.read().strip() != "xag-jit":
                    continue
            with open(f"/proc/self/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # the thread ended meanwhile
        # After "pid (comm)": field 3 is fields[0]; nice is field 19, policy field 41.
        found.append({"nice": int(fields[19 - 3]), "policy": int(fields[41 - 3])})
    return found


@pytest.mark.skipif(os.environ.get("XAG_JIT") == "0", reason="the JIT is turned off")
def test_compile_thread_is_nice_not_idle_class():
    @ag.function
    def count(n):
        i = 0
        while i < n:
            i += 1
        return i

    assert int(count(ag.constant(10))) == 10
    if "without LLVM" in count.execution_tier(ag.constant(10))["reason"]:
        pytest.skip("built without LLVM")
    # The thread names itself when it starts; give it a moment.
    deadline = time.monotonic() + 10
    while not (threads := compile_threads()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threads, "no xag-jit thread after a staged loop ran"
    assert threads[0]["nice"] == 19
    assert threads[0]["policy"] == 0  # SCHED_OTHER, not SCHED_IDLE (5)
