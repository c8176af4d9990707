"""Tracebacks of staged code that point at the user's lines only.

Installed on the shell's traceback formatter (`shell.InteractiveTB.structured_traceback`, the
path XPythonShell.showtraceback and ipykernel both take), it rewrites tracebacks that involve
autograph:
- frames of the autograph package (operators, conversion glue, ag.function) are dropped, like
  frames marked `__tracebackhide__`, at every level of the exception chain;
- for a `%%autograph` cell, the frames between the cell's `%%autograph` line and its body (IPython's
  magic machinery, our magic) are dropped, so the first frame is the user's line in the cell;
- an autograph error that knows the user's line (`filename`, `lineno`: a failed staged assert,
  a bad shape found while the graph runs) gets a last frame at that line when no frame shows it.
The result is formatted here in IPython's layout (`Cell In[n], line L` and the source lines):
IPython's own formatter analyses each frame's bytecode against the source text (stack_data), which
fails on converted code compiled at the user's positions. Syntax errors in a %%autograph cell
show the cell line only. Tracebacks that do not involve autograph are formatted exactly as before.
"""
import os
import re
import weakref

from .._frames import frames as _frames
from .._frames import is_package_frame as _is_package_frame
from .._frames import relink as _relink
from .. import errors
from ..errors import AutographError

# Code objects of %%autograph cell bodies and the cells' file names (registered by magics.py).
_cell_bodies = weakref.WeakSet()
_cell_files = set()


def register_cell_body(code):
    """Marks `code` as the body of a %%autograph cell (its caller frames are machinery)."""
    _cell_bodies.add(code)


def _is_magic_call(tb):
    """The one-line `get_ipython().run_cell_magic(...)` frame of a %%autograph cell, and the
    IPython machinery under it: how the magic was reached, not what the user wrote."""
    code = tb.tb_frame.f_code
    if code.co_filename in _cell_files:
        return code.co_name == "<module>" and code not in _cell_bodies
    return code.co_filename.endswith(os.path.join("IPython", "core", "interactiveshell.py"))


def _involves_autograph(frames, value):
    return isinstance(value, AutographError) or any(
        _is_package_frame(tb) or tb.tb_frame.f_code in _cell_bodies for tb in frames)


def _def_name(filename, lineno):
    """The name of the function around `lineno` in `filename` (for the synthetic frame)."""
    import linecache

    lines = linecache.getlines(filename)
    line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    indent = len(line) - len(line.lstrip())
    for text in reversed(lines[:lineno - 1]):
        m = re.match(r"(\s*)(?:async\s+)?def\s+(\w+)", text)
        if m and len(m.group(1)) < indent:
            return m.group(2)
    return None


class _Marker(Exception):
    pass


def _frame_at(filename, lineno):
    """A real traceback entry at `filename`:`lineno` (in the user's function when there is one):
    made by raising from code compiled under that name, so IPython formats it like any frame."""
    name = _def_name(filename, lineno) if lineno > 1 else None
    if name:
        src = "\n" * (lineno - 2) + f"def {name}():\n raise __marker\n{name}()\n"
    else:
        src = "\n" * (lineno - 1) + "raise __marker\n"
    try:
        exec(compile(src, filename, "exec"), {"__marker": _Marker()})  # noqa: S102
    except _Marker as e:
        frames = [tb for tb in _frames(e.__traceback__)
                  if tb.tb_frame.f_code.co_filename == filename]
        return frames[-1] if frames else None
    return None


def _where(tb):
    code = tb.tb_frame.f_code
    return code.co_filename, tb.tb_lineno, code.co_name


def clean(tb, value, skip=0):
    """`tb` after the rules of the module docstring (None when nothing is left)."""
    frames = _frames(tb)[skip:]
    starts = [i for i, f in enumerate(frames) if f.tb_frame.f_code in _cell_bodies]
    if starts:
        frames = frames[starts[0]:]
    kept = []
    for f in frames:
        if _is_package_frame(f) or _is_magic_call(f):
            continue
        # Converted code runs at the user's positions: the same line can show up twice in a row.
        if kept and _where(kept[-1]) == _where(f):
            continue
        kept.append(f)
    filename = getattr(value, "filename", None)
    lineno = getattr(value, "lineno", None)
    # Located errors, and an interrupt that stopped a staged loop (exec.cpp names the loop).
    if isinstance(value, (AutographError, KeyboardInterrupt)) and filename and lineno:
        last = kept[-1] if kept else None
        if last is None or (last.tb_frame.f_code.co_filename, last.tb_lineno) != (filename,
                                                                                  lineno):
            extra = _frame_at(filename, lineno)
            if extra is not None:
                kept.append(extra)
    return _relink(kept)


def _clean_chain(value, seen):
    """Applies `clean` to the exceptions chained to `value` (cause/context)."""
    for linked in (value.__cause__, value.__context__):
        if linked is not None and id(linked) not in seen:
            seen.add(id(linked))
            tb = linked.__traceback__
            if tb is not None and _involves_autograph(_frames(tb), linked):
                linked.__traceback__ = clean(tb, linked)
            _clean_chain(linked, seen)


def register_cell_file(filename):
    """Marks `filename` as a %%autograph cell: syntax errors in it show no machinery frames."""
    _cell_files.add(filename)


def _cell_name(filename):
    """`Cell In[n]` for the file a notebook cell was compiled under, else None."""
    try:
        from IPython import get_ipython

        number = get_ipython().compile._filename_map.get(filename)
    except Exception:  # noqa: BLE001 - outside IPython: plain file names
        number = None
    return f"Cell In[{number}]" if number is not None else None


def _cell_label(filename):
    return _cell_name(filename) or f"File {filename}"


_RED, _GREEN, _CYAN, _RESET = "\x1b[0;31m", "\x1b[0;32m", "\x1b[0;36m", "\x1b[0m"


def _format_frame(tb, context=2):
    import linecache

    code = tb.tb_frame.f_code
    filename, lineno = code.co_filename, tb.tb_lineno
    where = f"{_GREEN}{_cell_label(filename)}, line {lineno}{_RESET}"
    if code.co_name != "<module>":
        where += f", in {_CYAN}{code.co_name}(){_RESET}"
    lines = [where]
    for n in range(max(1, lineno - context), lineno + 1):
        text = linecache.getline(filename, n).rstrip("\n")
        if n == lineno:
            lines.append(f"{_GREEN}----> {n} {_RESET}{text}")
        elif text.strip():
            lines.append(f"      {n} {text}")
    return "\n".join(lines) + "\n"


def format_exception(value, tb, seen=None):
    """IPython-like structured traceback (list of strings) of `value` with frames `tb`: written
    here so frames remapped to the user's lines never trip IPython's source analysis."""
    seen = seen or set()
    seen.add(id(value))
    out = []
    cause = value.__cause__
    context = None if value.__suppress_context__ else value.__context__
    for linked, sentence in ((cause, "The above exception was the direct cause of the "
                                     "following exception:"),
                             (context, "During handling of the above exception, another "
                                       "exception occurred:")):
        if linked is not None and id(linked) not in seen:
            out += format_exception(linked, linked.__traceback__, seen)
            out.append(f"\n{sentence}\n")
            break
    name = type(value).__name__
    out.append(f"{_RED}{'-' * 75}{_RESET}\n{_RED}{name}{_RESET}"
               f"{'Traceback (most recent call last)':>{75 - len(name)}}")
    for frame in _frames(tb):
        out.append(_format_frame(frame))
    out.append(f"{_RED}{name}{_RESET}: {errors.readable_message(str(value))}")
    return out


def install(shell):
    """Wraps the shell's traceback formatters (idempotent)."""
    errors._file_label = _cell_name
    formatter = shell.InteractiveTB
    if getattr(formatter, "_ag_original", None) is not None:
        return
    original = formatter.structured_traceback

    def structured_traceback(etype=None, value=None, tb=None, tb_offset=None, *args, **kwargs):
        try:
            frames = _frames(tb)
            if tb is not None and value is not None and _involves_autograph(frames, value):
                offset = formatter.tb_offset if tb_offset is None else tb_offset
                tb = clean(tb, value, offset)
                _clean_chain(value, {id(value)})
                return format_exception(value, tb)
        except Exception:  # noqa: BLE001 - never lose the user's error over a display problem
            pass
        return original(etype, value, tb, tb_offset, *args, **kwargs)

    formatter._ag_original = original
    formatter.structured_traceback = structured_traceback

    syntax = shell.SyntaxTB
    syntax_original = syntax.structured_traceback

    def syntax_traceback(etype=None, value=None, tb=None, *args, **kwargs):
        # A syntax error in a %%autograph cell: only the error (IPython then shows the cell
        # line), not the magic's frames that compiled it.
        if getattr(value, "filename", None) in _cell_files and value.lineno:
            line = (value.text or "").rstrip("\n")
            indent = len(line) - len(line.lstrip())
            caret = " " * (4 + max((value.offset or 1) - 1 - indent, 0)) + "^"
            return [f"  {_GREEN}{_cell_label(value.filename)}, line {value.lineno}{_RESET}\n"
                    f"    {line.strip()}\n{caret}\n{_RED}{type(value).__name__}{_RESET}: "
                    f"{value.msg}\n"]
        return syntax_original(etype, value, tb, *args, **kwargs)

    syntax._ag_original = syntax_original
    syntax.structured_traceback = syntax_traceback


def uninstall(shell):
    errors._file_label = None
    for formatter in (shell.InteractiveTB, shell.SyntaxTB):
        if getattr(formatter, "_ag_original", None) is not None:
            del formatter.structured_traceback
            formatter._ag_original = None
