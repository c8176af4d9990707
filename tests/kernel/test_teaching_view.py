"""The teaching view through a real xautograph kernel: the %%autograph pane marks what tracing
staged and what ran in Python (HTML and text/plain), updates itself on each trace, says why a
function retraced, warns after 5 retraces in one cell, and --show compact / graph.
"""
import html as html_lib
import re

import pytest

from kernel_under_test import start_kernel, stop_kernel
from test_autograph_magics import TIMEOUT, reply_of

LESSON = """%%autograph
def lesson(x, n):
    if n > 0:
        x = x + n
    if x > 0:
        x = x * 2
    for i in range(3):
        x = x + i
    while x < 100:
        x = x * 3
    return x
"""

# Line numbers count the %%autograph line (the cell as the editor shows it).
MARKS = {
    3: ("python", "P", "ran in Python while tracing (condition was True)"),
    5: ("staged", "S", "staged: tensor condition (`x > 0`, x: int32)"),
    7: ("python", "P", "unrolled 3 times (`range(3)` is a Python range)"),
    9: ("staged", "S", "staged: tensor condition (`x < 100`, x: int32)"),
    11: ("staged", "S", "return: the returned tensors become the graph's outputs"),
}


@pytest.fixture(scope="module")
def kc():
    km, client = start_kernel(TIMEOUT)
    run(client, "import autograph as ag")
    yield client
    stop_kernel(km, client)


def run(kc, code):
    """(reply, iopub messages of the request, display updates included)."""
    msg_id = kc.execute(code)
    reply = reply_of(kc, msg_id)
    out = []
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return reply, out
        if msg["msg_type"] in ("stream", "display_data", "update_display_data",
                               "execute_result", "error"):
            out.append(msg)


def of_type(outputs, kind):
    return [m["content"] for m in outputs if m["msg_type"] == kind]


def html_marks(html):
    """{line: (category, letter, tooltip)} from the full table of the pane's HTML."""
    full = html.split('class="ag-sbs-scroll ag-sbs-compact"')[0]
    found = {}
    for line, category, tooltip, letter in re.findall(
            r'<td class="ag-sbs-ln">(\d+)</td><td class="ag-sbs-gutter ag-mark-(\w+)" '
            r'title="([^"]*)">(\w|-)</td>', full):
        found[int(line)] = (category, letter, html_lib.unescape(tooltip))
    return found


def test_marks_in_html_and_text(kc):
    reply, outputs = run(kc, LESSON)
    assert reply["status"] == "ok", outputs
    first = of_type(outputs, "display_data")
    assert len(first) == 1
    display_id = first[0]["transient"]["display_id"]
    assert html_marks(first[0]["data"]["text/html"]) == {}  # not traced yet
    assert "not traced yet" in first[0]["data"]["text/plain"]

    reply, outputs = run(kc, "int(lesson(ag.constant(1), 2))")
    assert reply["status"] == "ok", outputs
    updates = of_type(outputs, "update_display_data")
    assert len(updates) == 1 and updates[0]["transient"]["display_id"] == display_id
    data = updates[0]["data"]
    assert html_marks(data["text/html"]) == MARKS
    # The notes under the lines say the same.
    for _, _, text in MARKS.values():
        assert "ag-sbs-note" in data["text/html"] and html_lib.escape(text) in data["text/html"]

    plain = data["text/plain"]
    for line, (_, letter, text) in MARKS.items():
        assert f"line {line}: {text}" in plain.split("marks (")[1]
        row = [r for r in plain.splitlines() if r.startswith(f"{line:>4} {letter} ")]
        assert row, f"no gutter letter {letter} on line {line}:\n{plain}"
    assert "trace 1: lesson(x: int32 (), n=2)" in plain
    assert of_type(outputs, "execute_result")[0]["data"]["text/plain"] == "243"


def test_the_pane_says_where_each_trace_ran(kc):
    # --device gpu: on a GPU the graph runs there; without one the existing note says so on
    # stderr and the cell's functions run on the CPU, which the pane then says per trace.
    _, outputs = run(kc, "print(ag.list_devices())")
    has_gpu = "gpu:0" in "".join(m["text"] for m in of_type(outputs, "stream"))
    reply, outputs = run(kc, "%%autograph --device gpu\ndef placed(x):\n    return x * 2\n")
    assert reply["status"] == "ok", outputs
    stderr = "".join(m["text"] for m in of_type(outputs, "stream") if m["name"] == "stderr")
    assert has_gpu or "the functions of this cell run on the CPU" in stderr, outputs
    where = "gpu:0" if has_gpu else "cpu"
    _, outputs = run(kc, "placed(ag.constant(1))\nplaced(ag.constant(1.5))")
    data = of_type(outputs, "update_display_data")[-1]["data"]
    for mime in ("text/plain", "text/html"):
        assert f"trace 1: placed(x: int32 ()): ran on {where}" in data[mime], data[mime]
        assert f"trace 2: placed(x: float32 ()): ran on {where}" in data[mime], data[mime]
    _, outputs = run(kc, "%%autograph --device cpu\ndef on_cpu(x):\n    return x + 1\n")
    _, outputs = run(kc, "on_cpu(ag.constant(1))")
    assert "ran on cpu" in of_type(outputs, "update_display_data")[-1]["data"]["text/plain"]


def test_explain_and_retrace_reason(kc):
    run(kc, LESSON.replace("lesson", "lesson2"))
    _, outputs = run(kc, "print(lesson2.explain(ag.constant(1), 2))")
    printed = "".join(m["text"] for m in of_type(outputs, "stream"))
    assert printed.splitlines() == [f"line {n}: {t}" for n, (_, _, t) in MARKS.items()]

    _, outputs = run(kc, "lesson2(ag.constant(1), 3)\nprint(lesson2.explain_retrace())")
    printed = "".join(m["text"] for m in of_type(outputs, "stream") if m["name"] == "stdout")
    assert printed.splitlines()[-1] == "  n: Python value 2 → 3"
    pane = of_type(outputs, "update_display_data")[-1]["data"]["text/plain"]
    assert "trace 2: lesson2(x: int32 (), n=3)" in pane and "n: Python value 2 → 3" in pane

    _, outputs = run(kc, "lesson2(ag.constant(1.5), 3)\nprint(lesson2.explain_retrace())")
    printed = "".join(m["text"] for m in of_type(outputs, "stream") if m["name"] == "stdout")
    assert printed.splitlines()[-1] == "  x: dtype int32 → float32"
    assert "trace 3 (x: float32 (), n=3)" in printed


def test_warning_after_five_retraces_in_a_cell(kc):
    run(kc, "%%autograph --show none\ndef grow(x, k):\n    return x + k\n")
    _, outputs = run(kc, "for k in range(4):\n    grow(ag.constant(1), k)\n")
    assert not [m for m in of_type(outputs, "stream") if "RetraceWarning" in m["text"]]
    _, outputs = run(kc, "for k in range(10, 17):\n    grow(ag.constant(1), k)\n")
    warned = [m["text"] for m in of_type(outputs, "stream") if "RetraceWarning" in m["text"]]
    assert len(warned) == 1, outputs
    assert "ag.function 'grow' was traced again 5 times in this cell" in warned[0]
    assert "because k: Python value 13 → 14" in warned[0]
    assert "pass a tensor (ag.constant(...))" in warned[0]


def test_show_compact(kc):
    reply, outputs = run(kc, LESSON.replace("%%autograph", "%%autograph --show compact")
                         .replace("lesson", "lesson3"))
    assert reply["status"] == "ok", outputs
    data = of_type(outputs, "display_data")[0]["data"]
    plain = data["text/plain"]
    assert "x = ag.cond(n > 0, if_body, else_body)" in plain
    assert "get_state" not in plain.split("not traced yet")[0]
    assert 'class="ag-sbs-toggle" id="ag-sbs-' in data["text/html"]
    assert re.search(r'class="ag-sbs-toggle" id="[^"]+" checked>', data["text/html"])
    assert "get_state" in data["text/html"]  # the full form is still there, behind the toggle


def test_show_graph_first_call_and_example_args(kc):
    collatz = ("def collatz(a):\n    n = 0\n    while a != 1:\n        if a % 2 == 0:\n"
               "            a = a // 2\n        else:\n            a = 3 * a + 1\n"
               "        n += 1\n    return n\n")
    _, outputs = run(kc, "%%autograph --show graph\n" + collatz)
    note = of_type(outputs, "display_data")[0]
    assert "drawn here when it happens" in note["data"]["text/plain"]
    _, outputs = run(kc, "int(collatz(ag.constant(27)))")
    update = of_type(outputs, "update_display_data")[0]
    assert update["transient"]["display_id"] == note["transient"]["display_id"]
    assert "<svg" in update["data"]["image/svg+xml"]
    _, outputs = run(kc, "%%autograph --show graph --args 'ag.constant(27)'\n"
                     + collatz.replace("collatz", "collatz2"))
    svg = of_type(outputs, "display_data")[0]["data"]["image/svg+xml"]
    assert "<svg" in svg and "while" in svg
