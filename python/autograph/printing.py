"""`ag.print`: prints when the graph runs (staged) or at once (eager), to `sys.stdout`.

Staged prints are batched by the bindings and flushed every ~10 ms and at the end of the run,
in order, so Jupyter captures them without one message per print.
"""
import builtins
import sys

from . import _core
from .tensor import Tensor


def print(*values, sep=" ", end="\n"):  # noqa: A001 - SPEC name
    """Like print(); tensors print their values (NumPy style) when the graph runs."""
    if _core.tracing():
        items = []
        for v in values:
            if hasattr(v, "__ag_tensor__"):
                v = v.__ag_tensor__()
            items.append(v if isinstance(v, Tensor) else str(v))
        _core.staged_print(items, sep, end)
        return
    text = []
    for v in values:
        if hasattr(v, "__ag_tensor__"):
            v = v.__ag_tensor__()
        text.append(v._format() if isinstance(v, Tensor) else str(v))
    builtins.print(*text, sep=sep, end=end, file=sys.stdout)
