"""Deeply nested code: what CPython 3.11 compiles, ag.function converts and stages with the same
results, and what it refuses, it refuses with CPython's error (issue 15: the converter used to
stop at a fraction of CPython's limits, and its output nested deeper than CPython compiles).

Measured limits of CPython 3.11 inside a `def` compiled from a shallow call stack: 200 nested
brackets; 2,988 nested if-expressions, `not`s or unary minuses, 2,980 lambdas (its compiler's
budget shrinks with the Python call depth of the caller, so the tests use 2,500 levels, and
3,000 for what both refuse)."""
import linecache

import numpy as np
import pytest

import autograph as ag
from autograph import _core
from conftest import run_in_thread

DEEP = 2500  # far beyond the converter's old limit (400), within CPython's from pytest
RUN_DEEP = 1000  # what the run tests stage (the chains of 500-1,000)
TOO_DEEP = 3000


def define(body, name="f"):
    """A function `name(x)` returning `body`, defined from source that linecache holds (so that
    ag.function can read it), and the plain Python function."""
    src = f"def {name}(x):\n    return {body}\n"
    filename = f"<nesting {name} {len(body)}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {}
    exec(compile(src, filename, "exec"), ns)
    return ns[name]


def test_cpython_compiles_what_these_tests_convert():
    # (Where CPython's own limit falls depends on the interpreter's state: not asserted here.)
    compile(f"def f(x):\n    return {'x if x else ' * DEEP}x\n", "<s>", "exec")
    compile("x = " + "(" * 200 + "1" + ")" * 200, "<s>", "exec")


def test_200_nested_brackets_convert_and_201_are_a_syntax_error_as_in_cpython():
    f = define("(" * 200 + "x" + ")" * 200)
    assert ag.function(f)(ag.constant(4)).numpy() == 4
    with pytest.raises(SyntaxError, match="too many nested parentheses"):
        _core.convert("def g(x):\n    return " + "(" * 201 + "x" + ")" * 201 + "\n", "g")


@pytest.mark.parametrize("unit", ["-", "not ", "lambda: "])
def test_long_chains_convert_and_run(unit):
    f = define(unit * RUN_DEEP + "x")
    staged = ag.function(f)
    if unit == "lambda: ":
        inner = staged(3)  # a Python argument: the chain of lambdas is returned as is
        for _ in range(RUN_DEEP):
            inner = inner()
        assert inner == 3
        return
    for v in (0, 3):
        expected = f(np.int32(v))
        assert staged(ag.constant(v)).numpy() == expected


def test_as_deep_as_cpython_compiles_converts_to_code_cpython_compiles():
    for unit in ("x if x else ", "not ", "-"):
        code, _ = _core.convert(f"def g(x):\n    return {unit * DEEP}x\n", "g")
        compile(code, "<converted>", "exec")


def test_deeper_than_cpython_compiles_is_its_recursion_error():
    with pytest.raises(RecursionError, match="maximum recursion depth exceeded"):
        _core.convert("def g(x):\n    return " + "x if x else " * (TOO_DEEP) + "x\n", "g")


def test_long_if_expression_chain_with_python_conditions():
    # `0 if x == 0 else 1 if x == 1 else ...`: a lookup written as one chain.
    f = define(" ".join(f"{i * i} if x == {i} else" for i in range(2000)) + " -1")
    staged = ag.function(f)
    for v in (0, 7, 1999, 2500):
        assert staged(v) == f(v)
    assert "if_exp_chain" in ag.to_code(f)


def test_long_if_expression_chain_with_tensor_conditions_stages():
    # Each link's condition is a tensor: the chain stages as selections (no Python recursion per
    # link), and gives what Python gives for the same values.
    n = 600
    f = define(" ".join(f"x * {i} if x < {i} else" for i in range(n)) + " x")
    staged = ag.function(f)
    for v in (-3, 0, 5, 599, 4000):
        assert staged(ag.constant(v)).numpy() == f(v)


def test_if_expression_chain_keeps_laziness_and_order():
    calls = []

    def seen(tag, value):
        calls.append(tag)
        return value

    src = ("def chain(x):\n"
           "    return seen('a', 1) if seen('c1', x) == 0 else seen('b', 2) "
           "if seen('c2', x) == 1 else seen('z', 3)\n")
    linecache.cache["<chain>"] = (len(src), None, src.splitlines(True), "<chain>")
    ns = {"seen": seen}
    exec(compile(src, "<chain>", "exec"), ns)
    staged = ag.function(ns["chain"])
    assert staged(1) == 2
    assert calls == ["c1", "c2", "b"]  # as Python: the first test, the second, its branch
    calls.clear()
    assert staged(5) == 3 and calls == ["c1", "c2", "z"]


def test_conversion_does_not_depend_on_the_callers_stack():
    # A Python thread with a 256 KB stack converts as deep a function as the main thread does.
    body = "x if x else " * DEEP + "x"
    result = {}

    def work():
        try:
            code, _ = _core.convert(f"def f(x):\n    return {body}\n", "f")
            compile(code, "<converted>", "exec")
            result["ok"] = True
        except BaseException as e:  # noqa: BLE001 - reported below
            result["error"] = e

    run_in_thread(work, 256 * 1024)
    assert result == {"ok": True}
