"""The string collector (runtime/core/strings.h): strings no tensor holds any more are freed
between top-level calls and at the polls of a staged loop, so building a string one character
at a time or formatting a line per step keeps the table bounded; strings that Python-held
tensors and traced graphs hold keep their text. _core.string_memory() is (count, bytes)."""
from autograph import _core

import autograph as ag

MB = 1 << 20


def table_bytes():
    return _core.string_memory()[1]


@ag.function
def grow(n, c):
    s = ""
    for i in range(n):
        s = s + c
    return s


def test_building_a_long_string_char_by_char_twice_does_not_grow_the_table():
    # 10^4 characters one at a time: 5 * 10^7 bytes of partial strings, every one distinct.
    n = ag.constant(10_000)
    first = grow(n, "a")
    assert first.numpy() == b"a" * 10_000
    after_first = table_bytes()
    second = grow(n, "b")  # other characters: no partial string can be reused
    assert second.numpy() == b"b" * 10_000
    after_second = table_bytes()
    assert after_first < 8 * MB
    assert after_second < after_first + 4 * MB
    assert first.numpy() == b"a" * 10_000  # held by Python: kept through the collections


@ag.function
def log_lines(n, offset):
    line = ag.strings.format("step {}: {}", [offset, 0.0])
    for i in range(n):
        line = ag.strings.format("step {}: {}", [i + offset, ag.cast(i, ag.float32) * 0.5])
    return line


def test_a_staged_loop_of_formats_keeps_the_table_bounded():
    before = table_bytes()
    n = ag.constant(100_000)
    for k in range(2):  # 10^5 distinct lines per call, about 10 MB of them without collection
        last = log_lines(n, ag.constant(k * 100_000))
        assert last.numpy() == f"step {k * 100_000 + 99_999}: 49999.5".encode()
        assert table_bytes() < before + 6 * MB


def test_eager_string_building_is_collected_too():
    before = table_bytes()
    s = ag.constant("")
    for _ in range(5_000):  # 1.25 * 10^7 bytes of partial strings
        s = s + "z"
    assert s.numpy() == b"z" * 5_000
    assert table_bytes() < before + 8 * MB


def test_strings_held_by_tensors_and_graphs_survive_collections():
    held = ag.constant(["kept-0", "kept-1"])
    scalar = ag.constant("kept-scalar")
    element = held[1]

    @ag.function
    def tag(x):
        return x + "-suffix-constant"

    assert tag(ag.constant("a")).numpy() == b"a-suffix-constant"
    count = _core.string_memory()[0]
    grow(ag.constant(10_000), "q")  # far more garbage than a collection waits for
    assert _core.string_memory()[0] < count + 1_000
    assert held.numpy().tolist() == [b"kept-0", b"kept-1"]
    assert scalar.numpy() == b"kept-scalar" and element.numpy() == b"kept-1"
    assert tag(ag.constant("b")).numpy() == b"b-suffix-constant"
