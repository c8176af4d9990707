"""String tensors (SPEC §3, issue 15): constants and NumPy interop, operators, ag.strings,
printing, staged arguments and retracing, errors, gradients, devices."""
import numpy as np
import pytest

import autograph as ag


def test_constants_and_numpy_follow_tensorflow():
    t = ag.constant("héllo")
    assert t.dtype == ag.string and t.shape == ()
    assert t.numpy() == "héllo".encode()  # bytes, as TensorFlow's .numpy()
    assert repr(t) == "<ag.Tensor: shape=(), dtype=string, numpy=b'h\\xc3\\xa9llo'>"
    v = ag.constant(["a", "bc"])
    out = v.numpy()
    assert out.dtype == object and list(out) == [b"a", b"bc"]
    assert repr(v) == "<ag.Tensor: shape=(2,), dtype=string, numpy=array([b'a', b'bc'], dtype=object)>"
    assert ag.constant(b"raw").numpy() == b"raw"
    # NumPy text and object arrays in, object arrays out (np.asarray too).
    m = ag.constant(np.array([["x", "y"], ["z", "w"]]))
    assert m.shape == (2, 2) and m.dtype == "string"
    assert np.asarray(m).tolist() == [[b"x", b"y"], [b"z", b"w"]]
    assert ag.constant(np.array([b"q"], dtype=object)).numpy().tolist() == [b"q"]
    assert ag.as_dtype(str) is ag.string and ag.as_dtype(object) is ag.string
    assert ag.constant("x", dtype=ag.string).dtype == ag.string
    with pytest.raises(ag.InvalidArgumentError, match="cannot convert a string to int32"):
        ag.constant("1", dtype=ag.int32)


def test_operators_concatenate_and_compare_with_broadcasting():
    names = ag.constant(["ann", "bob"])
    assert (("hi " + names) + "!").numpy().tolist() == [b"hi ann!", b"hi bob!"]
    assert (names == "bob").numpy().tolist() == [False, True]
    assert (names != "bob").numpy().tolist() == [True, False]
    assert bool(ag.constant("a") + "b" == "ab")
    grid = ag.constant([["x"], ["y"]]) + ag.constant(["1", "2"])
    assert grid.numpy().tolist() == [[b"x1", b"x2"], [b"y1", b"y2"]]


def test_strings_module():
    s = ag.constant(["héllo", "", "Ab1"])
    assert ag.strings.length(s).numpy().tolist() == [6, 0, 3]
    assert ag.strings.length(s, unit="UTF8_CHAR").numpy().tolist() == [5, 0, 3]
    assert ag.strings.length(s).dtype == ag.int32
    assert ag.strings.upper(s).numpy().tolist() == ["HéLLO".encode(), b"", b"AB1"]
    assert ag.strings.lower("AbC").numpy() == b"abc"
    assert ag.strings.join(["a", ag.constant(["x", "y"]), "b"], separator="-").numpy().tolist() \
        == [b"a-x-b", b"a-y-b"]
    assert ag.strings.join(ag.constant(["p", "q", "r"]), separator=", ").numpy() == b"p, q, r"
    assert ag.strings.reduce_join(ag.constant([["a", "b"], ["c", "d"]]), axis=1).numpy().tolist() \
        == [b"ab", b"cd"]
    f = ag.strings.format("x={} v={} s={}", [3, ag.constant([1.5, 2.0]), "bob"])
    assert f.numpy() == b"x=3 v=[1.5 2. ] s=bob"
    assert ag.strings.format("n: %", 7, placeholder="%").numpy() == b"n: 7"
    with pytest.raises(ag.InvalidArgumentError, match="unit must be"):
        ag.strings.length(s, unit="CHAR")
    with pytest.raises(ag.InvalidArgumentError, match="has 2 placeholders"):
        ag.strings.format("{} {}", [1])


def test_shape_ops_move_strings():
    s = ag.constant(["a", "b", "c", "d"])
    assert ag.reshape(s, (2, 2))[1, 0].numpy() == b"c"
    assert ag.transpose(ag.reshape(s, (2, 2))).numpy().tolist() == [[b"a", b"c"], [b"b", b"d"]]
    assert ag.concat([s, ["e"]], 0).shape == (5,)
    assert ag.stack(["x", "y"]).numpy().tolist() == [b"x", b"y"]
    assert ag.gather(s, [3, 0]).numpy().tolist() == [b"d", b"a"]
    assert ag.where([True, False, True, False], s, "-").numpy().tolist() == [b"a", b"-", b"c", b"-"]
    assert ag.size(s).numpy() == 4 and list(ag.shape(s).numpy()) == [4]
    assert s[1:3].numpy().tolist() == [b"b", b"c"]
    assert [w.numpy() for w in s][-1] == b"d"
    assert ag.zeros_like(s).numpy().tolist() == [b""] * 4


def test_errors_name_the_dtypes():
    with pytest.raises(ag.InvalidArgumentError,
                       match="cannot add a string tensor and an int32 tensor"):
        ag.constant("a") + 1
    with pytest.raises(ag.InvalidArgumentError, match="multiply: not supported for string"):
        ag.constant("a") * ag.constant("b")
    with pytest.raises(ag.InvalidArgumentError, match="reduce_sum: not supported for string"):
        ag.reduce_sum(ag.constant(["a"]))
    with pytest.raises(ag.InvalidArgumentError, match="casts to or from string"):
        ag.cast(ag.constant("1"), ag.int32)


def test_staged_error_names_the_users_line():
    @ag.function
    def f(name):
        return name + 1  # the line the error names

    with pytest.raises(ag.InvalidArgumentError) as info:
        f(ag.constant("bob"))
    assert "cannot add a string tensor and an int32 tensor" in str(info.value)
    assert info.value.source_line.strip().startswith("return name + 1")


def test_printing_eager_and_staged(capsys):
    ag.print("greeting:", ag.constant("hi there"), ag.constant(["a", "b"]))
    print(ag.constant("plain"))

    @ag.function
    def f(name):
        ag.print("hello", name)
        print("staged", name + "!")
        return name

    f(ag.constant("bob"))
    out = capsys.readouterr().out.splitlines()
    assert out == ['greeting: hi there ["a" "b"]', "plain", "hello bob", "staged bob!"]
    assert f"{ag.constant('fmt'):>5}" == "  fmt"


def test_python_strings_retrace_string_tensors_do_not():
    traces = []

    @ag.function
    def greet(prefix, name):
        traces.append(prefix)
        return prefix + name

    assert greet("hi ", ag.constant("ann")).numpy() == b"hi ann"
    assert greet("hi ", ag.constant("bob")).numpy() == b"hi bob"  # same signature
    assert len(traces) == 1
    assert greet("yo ", ag.constant("bob")).numpy() == b"yo bob"  # a new Python value
    assert len(traces) == 2
    assert "prefix: Python value 'hi ' → 'yo '" in greet.explain_retrace()
    assert greet(ag.constant("hey "), ag.constant("x")).numpy() == b"hey x"
    assert greet(ag.constant("oi "), ag.constant("y")).numpy() == b"oi y"
    assert len(traces) == 3
    assert greet("hi ", np.array(["p", "q"])).numpy().tolist() == [b"hi p", b"hi q"]


def test_staged_loop_cond_and_lists_of_strings():
    @ag.function
    def build(n):
        s = ""
        parts = []
        ag.set_element_type(parts, ag.string)
        for i in range(n):
            if i % 2 == 0:
                s = s + "x"
            else:
                s = s + "y"
            parts.append(ag.strings.format("<{}>", i))
        ta = ag.TensorArray(ag.string, size=0, dynamic_size=True)
        ta = ta.write(0, s)
        return s, ag.strings.join(parts), ta.stack()

    s, joined, stacked = build(ag.constant(5))
    assert s.numpy() == b"xyxyx"
    assert joined.numpy() == b"<0><1><2><3><4>"
    assert stacked.numpy().tolist() == [b"xyxyx"]


def test_strings_are_not_differentiable():
    x = ag.constant(2.0)
    with ag.GradientTape() as tape:
        tape.watch(x)
        y = x * 3.0
        label = ag.strings.format("y={}", y)
        z = ag.strings.length(label)
    assert tape.gradient(z, x) is None
    assert label.numpy() == b"y=6.0"


def test_string_ops_stay_on_the_cpu_under_a_device_scope():
    devices = [d for d in ag.list_devices() if "gpu" in str(d).lower()]
    if not devices:
        pytest.skip("no GPU")
    with ag.device("gpu:0"):
        s = ag.constant(["a", "b"]) + "!"
        n = ag.strings.length(s)
    assert s.numpy().tolist() == [b"a!", b"b!"]
    assert (n + 1).numpy().tolist() == [3, 3]


def test_a_string_loop_stays_interpreted_under_the_jit(monkeypatch):
    monkeypatch.setenv("XAG_JIT", "sync")

    def build(n):
        s = ""
        for i in range(n):
            if s == "xyx":
                s = s + "!"
            elif i % 2 == 0:
                s = s + "x"
            else:
                s = s + "y"
        return s, ag.strings.length(s), ag.strings.format("{} chars", ag.strings.length(s))

    native, interp = ag.function(build), ag.function(build, jit=False)
    got = native(ag.constant(6))
    tier = native.execution_tier(ag.constant(6))
    if "without LLVM" in tier["reason"]:
        pytest.skip("built without LLVM")
    # Native code keeps 0-d values in registers as numbers; string elements are pointers only
    # the interpreter's kernels may touch, so such a graph stays interpreted, with the reason.
    assert tier["tier"] == "interpreter" and "string values" in tier["reason"], tier
    want = interp(ag.constant(6))
    assert [t.numpy() for t in got] == [t.numpy() for t in want] == [b"xyx!xy", 6, b"6 chars"]
