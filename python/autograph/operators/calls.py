"""`ag__.converted_call`: every call in converted code goes through here.

User functions are converted (recursively, on first call) and called converted; builtins with
tensor overloads go to operators/py_builtins.py; everything else (library code, autograph's own
API, classes, C functions, lambdas, `ag.do_not_convert` functions) is called as it is."""
import threading
import types
import warnings

from .. import _core, errors, trace_marks
from ..impl import conversion
from . import recursion, side_effects
from .py_builtins import BUILTIN_OVERLOADS


def converted_call(f, args, kwargs, fscope):
    """f(*args, **kwargs), converting f first when it is user code."""
    kwargs = kwargs or {}
    if side_effects.active():
        side_effects.check_call(f)
    try:
        overload = BUILTIN_OVERLOADS.get(f)
    except TypeError:  # unhashable callable
        overload = None
    if overload is not None:
        if trace_marks.recorder is not None and f is print:
            trace_marks.recorder.print_(args)
        return overload(*args, **kwargs)
    if not _core.tracing() or (fscope is not None and fscope.options is not None
                               and not getattr(fscope.options, "recursive", True)):
        return f(*args, **kwargs)
    try:
        target = _target(f)
    except conversion.SourceUnavailable as e:
        # A helper whose source cannot be read still runs, as written (its Python control
        # flow then cannot depend on tensors).
        warnings.warn(f"autograph: calling {getattr(f, '__qualname__', f)!r} unconverted: {e}",
                      stacklevel=2)
        target = f
    return _call_counting_recursion(f, target, args, kwargs)


# While tracing, both branches of a staged `if` run: a recursion whose stopping test is a tensor
# never stops unless it becomes a graph function (recursion.py). Python's RecursionError would say
# nothing about why; past this many nested calls of one function the trace stops with a
# StagingError that names it.
MAX_TRACED_RECURSION = 100


class _Depths(threading.local):
    def __init__(self):
        self.by_code = {}  # code object -> how many calls of it are running in this thread


_depths = _Depths()


def _call_counting_recursion(f, target, args, kwargs):
    func = getattr(f, "__func__", f)
    func = getattr(func, "python_function", func)  # an ag.function calling itself
    code = getattr(func, "__code__", None)
    if code is None:  # a class, builtin or callable object: not user recursion
        return target(*args, **kwargs)
    frame = None
    if _core.tracing():
        # A recursion with a tensor stopping test becomes a graph function (recursion.py).
        frame = recursion.enter(code, args, kwargs)
        if not isinstance(frame, recursion.Frame):
            return frame.call(args, kwargs)
    by_code = _depths.by_code
    depth = by_code.get(code, 0) + 1
    if depth > MAX_TRACED_RECURSION:
        if frame is not None:
            recursion.leave(frame)
        raise _endless_recursion(func, f"more than {MAX_TRACED_RECURSION} levels deep")
    by_code[code] = depth
    try:
        return target(*args, **kwargs)
    except recursion.Restart as r:
        if r.frame is not frame:
            raise
        # Staged below, outside this handler: its errors must not show the restart as context.
    except RecursionError:
        # Each level of an ag.function calling itself takes many frames: Python's limit can come
        # before MAX_TRACED_RECURSION. Said here, at the outermost level, where there is stack.
        if depth == 1 and _core.tracing():
            raise _endless_recursion(func, "until Python's recursion limit") from None
        raise
    finally:
        if frame is not None:
            recursion.leave(frame)
        if depth == 1:
            del by_code[code]
        else:
            by_code[code] = depth - 1
    return recursion.stage(frame, getattr(func, "__name__", "function"), target, args, kwargs)


def _endless_recursion(func, how_deep):
    # Calls with the same Python arguments and a symbolic tensor became one graph function
    # (recursion.py); this one kept inlining itself: its Python arguments change with every
    # call, or it recurses on Python values alone.
    return errors.staging_error(
        f"{getattr(func, '__qualname__', func)!s} calls itself {how_deep} while tracing: a "
        "recursion is staged as one graph function only when each call passes the same Python "
        "arguments (a Python argument that changes with every call, such as a depth counter, "
        "makes each call a new function); pass such values as tensors, or write it as a loop")


def _target(f):
    # An ag.function (a Function object, or one bound as a method) is returned as it is by the
    # last case below (Function.__call__ is library code): called while tracing, it inlines
    # itself into the trace, converted when autograph=True.
    if isinstance(f, types.FunctionType):
        return conversion.convert(f) if conversion.is_convertible(f) else f
    if isinstance(f, types.MethodType):
        func = f.__func__
        if isinstance(func, types.FunctionType) and conversion.is_convertible(func):
            return types.MethodType(conversion.convert(func), f.__self__)
        return f
    if isinstance(f, type) or isinstance(f, types.BuiltinFunctionType):
        return f
    # A callable object of a user class (a "model"): convert its __call__.
    call = getattr(type(f), "__call__", None)
    if isinstance(call, types.FunctionType) and conversion.is_convertible(call):
        return types.MethodType(conversion.convert(call), f)
    return f
