"""The user's function and its converted code side by side, rows aligned by the source map.

The converter's source map gives, per generated line, the user's line it came from. Rows follow
the generated code; a row shows the user's line when the mapped line changes (a line shown again
later, such as an `if` whose `ag__.if_stmt` call comes after the branch bodies, is marked as a
repeat). User lines no generated line maps to (comments, `else:`) are shown before the first row
of the next mapped line, so every line the user wrote appears.
"""
import html
import inspect
import textwrap

from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from pygments.token import STANDARD_TYPES

from .. import _core

CSS_SCOPE = ".ag-sbs"


class Row:
    """One display row: a user line (number, text, repeat?) and/or a generated line."""

    __slots__ = ("orig_no", "orig_text", "repeat", "gen_no", "gen_text")

    def __init__(self, orig_no=None, orig_text=None, repeat=False, gen_no=None, gen_text=None):
        self.orig_no, self.orig_text, self.repeat = orig_no, orig_text, repeat
        self.gen_no, self.gen_text = gen_no, gen_text


# Gutter letter (text) per mark category (explain.Mark): staged, ran in Python, both, not run.
GUTTER = {"staged": "S", "python": "P", "mixed": "M", "unreached": "-"}


class SideBySide:
    """Original and converted source of one function, aligned. `marks` ({user line: (category,
    text)}) marks statements in a gutter, with the text as a note under the line."""

    def __init__(self, name, original, first_line, converted, source_map, where="", marks=None):
        self.name = name
        self.original = original.rstrip("\n").split("\n")
        self.first_line = first_line
        self.converted = converted.rstrip("\n").split("\n")
        self.where = where
        self.marks = marks or {}
        self.label = "converted"  # the right column's heading
        self.rows = align(self.original, first_line, self.converted, source_map)

    def _mark(self, row):
        """The (category, text) mark of a row's user line (on its first showing only)."""
        if row.orig_no is None or row.repeat:
            return None
        return self.marks.get(row.orig_no)

    # ---- text/plain ---------------------------------------------------------------------------
    def to_text(self):
        width = min(max([len(t) for t in self.original] + [8]), 60) + (2 if self.marks else 0)
        title = f"{self.name}: original{' (' + self.where + ')' if self.where else ''}"
        lines = [f"{title:<{width + 5}} | converted", "-" * (width + 5) + "-+-" + "-" * 40]
        for r in self.rows:
            left = ""
            if r.orig_no is not None:
                text = r.orig_text if not r.repeat else "  ^ " + r.orig_text.strip()
                if self.marks:
                    mark = self._mark(r)
                    text = f"{GUTTER[mark[0]] if mark else ' '} {text}"
                left = f"{r.orig_no:>4} {text}"
            right = f"{r.gen_no:>4} {r.gen_text}" if r.gen_no is not None else ""
            lines.append(f"{left:<{width + 5}} | {right}".rstrip())
        return "\n".join(lines)

    # ---- text/html ----------------------------------------------------------------------------
    def to_html(self, element_id, compact=None, compact_first=False, footer=""):
        """The view as HTML. With `compact` (another SideBySide: the compact form) both tables
        are in, and a checkbox (checked when `compact_first`) switches between them (CSS only:
        no script, so it works in every front end). `footer`: HTML under the tables."""
        eid = html.escape(element_id)
        toggle = ""
        if compact is not None:
            toggle = (f'<label class="ag-sbs-toggle-label" for="{eid}-compact">compact form'
                      "</label>")
        out = [f'<div class="ag-sbs" id="{eid}" data-function="{html.escape(self.name)}">',
               f"<style>{stylesheet()}</style>"]
        if compact is not None:
            out.append(f'<input type="checkbox" class="ag-sbs-toggle" id="{eid}-compact"'
                       f'{" checked" if compact_first else ""}>')
        out += [f'<div class="ag-sbs-title"><code>{html.escape(self.name)}</code>'
                f'<span class="ag-sbs-where">{html.escape(self.where)}</span>{toggle}</div>',
                self.table_html("ag-sbs-full" if compact is not None else "")]
        if compact is not None:
            out.append(compact.table_html("ag-sbs-compact"))
        out.append(footer)
        out.append("</div>")
        return "\n".join(out)

    def table_html(self, extra_class=""):
        """The aligned table, in its scrolling box."""
        orig_html = highlight_lines("\n".join(self.original))
        gen_html = highlight_lines("\n".join(self.converted))
        out = [f'<div class="ag-sbs-scroll {extra_class}"><table class="ag-sbs-table"><thead><tr>'
               '<th colspan="3" class="ag-sbs-head ag-sbs-head-orig">original</th>'
               '<th colspan="2" class="ag-sbs-head ag-sbs-head-conv">'
               f"{html.escape(self.label)}</th>"
               "</tr></thead><tbody>"]
        for r in self.rows:
            mark = self._mark(r)
            if mark is None:
                gutter = '<td class="ag-sbs-gutter"></td>'
                note = ""
            else:
                text = html.escape(mark[1])
                gutter = (f'<td class="ag-sbs-gutter ag-mark-{mark[0]}" title="{text}">'
                          f"{GUTTER[mark[0]]}</td>")
                note = f'<div class="ag-sbs-note ag-mark-{mark[0]}">{text}</div>'
            if r.orig_no is None:
                left = (f'<td class="ag-sbs-ln"></td>{gutter}'
                        '<td class="ag-sbs-code ag-sbs-orig"></td>')
            else:
                cls = "ag-sbs-code ag-sbs-orig" + (" ag-sbs-repeat" if r.repeat else "")
                code = orig_html[r.orig_no - self.first_line]
                left = (f'<td class="ag-sbs-ln">{r.orig_no}</td>{gutter}'
                        f'<td class="{cls}"><pre>{code}</pre>{note}</td>')
            if r.gen_no is None:
                right = '<td class="ag-sbs-ln"></td><td class="ag-sbs-code ag-sbs-conv"></td>'
            else:
                right = (f'<td class="ag-sbs-ln">{r.gen_no}</td>'
                         f'<td class="ag-sbs-code ag-sbs-conv"><pre>{gen_html[r.gen_no - 1]}'
                         "</pre></td>")
            out.append(f'<tr class="ag-sbs-row">{left}{right}</tr>')
        out.append("</tbody></table></div>")
        return "\n".join(out)


def align(original, first_line, converted, source_map):
    """Rows (see the module docstring). `original` starts at line `first_line` of its file;
    `source_map` holds (generated line, generated column, user line, user column)."""
    last_line = first_line + len(original) - 1
    mapped = {}
    for gen_line, _gen_col, orig_line, _orig_col in source_map:
        if first_line <= orig_line <= last_line:
            mapped[gen_line] = min(orig_line, mapped.get(gen_line, orig_line))
    mapped_lines = set(mapped.values())
    shown = set()
    rows = []
    previous = None

    def text(n):
        return original[n - first_line]

    def flush_unmapped(upto):
        # User lines before `upto` that nothing maps to and that were not shown yet.
        for n in range(first_line, upto):
            if n not in mapped_lines and n not in shown:
                shown.add(n)
                rows.append(Row(n, text(n)))

    for g, gen_text in enumerate(converted, 1):
        o = mapped.get(g)
        if not gen_text.strip():
            rows.append(Row(gen_no=g, gen_text=gen_text))
            continue
        if o is None or o == previous:
            rows.append(Row(gen_no=g, gen_text=gen_text))
            continue
        flush_unmapped(o)
        rows.append(Row(o, text(o), o in shown, g, gen_text))
        shown.add(o)
        previous = o
    flush_unmapped(last_line + 1)
    return rows


def for_function(fn, where="", marks=None, compact=False):
    """The SideBySide view of a staged function (ag.function) or a plain function; `compact`:
    of the converted code's compact form (notebook/compact.py)."""
    python_function = getattr(fn, "python_function", fn)
    lines, first_line = inspect.getsourcelines(python_function)
    source = textwrap.dedent("".join(lines))
    name = python_function.__name__
    filename = python_function.__code__.co_filename
    # Converted exactly as autograph.impl.conversion does (blank lines in front), so the code is
    # the one that runs and the map's user lines are the file's (cell's) line numbers.
    converted, source_map = _core.convert("\n" * (first_line - 1) + source, name, filename)
    if compact:
        from .compact import compact as make_compact

        converted, source_map = make_compact(converted, source_map)
    view = SideBySide(name, source, first_line, converted, source_map, where, marks)
    if compact:
        view.label = "converted (compact)"
    return view


def _css_class(ttype):
    while ttype is not None:
        cls = STANDARD_TYPES.get(ttype)
        if cls:
            return cls
        ttype = ttype.parent
    return ""


def highlight_lines(text):
    """Pygments-highlighted HTML of `text`, one string per line (tokens that span lines, such
    as docstrings, are split so every line is self-contained)."""
    lines = [[]]
    for ttype, value in PythonLexer(stripnl=False, ensurenl=False).get_tokens(text):
        cls = _css_class(ttype)
        for i, part in enumerate(value.split("\n")):
            if i:
                lines.append([])
            if part:
                escaped = html.escape(part, quote=False)
                lines[-1].append(f'<span class="{cls}">{escaped}</span>' if cls else escaped)
    return ["".join(parts) for parts in lines]


_STYLESHEET = None


def stylesheet():
    """CSS for the view: Pygments' default (light) colours scoped to .ag-sbs, plus layout."""
    global _STYLESHEET
    if _STYLESHEET is None:
        pygments_css = HtmlFormatter(style="default").get_style_defs(CSS_SCOPE)
        # Notebook front ends style output tables (centred, right-aligned cells, striped rows,
        # padding): the layout rules are specific and !important so the code reads the same in
        # classic Notebook, JupyterLab and plain HTML.
        _STYLESHEET = pygments_css + """
.ag-sbs { font-size: 12px; margin: 4px 0 10px 0; color: #1f1f1f; background: #ffffff;
  text-align: left; }
.ag-sbs .ag-sbs-title { font-weight: bold; padding: 3px 6px; background: #eef2f7;
  border: 1px solid #c9d3df; border-bottom: none; }
.ag-sbs .ag-sbs-where { font-weight: normal; color: #5a6570; margin-left: 1em; }
.ag-sbs .ag-sbs-scroll { overflow-x: auto; border: 1px solid #c9d3df; }
.ag-sbs table.ag-sbs-table { border-collapse: collapse !important; border: none !important;
  margin: 0 !important; width: 100%; table-layout: auto !important; }
.ag-sbs table.ag-sbs-table td, .ag-sbs table.ag-sbs-table th { padding: 0 6px !important;
  vertical-align: top !important; text-align: left !important; border: none !important;
  line-height: 1.35 !important; }
.ag-sbs table.ag-sbs-table tr { background: #ffffff !important; }
.ag-sbs table.ag-sbs-table tr.ag-sbs-row:hover { background: #fff8dc !important; }
.ag-sbs table.ag-sbs-table th.ag-sbs-head { background: #f6f8fa !important; color: #333;
  border-bottom: 1px solid #c9d3df !important; font-weight: bold; }
.ag-sbs table.ag-sbs-table .ag-sbs-head-conv,
.ag-sbs table.ag-sbs-table tr.ag-sbs-row td:nth-child(4) { border-left: 1px solid #c9d3df !important; }
.ag-sbs table.ag-sbs-table td.ag-sbs-ln { color: #8a949e; text-align: right !important;
  user-select: none; width: 1%; white-space: nowrap; }
.ag-sbs td.ag-sbs-code pre { margin: 0 !important; padding: 0 !important; border: none !important;
  background: transparent !important; font-size: 12px !important; line-height: 1.35 !important;
  white-space: pre-wrap !important; overflow-wrap: anywhere !important;
  text-align: left !important; overflow: visible !important; }
.ag-sbs td.ag-sbs-repeat { opacity: 0.45; }
.ag-sbs td.ag-sbs-orig { width: 45%; }
.ag-sbs table.ag-sbs-table td.ag-sbs-gutter { width: 14px; padding: 0 2px !important;
  text-align: center !important; font-weight: bold; font-family: monospace; cursor: help; }
.ag-sbs .ag-mark-staged { background: #d0ebff !important; color: #1864ab; }
.ag-sbs .ag-mark-python { background: #fff3bf !important; color: #8a5a00; }
.ag-sbs .ag-mark-mixed { background: #e5dbff !important; color: #5f3dc4; }
.ag-sbs .ag-mark-unreached { background: #f1f3f5 !important; color: #868e96; }
.ag-sbs div.ag-sbs-note { font-family: sans-serif; font-size: 11px; line-height: 1.3;
  margin: 1px 0 3px 0; padding: 0 4px; border-radius: 3px; white-space: normal; }
.ag-sbs .ag-sbs-traces { font-family: sans-serif; font-size: 11px; padding: 3px 6px;
  border: 1px solid #c9d3df; border-top: none; white-space: pre-wrap; }
.ag-sbs .ag-sbs-toggle-label { font-weight: normal; font-size: 11px; margin-left: 1.5em;
  cursor: pointer; }
.ag-sbs input.ag-sbs-toggle { display: none !important; }
.ag-sbs .ag-sbs-toggle-label::before { content: "\\2610  "; }
.ag-sbs input.ag-sbs-toggle:checked ~ .ag-sbs-title .ag-sbs-toggle-label::before {
  content: "\\2611  "; }
.ag-sbs input.ag-sbs-toggle:checked ~ .ag-sbs-full { display: none; }
.ag-sbs input.ag-sbs-toggle:not(:checked) ~ .ag-sbs-compact { display: none; }
"""
    return _STYLESHEET
