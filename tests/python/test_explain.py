"""The teaching view outside the kernel: Function.explain / traces / explain_retrace, the retrace
warning's reason, the compact converted code and the marks in the side-by-side view."""
import inspect
import warnings

import pytest

import autograph as ag
from autograph import trace_marks
from autograph.function import RetraceWarning
from autograph.notebook import compact, side_by_side


def lessons(x, n):
    if n > 0:
        x = x + n
    if x > 0:
        x = x * 2
    for i in range(3):
        x = x + i
    while x < 100:
        x = x * 3
    assert x > 0, "positive"
    print("tracing lessons")
    print("x is", x)
    return x


FIRST = inspect.getsourcelines(lessons)[1]


def at(offset, text):
    return f"line {FIRST + offset}: {text}"


def test_explain_marks_each_statement():
    f = ag.function(lessons)
    assert f.explain(ag.constant(1), 2).split("\n") == [
        at(1, "ran in Python while tracing (condition was True)"),
        at(3, "staged: tensor condition (`x > 0`, x: int32)"),
        at(5, "unrolled 3 times (`range(3)` is a Python range)"),
        at(7, "staged: tensor condition (`x < 100`, x: int32)"),
        at(9, "staged: tensor condition (`x > 0`, x: int32), checked each time the graph runs"),
        at(10, "ran in Python while tracing: prints once per trace, not on later calls"),
        at(11, "staged: ag.print, prints each time the graph runs"),
        at(12, "return: the returned tensors become the graph's outputs"),
    ]
    # Each signature has its own marks: a Python x runs everything in Python.
    text = f.explain(5, 0).split("\n")
    assert text[0] == at(1, "ran in Python while tracing (condition was False)")
    assert text[1] == at(3, "ran in Python while tracing (condition was True)")
    assert text[3] == at(7, "ran in Python while tracing: unrolled 2 times (`x < 100` was "
                            "known while tracing)")
    assert text[4] == at(9, "checked in Python while tracing (condition was True)")
    assert f.trace_count == 2


def early_exit(x, limit):
    for v in x:
        if v > limit:
            break
        x = x + 1
    if limit > 10:
        return x
    return x * 2


def test_jumps_and_staged_loops_over_tensors():
    f = ag.function(early_exit)
    first = inspect.getsourcelines(early_exit)[1]
    assert f.explain(ag.constant([1, 2, 3]), 2).split("\n") == [
        f"line {first + 1}: staged: loop over a tensor (int32 (3,)) (`x`)",
        f"line {first + 2}: staged: tensor condition (`v > limit`, v: int32)",
        f"line {first + 3}: staged: decided when the graph runs (break under the staged if at "
        f"line {first + 2}, through a flag in its state)",
        f"line {first + 5}: ran in Python while tracing (condition was False)",
        f"line {first + 6}: not reached while tracing (the Python if at line {first + 5} went "
        "the other way)",
        f"line {first + 7}: return: the returned tensors become the graph's outputs",
    ]


def guarded(x, n):
    if n > 5:
        return x
    if x > 0:
        x = x + 1
    return x


def test_converter_guards_are_not_marked():
    """`if not do_return:` (made by the converter around what follows a return, at the next
    line) must not be taken for the user's `if` on that line."""
    f = ag.function(guarded)
    first = inspect.getsourcelines(guarded)[1]
    lines = f.explain(ag.constant(1.0), 1).split("\n")
    assert lines[2] == f"line {first + 3}: staged: tensor condition (`x > 0`, x: float32)"


def test_no_recording_outside_tracing():
    f = ag.function(lessons)
    f(ag.constant(1), 2)
    assert trace_marks.recorder is None
    # Converted code run eagerly (not traced) records nothing either.
    lessons_converted = f._callable()
    lessons_converted(ag.constant(1), 2)
    assert trace_marks.recorder is None


def scale(x, factor, table):
    return x * factor + len(table)


def test_traces_and_explain_retrace():
    f = ag.function(scale)
    assert f.explain_retrace() == "scale has not been traced yet"
    table = [1, 2]
    f(ag.constant([1, 2, 3]), 2, (1, 2))
    assert f.traces() == ["x: int32 (3,), factor=2, table_0=1, table_1=2"]
    f(ag.constant([1.0, 2.0, 3.0, 4.0]), 2, (1, 2))
    assert f.explain_retrace().split("\n") == [
        "scale was traced 2 times; trace 2 (x: float32 (4,), factor=2, table_0=1, table_1=2) "
        "retraced because it differs from trace 1 (x: int32 (3,), factor=2, table_0=1, "
        "table_1=2):",
        "  x: dtype int32 → float32, shape (3,) → (4,)"]
    f(ag.constant([1, 2, 3]), 3, (1, 2))
    assert f.explain_retrace().split("\n")[1:] == ["  factor: Python value 2 → 3"]
    f(ag.constant([1, 2, 3]), ag.constant(3), (1, 2))
    assert f.explain_retrace().split("\n")[1:] == ["  factor: Python int 3 → tensor int32 ()"]
    del table
    assert len(f.traces()) == 4


def test_new_object_argument():
    class Box:
        pass

    f = ag.function(lambda x, box: x + 1)
    first, second = Box(), Box()
    f(ag.constant(1), first)
    f(ag.constant(1), second)
    assert f.explain_retrace().split("\n")[1] == "  box: new object (a different Box than before)"


def test_retrace_warning_names_the_argument_and_the_fix():
    f = ag.function(scale)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for k in range(7):
            f(ag.constant([1, 2]), k, ())
    messages = [str(w.message) for w in caught if issubclass(w.category, RetraceWarning)]
    assert messages, "no RetraceWarning after 7 traces"
    assert "this time because factor: Python value 5 → 6" in messages[-1]
    assert "pass a tensor (ag.constant(...))" in messages[-1]


def test_compact_form_hides_bookkeeping():
    f = ag.function(lessons)
    view = side_by_side.for_function(f, compact=True)
    code = "\n".join(view.converted)
    for bookkeeping in ("get_state", "set_state", "nonlocal", "FunctionScope", "converted_call",
                        "do_return", "retval_"):
        assert bookkeeping not in code, code
    assert "x = ag.cond(n > 0, if_body, else_body)" in code
    assert "x = ag.while_loop(loop_test, loop_body_1, (x,))" in code
    assert "assert x > 0, 'positive'" in code
    # Still aligned as the full form: the else branch and the ag.cond call follow the user's
    # `if n > 0:` shown again (a repeat row).
    texts = [r.gen_text.strip() for r in view.rows]
    k = texts.index("def else_body():")
    assert view.rows[k].orig_no == FIRST + 1 and view.rows[k].repeat
    assert texts[k + 2] == "x = ag.cond(n > 0, if_body, else_body)"
    assert view.rows[k + 2].orig_no is None


def test_compact_inlines_return_guards():
    text, _ = compact.compact(*ag_convert(guarded))
    assert "not do_return" not in text and "return x + 0" not in text
    assert "x = ag.cond(x > 0, if_body_2, else_body_2)" in text


def ag_convert(fn):
    from autograph import _core
    import textwrap

    lines, first = inspect.getsourcelines(fn)
    return _core.convert("\n" * (first - 1) + textwrap.dedent("".join(lines)), fn.__name__,
                         fn.__code__.co_filename)


def test_side_by_side_shows_marks():
    from autograph.notebook import teaching

    f = ag.function(lessons)
    f(ag.constant(1), 2)
    bundle = pane_bundle = teaching.pane_bundle(f, "here", "ag-test")
    html = bundle["text/html"]
    assert ('class="ag-sbs-gutter ag-mark-python" title="ran in Python while tracing '
            '(condition was True)">P</td>') in html
    assert 'class="ag-sbs-gutter ag-mark-staged" title="staged: tensor condition (`x &gt; 0`, ' \
           'x: int32)">S</td>' in html
    assert 'class="ag-sbs-toggle"' in html and "converted (compact)" in html
    plain = pane_bundle["text/plain"]
    assert f"{FIRST + 1:>4} P     if n > 0:" in plain
    assert at(5, "unrolled 3 times (`range(3)` is a Python range)") in plain
    assert "trace 1: lessons(x: int32 (), n=2)" in plain


@pytest.mark.parametrize("n", [0, 4])
def test_unrolled_counts(n):
    def loop(x, n):
        for _ in range(n):
            x = x + 1
        return x

    f = ag.function(loop)
    first = inspect.getsourcelines(loop)[1]
    assert f.explain(ag.constant(0), n).split("\n")[0] == (
        f"line {first + 1}: unrolled {n} time{'' if n == 1 else 's'} (`range(n)` is a Python "
        "range)")


def test_explain_of_an_unconverted_function():
    f = ag.function(lessons, autograph=False)
    assert f.explain(3, 1) == ("lessons is traced as written (not converted by AutoGraph): its "
                               "if/while/for statements all run in Python while tracing")


def with_helper(x):
    def helper(v):
        return v * 2
    try:
        if x > 0:
            x = helper(x)
    except ValueError:
        return x
    return x


def test_nested_defs_and_try():
    f = ag.function(with_helper)
    first = inspect.getsourcelines(with_helper)[1]
    # helper's `return` (line first + 2) is not one of with_helper's statements.
    assert f.explain(ag.constant(2)).split("\n") == [
        f"line {first + 4}: staged: tensor condition (`x > 0`, x: int32)",
        f"line {first + 7}: return in an except block: runs only if the exception is raised "
        "while tracing (a staged graph raises no Python exceptions)",
        f"line {first + 8}: return: the returned tensors become the graph's outputs",
    ]


def alternating(x):
    for i in range(3):
        if i == 1:
            x = x + 1
    return x


def test_runs_of_a_python_if_in_an_unrolled_loop_are_counted():
    f = ag.function(alternating)
    first = inspect.getsourcelines(alternating)[1]
    assert f.explain(ag.constant(0)).split("\n")[1] == (
        f"line {first + 2}: ran in Python while tracing (condition was True 1 time, "
        "False 2 times)")
