"""Golden tests: ag.to_code output (exact text) and error messages (type, file, line, the
variable named). Regenerate after an intended change with XAG_REGEN=1 and review the diff."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import autograph as ag  # noqa: E402
import golden_src  # noqa: E402
from autograph import _core  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
REGEN = os.environ.get("XAG_REGEN") == "1"


def check_golden(name, text):
    path = os.path.join(GOLDEN, name)
    if REGEN or not os.path.exists(path):
        with open(path, "w") as f:
            f.write(text)
        if not REGEN:
            pytest.fail(f"golden file {name} was missing and has been written; review it")
        return
    with open(path) as f:
        expected = f.read()
    assert text == expected, f"{name} differs (XAG_REGEN=1 regenerates)"


@pytest.mark.parametrize("name", ["huber_loss", "first_index", "squares", "clamp_print"])
def test_to_code(name):
    code = ag.to_code(getattr(golden_src, name))
    check_golden(f"{name}.code", code)
    # The converted code is what the staged function shows, and it compiles.
    assert ag.function(getattr(golden_src, name)).code == code
    compile(code, "<converted>", "exec")


def _describe(e):
    msg = str(e).replace(HERE + os.sep, "")
    fn = os.path.basename(e.filename) if getattr(e, "filename", None) else None
    return f"{type(e).__name__} at {fn}:{getattr(e, 'lineno', None)}\n{msg}\n"


ERROR_CASES = [
    ("defined_in_one_branch", (ag.constant(1),), ag.StagingError, "'y'"),
    ("dtype_changes_in_loop", (ag.constant(3),), ag.StagingError, "'x'"),
    ("undefined_before_loop", (ag.constant(3),), ag.StagingError, "'last'"),
    ("generator", (ag.constant(3),), ag.ConversionError, "yield"),
    ("failing_assert", (ag.constant(7),), ag.InvalidArgumentError, "y must stay below 5"),
    ("calls_unconverted", (ag.constant(7),), ag.StagingError, "bool"),
    ("shape_changes_in_loop", (ag.constant(3),), ag.StagingError, "'x'"),
    ("branches_disagree_on_dtype", (ag.constant(3),), ag.StagingError, "'y'"),
]


@pytest.mark.parametrize("name,args,exc,named", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_error_message(name, args, exc, named):
    with pytest.raises(exc) as info:
        ag.function(getattr(golden_src, name))(*args)
    e = info.value
    assert named in str(e)
    assert os.path.basename(e.filename) == "golden_src.py"
    check_golden(f"error_{name}.txt", _describe(e))


def test_try_in_staged_loop_runs_while_tracing():
    # (SPEC §3: no ConversionError any more; the try is traced as part of the loop body.)
    assert int(ag.function(golden_src.try_in_staged_loop)(ag.constant(3))) == 3


def test_traceback_shows_user_lines():
    import traceback

    with pytest.raises(ag.StagingError) as info:
        ag.function(golden_src.defined_in_one_branch)(ag.constant(1))
    frames = traceback.extract_tb(info.value.__traceback__)
    user = [f for f in frames if f.filename.endswith("golden_src.py")]
    assert user and user[-1].line.strip() == "if x > 0:"
    # No generated code and no operator internals in the user's part of the traceback.
    assert not any("operators" in f.filename for f in frames)


def test_syntax_error():
    src = "def f(x):\n    y = (x +\n    return y\n"
    with pytest.raises(SyntaxError) as info:
        _core.convert(src, "f", "cell.py")
    e = info.value
    assert (e.filename, e.lineno) == ("cell.py", 2)
    check_golden("error_syntax.txt", f"{type(e).__name__} at {e.filename}:{e.lineno}:{e.offset}"
                                     f"\n{e.msg}\n{e.text}")


def test_source_map_shape():
    code, smap = _core.convert("def f(x):\n    if x > 0:\n        x = -x\n    return x\n", "f",
                               "m.py")
    assert len(smap) == len(code.splitlines())
    assert all(len(e) == 4 for e in smap)
    assert {e[2] for e in smap} <= {1, 2, 3, 4}
