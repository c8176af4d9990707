"""The exception classes of the package (SPEC §3) and the errors raised while tracing.

The C++ bindings raise these classes (registered by `autograph/__init__.py`), so runtime errors
(`InvalidArgumentError`) and tracing errors (`StagingError`) reach users as the package's types.
Errors that know where they come from carry `filename`, `lineno` and `source_line` attributes,
which the kernel uses to point the traceback at the user's line.
"""
import re
import sys
import weakref


# How a file name reads in error messages, or None: the kernel (notebook/tracebacks.py) sets a
# function (filename -> "Cell In[n]" or None) so that `str(e)` and `repr(e)` of a caught error
# name the cell, not the temporary file the cell was compiled under.
_file_label = None
_FILE_LINE = re.compile(r"([^\s():]+\.py):(\d+)")


def readable_message(message):
    """`message` with each `file.py:N` that names a notebook cell written `Cell In[n], line N`."""
    label = _file_label
    if label is None or not isinstance(message, str):
        return message

    def replace(m):
        where = label(m.group(1))
        return f"{where}, line {m.group(2)}" if where else m.group(0)

    return _FILE_LINE.sub(replace, message)


class AutographError(Exception):
    """Base class of every error the package raises on purpose."""

    filename = None
    lineno = None
    source_line = None

    def __init__(self, *args):
        # Messages end with "(file:line)"; in a notebook the file is a cell's temporary file.
        if args:
            args = (readable_message(args[0]),) + args[1:]
        super().__init__(*args)


class ConversionError(AutographError):
    """A construct the AutoGraph converter cannot stage (e.g. a generator, `try` in a loop)."""


class StagingError(AutographError):
    """A tracing rule was broken: a symbolic tensor used as a Python value, a variable defined
    in one branch only, a dtype or shape changing across loop iterations, ..."""


class InvalidArgumentError(AutographError):
    """Raised by an op or a running graph: bad shapes or dtypes, failed assert, index out of
    range, integer division by zero."""


def _raise_conversion_error(kind, message, filename, lineno, col, source_line, located_message):
    """Called by `_core.convert` with the converter's first diagnostic: raises it as SyntaxError
    (`kind` "SyntaxError"), RecursionError (nesting deeper than CPython compiles) or
    ConversionError (whose message, `located_message`, names the file
    and line and puts a caret under the column), with the user's file, line and column."""
    # SyntaxError's offset is 1-based (CPython counts characters; `col` counts bytes, which
    # agree on ASCII lines).
    if kind == "SyntaxError":
        raise SyntaxError(message, (filename, lineno, col + 1, source_line + "\n"))
    if kind == "RecursionError":  # nesting deeper than CPython compiles: its error and message
        raise RecursionError(located_message)
    exc = ConversionError(located_message)
    exc.filename, exc.lineno, exc.offset, exc.source_line = filename, lineno, col + 1, source_line
    raise exc


def _located(cls, message, location=None):
    """An exception of `cls` whose message ends with the user's file and line."""
    from . import _core

    if location is None:
        location = _core.user_location()
    if location is not None:
        filename, lineno, source_line = location
        message = f"{message} ({filename}:{lineno})"
        if source_line:
            message += f"\n    {source_line}"
    exc = cls(message)
    if location is not None:
        exc.filename, exc.lineno, exc.source_line = location
    return exc


_MISUSE_ADVICE = {
    "bool": "use ag.cond or let autograph convert the if",
    "int": "use ag.cast or keep the value a tensor",
    "float": "use ag.cast or keep the value a tensor",
}


def staging_error(message):
    """A StagingError naming the user's current line (for package code raising one)."""
    return _located(StagingError, message)


# Constructs the converter leaves to Python, recognized by the line the user wrote, get advice
# of their own (the generic one would point at what they already did: an `if`, a `for`).
_CONSTRUCT_ADVICE = (
    (re.compile(r"\s*(match|case)\b"),
     "a match statement is not staged: write it as if/elif, which autograph converts"),
    (re.compile(r".*[\[({].*\bfor\b.*\bin\b"),
     "a comprehension is not staged: write the loop as a for statement, or use vectorized ops"),
)


# Code objects of functions that run unconverted because their source could not be read
# (impl/conversion.py adds them): a symbolic tensor misused in one says why.
UNCONVERTED_CODE = weakref.WeakSet()


def _unconverted_caller():
    """The name of the innermost function on the stack that runs unconverted for lack of
    source (impl/conversion.py), or None."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code in UNCONVERTED_CODE:
            return frame.f_code.co_qualname
        frame = frame.f_back
    return None


def _indexed_by_tensor(location):
    """StagingError naming the Python list (or tuple) a symbolic tensor indexes, if it is one."""
    from ._subscripts import indexed_container

    found = indexed_container()
    if found is None or not isinstance(found[1], (list, tuple)):
        return
    name, value = found
    kind = type(value).__name__
    raise _located(
        StagingError,
        f"'{name}' is a Python {kind} indexed by a tensor computed in the staged function: "
        f"Python needs an int to index a {kind}, and the graph has the index only when it runs; "
        f"stack it into a tensor first ({name}_t = ag.stack({name}) before the loop, then "
        f"{name}_t[i]), or keep the values in an ag.TensorArray", location)


def _symbolic_misuse(what):
    """Called by the bindings when a symbolic tensor is used where Python needs a real value."""
    from . import _core

    advice = _MISUSE_ADVICE.get(what, "run the function eagerly or keep the value a tensor")
    location = _core.user_location()
    source_line = location[2] if location else ""
    for pattern, construct_advice in _CONSTRUCT_ADVICE:
        if source_line and pattern.match(source_line):
            advice = construct_advice
    if what == "int (as an index)":
        _indexed_by_tensor(location)
    unconverted = _unconverted_caller()
    if unconverted is not None:
        raise _located(
            StagingError,
            f"'{unconverted}' ran unconverted because its source code is not available "
            "(a function defined with exec or in `python -c`), so its Python control flow "
            f"could not be staged and a symbolic tensor was used as a Python {what}; define it "
            "in a file or notebook cell (or register its source in linecache) so autograph "
            "can convert it", location)
    raise _located(
        StagingError,
        f"using a symbolic tensor as a Python {what} is not allowed in a staged function; "
        f"{advice}",
        location,
    )
