"""Issue 15, silent differences: print's trace-time rule across calls, async defs, and the
messages of every error of the semantics corpus (none may name generated code)."""
import glob
import importlib
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import autograph as ag  # noqa: E402
import golden_src  # noqa: E402
from harness import CASES, staged_args  # noqa: E402
from test_golden import ERROR_CASES  # noqa: E402

# Every corpus module registers its programs in CASES (other corpus files included).
for _path in sorted(glob.glob(os.path.join(os.path.dirname(__file__), "corpus_*.py"))):
    importlib.import_module(os.path.basename(_path)[:-3])

# Names the converter or the operators make up; a message that shows one points at code the
# user never wrote.
GENERATED = re.compile(r"retval_|do_return|\w+_body\b|ag__|fscope|get_state|set_state|"
                       r"loop_test|extra_test|__ag_|\bbreak_|\bcontinue_|\bitr\b|vars_")


def test_python_print_runs_once_while_tracing(capsys):
    def talk(x):
        print("tracing", 1)
        print("x is", x)
        return x + 1

    f = ag.function(talk)
    assert int(f(ag.constant(1))) == 2
    assert capsys.readouterr().out == "tracing 1\nx is 1\n"
    assert int(f(ag.constant(2))) == 3  # the graph runs again; the trace does not
    assert capsys.readouterr().out == "x is 2\n"
    f(ag.constant(2.0))  # a new signature traces again
    assert capsys.readouterr().out == "tracing 1\nx is 2.0\n"


def test_trace_time_prints_come_before_the_graphs(capsys):
    def talk(x):
        print("value", x)
        print("done")
        return x

    ag.function(talk)(ag.constant(5))
    assert capsys.readouterr().out == "done\nvalue 5\n"


def test_async_def_is_a_conversion_error():
    async def later(n):
        return n + 1

    with pytest.raises(ag.ConversionError) as info:
        ag.function(later)(ag.constant(1))
    e = info.value
    assert "async def later" in str(e)
    assert e.lineno == later.__code__.co_firstlineno


def _corpus_errors():
    for fn, args, options in CASES:
        if options.get("xfail"):
            continue
        try:
            ag.function(fn)(*staged_args(args))
        except Exception as e:  # noqa: BLE001 - the errors are what is collected
            yield f"{fn.__module__}.{fn.__name__}", e


def test_error_messages_name_only_user_code():
    seen = 0
    for where, e in _corpus_errors():
        seen += 1
        assert not GENERATED.search(str(e)), (where, str(e))
    for name, args, exc, _ in ERROR_CASES:
        with pytest.raises(exc) as info:
            ag.function(getattr(golden_src, name))(*args)
        seen += 1
        assert not GENERATED.search(str(info.value)), (name, str(info.value))
    assert seen >= 20  # the corpus has that many error cases at least
