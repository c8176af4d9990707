"""The `%%autograph` pane with the teaching marks, kept up to date as the function is traced.

The pane is the side-by-side view (side_by_side.py) of the full and the compact converted code
(a checkbox switches), with each `if`/`while`/`for`/`assert`/`print`/`break`/`continue`/`return`
marked from the traces (explain.py): a gutter letter and colour with the mark as tooltip, and
the mark as a note under the line. Under the tables: the signatures traced, the device each
ran on ("ran on cpu", "ran on gpu:0"), and why the last one retraced. `show_live` displays it
with a display id and re-renders it after every new trace of the function, in whatever cell the
call happens.
"""
import html
import warnings

from IPython.display import display

from .. import explain
from . import side_by_side


def merged_marks(fn):
    """{line: (category, text)} over every trace of `fn` (one entry per signature when the
    traces disagree)."""
    per_trace = [explain.statement_marks(fn.python_function, c.marks) for c in fn._traces]
    by_line = {}
    for k, marks in enumerate(per_trace, 1):
        for m in marks:
            by_line.setdefault(m.line, []).append((k, m))
    merged = {}
    for line, entries in by_line.items():
        texts = {m.text for _, m in entries}
        if len(texts) == 1:
            merged[line] = (entries[0][1].category, entries[0][1].text)
            continue
        categories = {m.category for _, m in entries}
        category = categories.pop() if len(categories) == 1 else "mixed"
        merged[line] = (category, "; ".join(f"trace {k}: {m.text}" for k, m in entries))
    return merged


def traces_text(fn):
    """The signatures traced and the device each one's graph ran on, and why the last trace
    happened."""
    sigs = fn.traces()
    if not sigs:
        return "not traced yet: the marks appear after the first call"
    lines = [f"trace {k}: {fn.python_function.__name__}({s}): ran on {c.executable.device}"
             for k, (s, c) in enumerate(zip(sigs, fn._traces), 1)]
    if len(sigs) > 1:
        lines.append(fn.explain_retrace())
    return "\n".join(lines)


def pane_bundle(fn, where, element_id, compact_first=False):
    """The pane's MIME bundle (text/html and text/plain) for the traces so far."""
    marks = merged_marks(fn)
    full = side_by_side.for_function(fn, where, marks)
    try:
        short = side_by_side.for_function(fn, where, marks, compact=True)
    except RecursionError:
        # Expressions nested thousands deep (the converter takes them): no compact form.
        short, compact_first = None, False
    footer_text = traces_text(fn)
    footer = f'<div class="ag-sbs-traces">{html.escape(footer_text)}</div>'
    text = (short if compact_first else full).to_text()
    if marks:
        text += "\n\nmarks (S staged, P ran in Python while tracing, M both, - not run):\n"
        text += "\n".join(f"line {line}: {marks[line][1]}" for line in sorted(marks))
    text += "\n" + footer_text
    return {"text/html": full.to_html(element_id, short, compact_first, footer),
            "text/plain": text}


def show_live(fn, where, element_id, compact_first=False):
    """Displays the pane and re-renders it after each new trace of `fn`."""
    handle = display(pane_bundle(fn, where, element_id, compact_first), raw=True,
                     display_id=True)

    def update(function, _concrete):
        try:
            handle.update(pane_bundle(function, where, element_id, compact_first), raw=True)
        except Exception as e:  # noqa: BLE001 - a display problem must not fail the user's call
            warnings.warn(f"autograph: could not update the pane of "
                          f"{function.python_function.__name__}: {e}", stacklevel=2)

    fn._trace_listeners.append(update)
    return handle


def show_graph_on_first_trace(fn, note_bundle, graph_bundle):
    """A note now, replaced by the graph of the first trace when the function is first called
    (`%%autograph --show graph` without example arguments)."""
    handle = display(note_bundle, raw=True, display_id=True)

    def update(function, concrete):
        function._trace_listeners.remove(update)
        try:
            handle.update(graph_bundle(concrete.graph), raw=True)
        except Exception as e:  # noqa: BLE001 - as in show_live
            warnings.warn(f"autograph: could not draw the graph: {e}", stacklevel=2)

    fn._trace_listeners.append(update)
