"""`%%autograph` and `%autograph_graph`: staging from notebook cells (SPEC §4).

`%%autograph` runs the cell as ordinary Python in the user's namespace, one top-level statement
at a time; right after a top-level `def` runs, the function is replaced by `ag.function(f)` under
the same name, converted at once (so conversion errors point at the cell now, not at the first
call) and shown per `--show`. The value of a final expression is the cell's result.
"""
import argparse
import ast
import inspect
import shlex
import types

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.display import display

from ..function import Function
from . import cells, graph_display, side_by_side, teaching, tracebacks

SHOW_CHOICES = ("side-by-side", "compact", "code", "graph", "none")


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad options as IPython usage errors instead of exiting."""

    def error(self, message):
        raise UsageError(f"{self.prog}: {message}\n{self.format_usage()}")


def _autograph_parser():
    p = _Parser(prog="%%autograph", add_help=False,
                description="Stage every top-level function of the cell with ag.function: the "
                            "cell runs as normal Python, then each function it defines is "
                            "converted by AutoGraph and traced into a graph when called.")
    p.add_argument("-h", "--help", action="store_true", help="show this help and do nothing")
    p.add_argument("--device", choices=("cpu", "gpu"), default=None,
                   help="device the staged functions run on (default: the current one)")
    p.add_argument("--show", choices=SHOW_CHOICES, default="side-by-side",
                   help="what to display per function: the original and converted code side "
                        "by side with what tracing staged (default), the same with the compact "
                        "converted code first, only the converted code, its graph, or nothing")
    p.add_argument("--args", default=None, metavar="ARGS",
                   help="example arguments for --show graph, e.g. --args 'ag.constant(27)' "
                        "(without: the graph of the first call is drawn when it happens)")
    return p


def _graph_parser():
    p = _Parser(prog="%autograph_graph", add_help=False,
                description="Trace a staged function for the given call and show its graph "
                            "(SVG drawn by Graphviz). The call is not run.")
    p.add_argument("-h", "--help", action="store_true", help="show this help and do nothing")
    p.add_argument("expr", nargs=argparse.REMAINDER,
                   help="a call f(args) of a function staged with %%%%autograph or ag.function")
    return p


def _takes_no_arguments(f):
    """True when `f()` is a valid call (its graph can be drawn without arguments)."""
    try:
        inspect.signature(f).bind()
    except (TypeError, ValueError):
        return False
    return True


def _available_device(name):
    """`name` when this kernel has it; otherwise None (the default device) after a note on
    stderr: the cell still defines its functions, which then run on the CPU."""
    import sys

    from ..devices import canonical
    from ..errors import InvalidArgumentError

    try:
        canonical(name)
        return name
    except InvalidArgumentError as e:
        print(f"%%autograph --device {name}: {e}; the functions of this cell run on the CPU.",
              file=sys.stderr)
        return None


@magics_class
class AutographMagics(Magics):
    """The autograph magics (registered by autograph._kernel_hooks)."""

    @cell_magic
    def autograph(self, line, cell):
        """%%autograph [--device cpu|gpu] [--show side-by-side|compact|code|graph|none]
        [--args ARGS]

        Stages every top-level function of the cell (ag.function) and shows, per function,
        the original and converted code side by side, marked after each trace with what was
        staged and what ran in Python. `%%autograph --help` for the options."""
        parser = _autograph_parser()
        opts = parser.parse_args(shlex.split(line))
        if opts.help:
            print(parser.format_help())
            return
        import autograph as ag

        shell = self.shell
        cell_info = cells.current_cell(shell, line, cell)
        tracebacks.register_cell_file(cell_info.filename)
        if opts.device is not None:
            opts.device = _available_device(opts.device)
        # One blank line for the %%autograph line: line numbers are the editor's.
        tree = ast.parse("\n" + cell, filename=cell_info.filename)
        # Statement by statement, so a function is staged (and converted, which reports
        # conversion errors) as soon as it is defined: later statements of the same cell
        # already call the staged version. A final expression's value is the cell's result.
        result = None
        for index, node in enumerate(tree.body):
            last_expr = index == len(tree.body) - 1 and isinstance(node, ast.Expr)
            if last_expr:
                code = compile(ast.Expression(node.value), cell_info.filename, "eval",
                               dont_inherit=True)
            else:
                code = compile(ast.Module([node], type_ignores=[]), cell_info.filename,
                               "exec", dont_inherit=True)
            tracebacks.register_cell_body(code)
            result = eval(code, shell.user_ns)  # noqa: S307 - running the user's cell
            # An async def is staged too: its conversion raises ConversionError at the def,
            # instead of leaving a coroutine function that silently runs unconverted.
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                fn = self._stage(node.name, cell_info, opts)
                if fn is not None:
                    self._show(fn, opts, cell_info)
        return result

    def _stage(self, name, cell_info, opts):
        """Re-binds the function `name` just defined by the cell as ag.function; returns the
        staged function (None when the name is bound to something else, e.g. by a
        decorator returning a non-function)."""
        import autograph as ag

        ns = self.shell.user_ns
        fn = ns.get(name)
        if isinstance(fn, types.FunctionType) and fn.__code__.co_filename == cell_info.filename:
            fn = ag.function(fn, device=opts.device)
            ns[name] = fn
        if not isinstance(fn, Function):
            return None
        fn.code  # converts now: a ConversionError points at the cell at once
        return fn

    def _show(self, fn, opts, cell_info):
        show = opts.show
        if show == "none":
            return
        name = fn.python_function.__name__
        where = f"Cell In[{cell_info.number}]"
        if show in ("side-by-side", "compact"):
            # Updated after every trace: the marks say what each statement did.
            teaching.show_live(fn, where, f"ag-sbs-{cell_info.number}-{name}",
                               compact_first=show == "compact")
        elif show == "code":
            code = fn.code
            lines = side_by_side.highlight_lines(code.rstrip("\n"))
            body = "\n".join(lines)
            display({"text/html": f'<div class="ag-code" data-function="{name}"><style>'
                                  f"{side_by_side.stylesheet()}</style><div class=\"ag-sbs\">"
                                  f"<pre>{body}</pre></div></div>",
                     "text/plain": code}, raw=True)
        elif show == "graph":
            self._show_graph(fn, name, opts.args)

    def _show_graph(self, fn, name, example_args):
        if example_args is not None:
            args, kwargs = self._eval_args(example_args, "%%autograph --args")
            display(graph_display.graph_bundle(fn.graph(*args, **kwargs)), raw=True)
        elif _takes_no_arguments(fn.python_function):
            display(graph_display.graph_bundle(fn.graph()), raw=True)
        else:
            teaching.show_graph_on_first_trace(fn, graph_display.note_bundle(
                f"{name}: the graph of the first call is drawn here when it happens; for other "
                f"arguments: %autograph_graph {name}(args), or give example arguments on the "
                "magic line: %%autograph --show graph --args '...'"),
                graph_display.graph_bundle)

    def _eval_args(self, text, what):
        """(args, kwargs) of `text`, an argument list evaluated in the user's namespace."""
        scope = dict(self.shell.user_ns)
        scope["__ag_args"] = lambda *a, **k: (a, k)
        try:
            return eval(f"__ag_args({text})", scope)  # noqa: S307 - the user's own arguments
        except Exception as e:  # noqa: BLE001 - a typo in the magic's line: say so, briefly
            raise UsageError(f"{what}: the arguments failed: {type(e).__name__}: {e}") from None

    @line_magic("autograph")
    def autograph_line(self, line):
        """%autograph [--help]: help for the %%autograph cell magic (which needs a body)."""
        print(_autograph_parser().format_help())

    @line_magic
    def autograph_graph(self, line):
        """%autograph_graph f(args)

        Traces the staged function f for these arguments (without running it) and shows its
        graph as SVG (Graphviz). `%autograph_graph --help` for details."""
        parser = _graph_parser()
        stripped = line.strip()
        if stripped in ("-h", "--help") or not stripped:
            if not stripped:
                raise UsageError("%autograph_graph: give a call, e.g. %autograph_graph f(x)\n"
                                 + parser.format_usage())
            print(parser.format_help())
            return
        try:
            call = ast.parse(stripped, mode="eval").body
        except SyntaxError as e:
            raise UsageError(f"%autograph_graph: not a Python expression: {e.msg}") from None
        if not isinstance(call, ast.Call):
            raise UsageError("%autograph_graph: expected a call such as f(x, y), got "
                             f"{stripped!r}")
        import autograph as ag

        ns = self.shell.user_ns
        try:
            fn = eval(compile(ast.Expression(call.func), "<autograph_graph>", "eval"), ns)  # noqa
        except Exception as e:  # noqa: BLE001 - a typo in the magic's line: say so, briefly
            raise UsageError(f"%autograph_graph: {type(e).__name__}: {e}") from None
        if not hasattr(fn, "graph"):
            if callable(fn):
                fn = ag.function(fn)
            else:
                raise UsageError(f"%autograph_graph: {ast.unparse(call.func)} is not callable")
        # The call's arguments, evaluated as written.
        arg_text = ", ".join([ast.unparse(a) for a in call.args] + [
            f"{k.arg}={ast.unparse(k.value)}" if k.arg else f"**{ast.unparse(k.value)}"
            for k in call.keywords])
        args, kwargs = self._eval_args(arg_text, "%autograph_graph")
        graph = fn.graph(*args, **kwargs)
        display(graph_display.graph_bundle(graph), raw=True)
