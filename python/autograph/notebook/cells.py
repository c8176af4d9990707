"""The cell a magic runs in: its file name, execution count and the text the editor shows.

IPython compiles every cell under a file name chosen by the kernel's compiler (xeus-python:
`$TMPDIR/xpython_<pid>/<hash>.py`; ipykernel: `/tmp/ipykernel_<pid>/<hash>.py`) and maps that name
to the execution count (`shell.compile._filename_map`), which is how tracebacks print
`Cell In[n], line L`. A cell magic only receives the body without its `%%` line, so the body is
compiled under the *same* file name with one blank line in front: line numbers then count the
cell as the editor shows it, and linecache is given the full cell text so `inspect.getsource`
and tracebacks read the user's lines (also for functions of earlier cells).
"""
import linecache
import sys


class CellInfo:
    """Where the running cell lives: `filename`, `number` (execution count), `raw` text."""

    def __init__(self, filename, number, raw):
        self.filename = filename
        self.number = number
        self.raw = raw


def _running_cell_file(shell):
    """The file name of the cell whose top-level code is running (the caller of the magic)."""
    mapping = getattr(shell.compile, "_filename_map", {})
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if frame.f_code.co_name == "<module>" and name in mapping:
            return name, mapping[name]
        frame = frame.f_back
    return None, None


def _raw_cell(shell, magic_line, body):
    """The cell as typed. History holds it (stored before the cell runs); if the cell was not
    stored (silent execution), rebuild it from the magic line and the body."""
    rebuilt = "%%autograph" + (" " + magic_line if magic_line.strip() else "") + "\n" + body
    history = getattr(shell, "history_manager", None)
    raw_hist = getattr(history, "input_hist_raw", None) or []
    if raw_hist:
        last = raw_hist[-1]
        first, _, rest = last.partition("\n")
        if first.lstrip().startswith("%%autograph") and rest.rstrip() == body.rstrip():
            return last if last.endswith("\n") else last + "\n"
    return rebuilt


_counter = 0


def current_cell(shell, magic_line, body):
    """The running cell (registered in linecache with its full text)."""
    global _counter
    filename, number = _running_cell_file(shell)
    raw = _raw_cell(shell, magic_line, body)
    if filename is None:
        # Not run from a notebook cell (e.g. shell.run_cell_magic called from a script): a name
        # of our own, still readable by linecache.
        _counter += 1
        number = getattr(shell, "execution_count", _counter)
        filename = f"<autograph-cell-{_counter}>"
    register_source(filename, raw)
    return CellInfo(filename, number, raw)


def register_source(filename, text):
    """Puts `text` in linecache under `filename`; an mtime of None survives checkcache()."""
    entry = (len(text), None, text.splitlines(True), filename)
    linecache.cache[filename] = entry
    # IPython's compiler keeps its cells in linecache._ipython_cache and copies them back into
    # linecache.cache on every checkcache(): our full text must replace its copy there too.
    ipython_cache = getattr(linecache, "_ipython_cache", None)
    if ipython_cache is not None:
        ipython_cache[filename] = entry
