"""ag.function with explicit ops: tracing, the cache, outputs, side effects, errors."""
import io
import os
import sys
import warnings

import numpy as np
import pytest

import autograph as ag
from conftest import cuda_devices


def test_trace_cache_and_trace_count():
    @ag.function(autograph=False)
    def f(x, k):
        return x * k

    f(ag.constant(1), 2)
    f(ag.constant(5), 2)
    assert f.trace_count == 1
    f(ag.constant(1.0), 2)  # new dtype
    f(ag.constant([1, 2]), 2)  # new shape
    f(ag.constant(1), 3)  # new Python value
    assert f.trace_count == 4
    assert int(f(ag.constant(4), k=3)) == 12
    assert f.trace_count == 4
    assert f.python_function.__name__ == "f"


def test_retrace_warning():
    f = ag.function(lambda x, k: x + k, autograph=False)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        for k in range(7):
            f(ag.constant(1), k)
    assert any("traced" in str(x.message) for x in w)
    assert f.trace_count == 7


def test_numpy_arguments_are_placeholders():
    f = ag.function(lambda x: x + 1, autograph=False)
    assert f(np.arange(3)).numpy().tolist() == [1, 2, 3]
    assert f(np.arange(3) * 2).numpy().tolist() == [1, 3, 5]
    assert f.trace_count == 1


def test_output_structures():
    @ag.function(autograph=False)
    def f(x):
        return {"sum": x + 1, "info": ("label", None, 3), "list": [x, x * 2]}

    out = f(ag.constant(2))
    assert int(out["sum"]) == 3 and out["info"] == ("label", None, 3)
    assert [int(v) for v in out["list"]] == [2, 4]
    assert ag.function(lambda: None, autograph=False)() is None


def test_graph_and_code():
    def add_one(x):
        return x + 1

    f = ag.function(add_one, autograph=False)
    g = f.graph(ag.constant(1))
    assert isinstance(g, ag.Graph)
    assert "add" in g.ops
    assert "digraph" in g.to_dot()
    assert g._repr_svg_().lstrip().startswith("<?xml") or "<svg" in g._repr_svg_()
    assert "def add_one" in f.code
    assert "add" in repr(g)


def test_tensor_as_python_bool_is_staging_error():
    @ag.function(autograph=False)
    def f(x):
        if x > 0:  # symbolic tensor used as a Python bool
            return x
        return -x

    with pytest.raises(ag.StagingError) as info:
        f(ag.constant(1))
    msg = str(info.value)
    assert "Python bool" in msg and "ag.cond" in msg
    assert os.path.basename(__file__) in msg
    assert info.value.lineno is not None and "if x > 0" in info.value.source_line


def test_assert_failure_names_users_line():
    @ag.function(autograph=False)
    def f(x):
        ag._assert(x > 0, "x must be positive")  # ASSERT-LINE
        return x

    assert int(f(ag.constant(3))) == 3
    with pytest.raises(ag.InvalidArgumentError) as info:
        f(ag.constant(-3))
    msg = str(info.value)
    line = next(i for i, l in enumerate(open(__file__), 1) if "# ASSERT-LINE" in l)
    assert "x must be positive" in msg
    assert f"{os.path.basename(__file__)}:{line}" in msg
    assert info.value.lineno == line


def test_runtime_shape_error_names_users_line():
    @ag.function(autograph=False)
    def f(x, n):
        return ag.reshape(x, ag.stack([n, 2]))  # RESHAPE-LINE

    with pytest.raises(ag.InvalidArgumentError) as info:
        f(ag.constant(np.zeros(6, np.float32)), ag.constant(5))
    line = next(i for i, l in enumerate(open(__file__), 1) if "# RESHAPE-LINE" in l)
    assert f":{line}" in str(info.value)


def test_print_order(capsys):
    @ag.function(autograph=False)
    def f(n):
        ag.print("start", n)

        def body(i):
            ag.print("i =", i, sep=" ")
            return [i + 1]

        ag.while_loop(lambda i: i < n, body, [0])
        ag.print("end", end="!\n")
        return n

    f(ag.constant(3))
    assert capsys.readouterr().out == "start 3\ni = 0\ni = 1\ni = 2\nend!\n"
    ag.print("eager", ag.constant([1, 2]))
    assert capsys.readouterr().out == "eager [1 2]\n"


def test_prints_go_to_current_sys_stdout():
    f = ag.function(lambda x: ag.print("value:", x), autograph=False)
    buf, old = io.StringIO(), sys.stdout
    sys.stdout = buf
    try:
        f(ag.constant(7))
    finally:
        sys.stdout = old
    assert buf.getvalue() == "value: 7\n"


def test_variables_in_program_order():
    v = ag.Variable(1)

    @ag.function(autograph=False)
    def f(x):
        a = v.read_value()
        v.assign(x)
        b = v.read_value()
        v.assign_add(10)
        c = v + 0
        v.assign_sub(1)
        return a, b, c

    a, b, c = f(ag.constant(5))
    assert (int(a), int(b), int(c)) == (1, 5, 15)
    assert int(v.numpy()) == 14
    a, _, _ = f(ag.constant(0))  # the graph reads the variable's current value
    assert int(a) == 14 and int(v.read_value()) == 9


def test_variable_in_loop():
    total = ag.Variable(0)

    @ag.function(autograph=False)
    def f(n):
        def body(i):
            total.assign_add(i)
            return [i + 1]

        ag.while_loop(lambda i: i < n, body, [0])
        return total.read_value()

    assert int(f(ag.constant(5))) == 10
    assert int(total.numpy()) == 10


def test_variable_eager_api():
    v = ag.Variable([1.0, 2.0])
    assert v.dtype == ag.float32 and v.shape == (2,)
    v.assign([3, 4])
    np.testing.assert_array_equal((v * 2).numpy(), [6, 8])
    with pytest.raises(ag.InvalidArgumentError):
        v.assign([1.0, 2.0, 3.0])


def test_nested_function_is_inlined():
    inner = ag.function(lambda x: x * 2, autograph=False)
    outer = ag.function(lambda x: inner(x) + 1, autograph=False)
    assert int(outer(ag.constant(3))) == 7
    assert inner.trace_count == 0


def test_symbolic_tensor_leaked_out_of_trace():
    leaked = []

    @ag.function(autograph=False)
    def f(x):
        leaked.append(x + 1)
        return x

    f(ag.constant(1))
    with pytest.raises(ag.StagingError):
        leaked[0] + 1


def test_devices():
    gpus = cuda_devices()  # [] here without a GPU: exactly ['cpu']
    assert ag.list_devices() == ["cpu"] + gpus
    with ag.device("cpu"):
        assert int(ag.constant(1) + 1) == 2
    if gpus:
        assert int(ag.function(lambda x: x + 1, device="gpu")(ag.constant(1))) == 2
        return
    with pytest.raises(ag.InvalidArgumentError, match="no GPU backend"):
        ag.function(lambda x: x, device="gpu")
    with pytest.raises(ag.InvalidArgumentError, match="no GPU backend"):
        with ag.device("gpu"):
            pass


def test_decorator_forms_and_helpers():
    @ag.function
    def f(x):
        return x + 1

    assert int(f(ag.constant(1))) == 2
    assert ag.convert() is ag.function
    assert int(ag.to_graph(lambda x: x * 3)(ag.constant(2))) == 6
    g = ag.do_not_convert(lambda x: x)
    assert g.__ag_do_not_convert__
    assert "lambda" in ag.to_code(lambda x: x * 3)


def test_method_staging():
    class Model:
        def __init__(self, w):
            self.w = w

        @ag.function(autograph=False)
        def __call__(self, x):
            return x * self.w

    m = Model(ag.constant(3))
    assert int(m(ag.constant(2))) == 6


def _factorial(n):
    if n <= 1:
        return 1
    return n * _factorial(n - 1)


def test_recursive_function_with_python_bound():
    # The function's own name is a global lookup, as written: not an empty closure cell.
    assert ag.function(_factorial)(5) == 120

    def outer(k):
        def fib(n):
            return n if n < 2 else fib(n - 1) + fib(n - 2)
        return fib(k) * ag.constant(1)

    assert int(ag.function(outer)(10)) == 55


def test_recursion_on_a_tensor_condition_is_a_graph_function():
    # SPEC §3: a call op, not an endless trace (tests/python/test_recursion.py has the rest).
    f = ag.function(_factorial)
    assert int(f(ag.constant(5))) == 120
    assert "call" in f.graph(ag.constant(5)).ops


def test_tensors_of_a_failed_branch_stay_readable_after_the_error():
    # The branch's subgraph is abandoned when its tracing raises, but the traceback's frames
    # still hold the symbolic tensors it made: reading them must not touch freed memory (it
    # crashed pytest's report of a failing test).
    def f(x):
        if x > 0:
            y = x * 2
            raise ValueError("boom")
        return x

    with pytest.raises(ValueError) as info:
        ag.function(f)(ag.constant(3))
    held = []
    tb = info.value.__traceback__
    while tb is not None:
        held += [v for k, v in tb.tb_frame.f_locals.items() if k == "y"]
        tb = tb.tb_next
    assert held
    for t in held:
        assert t.dtype == ag.int32 and tuple(t.shape) == ()
        assert "int32" in repr(t)


def test_a_kept_symbolic_tensor_survives_optimization():
    # A tensor kept on an object while tracing (a common slip) refers to a node the optimizer
    # then deletes as dead; the node stays allocated while the graph lives.
    class Box:
        pass

    box = Box()

    def f(x):
        box.t = x * 3 + 1  # not returned: dead code
        return x

    assert int(ag.function(f)(ag.constant(2))) == 2
    assert box.t.dtype == ag.int32 and "int32" in repr(box.t)


def test_calls_leave_no_reference_cycles():
    # Results are freed when dropped, not when the cyclic GC next runs (their buffers are big).
    import gc

    f = ag.function(lambda x: (x * 2, {"a": x + 1}))
    f(ag.constant(1.0))
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        for _ in range(50):
            f(ag.constant(1.0))
        assert len(gc.get_objects()) - before < 10
    finally:
        gc.enable()
