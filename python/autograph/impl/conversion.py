"""Converting a Python function: source -> `_core.convert` -> a new function object.

The converted function is the original's twin: same globals (the live module dictionary, so
later definitions are seen), same closure cells, defaults and name; the operators module reaches
it as one more closure variable, `ag__`, so no global is added to the user's module. Its code
objects carry the user's file and lines (impl/error_mapping.py).
"""
import ast
import functools
import inspect
import linecache
import os
import sys
import textwrap
import types
import warnings
import weakref

from .. import _core
from .. import _frames
from .. import errors
from ..errors import ConversionError
from . import error_mapping

_FACTORY = "__ag_factory"
_CONVERTED = "__ag_converted"

# function object -> converted function (weak: a converted function dies with its original).
_cache = weakref.WeakKeyDictionary()
# code object -> (converted code object, readable source), shared by closures of one def.
_code_cache = {}
# The ag__ module of converted code (bind_operators).
_operators = None

_LIBRARY_DIRS = tuple(
    d + os.sep for d in {sys.prefix, sys.base_prefix, sys.exec_prefix,
                         os.path.dirname(os.__file__)} if d)
_LIBRARY_MODULES = ("autograph", "numpy", "torch", "numba", "scipy", "pandas", "IPython",
                    "ipykernel", "xeus", "pytest", "_pytest", "functools", "typing")


class SourceUnavailable(ConversionError):
    """The source of a function cannot be found (built in a string, a .pyc without .py)."""




def is_library_function(f):
    """True for code we never convert: the standard library, installed packages, autograph."""
    module = getattr(f, "__module__", None) or ""
    if module == "builtins" or module.split(".")[0] in _LIBRARY_MODULES:
        return True
    code = getattr(f, "__code__", None)
    if code is None:
        return True
    filename = code.co_filename
    if _frames.is_package_file(filename):
        return True
    if "site-packages" in filename or "dist-packages" in filename:
        return True
    return filename.startswith(_LIBRARY_DIRS) and not filename.startswith("/tmp")


def is_converted(f):
    """True for functions made by conversion (and the functions defined inside them)."""
    return "ag__" in f.__code__.co_freevars or hasattr(f, "__ag_original__")


def is_convertible(f):
    """A plain user function (not a lambda, builtin, generator or library code)."""
    return (isinstance(f, types.FunctionType) and f.__name__ != "<lambda>"
            and not is_converted(f)
            and not getattr(f, "__ag_do_not_convert__", False)
            and not is_library_function(f))


def convert(f):
    """The converted twin of user function `f` (cached per function object)."""
    if isinstance(f, types.MethodType):
        return types.MethodType(convert(f.__func__), f.__self__)
    if isinstance(f, functools.partial):
        return functools.partial(convert(f.func), *f.args, **f.keywords)
    if (not isinstance(f, types.FunctionType) or getattr(f, "__ag_do_not_convert__", False)
            or is_converted(f)):
        return f
    try:
        return _cache[f]
    except KeyError:
        pass
    converted = _convert_function(f)
    _cache[f] = converted
    return converted


def _source_of(f):
    """(dedented source of f's def, file name, first line, indentation removed)."""
    code = f.__code__
    filename = code.co_filename
    try:
        lines, first_line = inspect.getsourcelines(f)
    except (OSError, TypeError) as e:
        errors.UNCONVERTED_CODE.add(code)  # (its misuses of tensors say why)
        raise SourceUnavailable(
            f"cannot convert '{f.__qualname__}': its source is not available ({e}); define it "
            "in a file or notebook cell, or mark it with ag.do_not_convert") from None
    source = "".join(lines)
    dedented = textwrap.dedent(source)
    first = lines[0] if lines else ""
    first_dedented = dedented.split("\n", 1)[0]
    indent = len(first) - len(first.lstrip()) - (len(first_dedented) - len(first_dedented.lstrip()))
    return dedented, filename, max(first_line, 1), indent


def _convert_function(f):
    if _operators is None:
        raise RuntimeError("autograph.impl.conversion: import autograph.operators first")
    code_obj = f.__code__
    entry = _code_cache.get(code_obj)
    if entry is None:
        entry = _convert_code(f)
        _code_cache[code_obj] = entry
    new_code, source = entry
    cells = dict(zip(code_obj.co_freevars, f.__closure__ or ()))
    cells["ag__"] = types.CellType(_operators)
    closure = tuple(cells[name] if name in cells else types.CellType()
                    for name in new_code.co_freevars)
    g = types.FunctionType(new_code, f.__globals__, f.__name__, f.__defaults__, closure)
    g.__kwdefaults__ = f.__kwdefaults__
    g.__dict__.update(f.__dict__)
    g.__qualname__ = f.__qualname__
    g.__module__ = f.__module__
    g.__doc__ = f.__doc__
    g.__ag_source__ = source
    g.__ag_original__ = f
    g.__wrapped__ = f
    return g


def bind_operators(module):
    """Sets the module converted code reaches as `ag__` (autograph.operators, which calls this
    when it is imported: the operators convert the functions they call through this module, so
    this module cannot import them)."""
    global _operators
    _operators = module


def _convert_code(f):
    source, filename, first_line, indent = _source_of(f)
    name = f.__name__
    # Blank lines in front keep the converter's positions (and the line numbers it writes into
    # messages, like "try statement at line 12") those of the user's file.
    code, source_map = _core.convert("\n" * (first_line - 1) + source, name, filename)
    freevars = list(f.__code__.co_freevars)

    def wrap(tree):
        # def __ag_factory(ag__, <free vars>): <converted def>; return <name>
        # makes the free variables (and ag__) closure cells of the converted function.
        args = ast.arguments(posonlyargs=[], args=[ast.arg(arg=a) for a in ["ag__"] + freevars],
                             vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
        # Inside the factory the def is bound under a name of its own: bound as `name`, it
        # would be a local of the factory, and the function's own recursive calls (a global
        # lookup as written) would find an empty closure cell instead.
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                node.name = _CONVERTED
        body = list(tree.body) + [ast.Return(value=ast.Name(id=_CONVERTED, ctx=ast.Load()))]
        factory = ast.FunctionDef(name=_FACTORY, args=args, body=body, decorator_list=[],
                                  returns=None, type_comment=None)
        for node in (factory, args, body[-1], body[-1].value, *args.args):
            node.lineno, node.col_offset, node.end_lineno, node.end_col_offset = 1, 0, 1, 0
        return ast.Module(body=[factory], type_ignores=[])

    module_code = error_mapping.compile_converted(code, source_map, filename, indent, wrap)
    factory_code = next(c for c in module_code.co_consts
                        if isinstance(c, types.CodeType) and c.co_name == _FACTORY)
    new_code = next(c for c in factory_code.co_consts
                    if isinstance(c, types.CodeType) and c.co_name == _CONVERTED)
    new_code = new_code.replace(co_name=name, co_qualname=f.__qualname__)
    new_code = error_mapping.rename_generated(new_code, name)
    readable = code if code.endswith("\n") else code + "\n"
    # The converted text is also in linecache under its own name, for displays that want it.
    linecache.cache[f"<autograph {f.__qualname__}>"] = (
        len(readable), None, readable.splitlines(True), f"<autograph {f.__qualname__}>")
    return new_code, readable


def convert_entry(f):
    """What ag.function traces: the converted `f` (or `f` itself when it must stay as is)."""
    if isinstance(f, types.MethodType):
        return types.MethodType(convert_entry(f.__func__), f.__self__)
    if not isinstance(f, types.FunctionType):
        call = getattr(type(f), "__call__", None)
        if isinstance(call, types.FunctionType) and not is_library_function(call):
            return types.MethodType(convert(call), f)
        return f
    if f.__name__ == "<lambda>" or getattr(f, "__ag_do_not_convert__", False):
        return f
    try:
        return _with_user_traceback(convert(f))
    except SourceUnavailable as e:
        # Like an interactive `python -c`: stage what can be traced, say what was not done.
        warnings.warn(f"autograph: tracing {f.__qualname__!r} unconverted: {e}", stacklevel=4)
        return f


def _with_user_traceback(g):
    """`g` raising its errors with the package's own frames taken out of the traceback."""

    @functools.wraps(g)
    def staged_entry(*args, **kwargs):
        try:
            return g(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - re-raised as is, only the traceback changes
            tb = _frames.without_package_frames(e.__traceback__.tb_next)
            raise e.with_traceback(tb) from e.__cause__

    staged_entry.__ag_source__ = g.__ag_source__
    staged_entry.__ag_converted__ = g
    return staged_entry
