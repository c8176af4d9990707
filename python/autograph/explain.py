"""The teaching view in words: what tracing did with each statement, and why a function retraced.

`statement_marks` reads the user's function (its AST, for the statements and their text) and the
events trace_marks.py recorded during one trace, and gives one Mark per `if`, `while`, `for`,
`assert`, `print`, `break`, `continue` and `return`: staged into the graph, run in Python while
tracing, or not reached. Signatures (`leaf_signature`) are what a trace was made for; `changes`
compares two of them argument by argument. Function.explain / explain_retrace / traces and the
notebook pane (notebook/side_by_side.py) print these.
"""
import ast
import inspect
import textwrap

import numpy as np

# ---- signatures ------------------------------------------------------------------------------


def leaf_signature(x):
    """What the trace cache keys one argument leaf on, readable: ('tensor', dtype, shape),
    ('value', type name, repr) or ('object', type name, id)."""
    dtype = getattr(x, "dtype", None)
    if isinstance(x, np.ndarray) or (dtype is not None and hasattr(x, "numpy")
                                     and type(x).__name__ == "Tensor"):
        name = getattr(dtype, "name", None) or str(dtype)
        return ("tensor", name, tuple(x.shape))
    if x is None or isinstance(x, (bool, int, float, str, bytes)):
        return ("value", type(x).__name__, _short_repr(x))
    try:
        hash(x)
        # Compared by value (a tuple, an enum) vs by identity (a plain object, a Variable).
        plain = type(x).__eq__ is not object.__eq__ and type(x).__name__ not in (
            "Variable", "TensorArray")
    except TypeError:
        plain = False
    if plain:
        return ("value", type(x).__name__, _short_repr(x))
    return ("object", type(x).__name__, id(x))


def _short_repr(x):
    r = repr(x)
    return r if len(r) <= 40 else r[:37] + "..."


def _shape_text(shape):
    return "(" + ", ".join("?" if d is None else str(d) for d in shape) + (",)" if len(shape) == 1
                                                                         else ")")


def leaf_text(sig):
    kind, a, b = sig
    if kind == "tensor":
        return f"{a} {_shape_text(b)}"
    if kind == "value":
        return b
    return f"<{a} object>"


def signature_text(signature):
    """'x: int32 (3,), n=2': tensors by dtype and shape, Python values by value."""
    parts = []
    for name, sig in signature:
        sep = ": " if sig[0] != "value" else "="
        parts.append(f"{name}{sep}{leaf_text(sig)}")
    return ", ".join(parts)


def _kind_text(sig):
    kind, a, _ = sig
    if kind == "tensor":
        return f"tensor {leaf_text(sig)}"
    if kind == "value":
        return f"Python {a} {leaf_text(sig)}"
    return leaf_text(sig)


def changes(old, new):
    """['x: dtype int32 → float32', 'n: Python value 1 → 2', ...]: each argument of `new`
    that differs from `old`, by name."""
    before = dict(old)
    out = []
    for name, sig in new:
        was = before.pop(name, None)
        if was is None:
            out.append(f"{name}: new argument ({_kind_text(sig)})")
        elif was == sig:
            continue
        elif was[0] != sig[0]:
            out.append(f"{name}: {_kind_text(was)} → {_kind_text(sig)}")
        elif sig[0] == "tensor":
            what = []
            if was[1] != sig[1]:
                what.append(f"dtype {was[1]} → {sig[1]}")
            if was[2] != sig[2]:
                what.append(f"shape {_shape_text(was[2])} → {_shape_text(sig[2])}")
            out.append(f"{name}: {', '.join(what)}")
        elif sig[0] == "value":
            out.append(f"{name}: Python value {was[2]} → {sig[2]}")
        else:
            out.append(f"{name}: new object (a different {sig[1]} than before)")
    out.extend(f"{name}: no longer passed" for name in before)
    return out


def closest(signature, earlier):
    """The earlier signature with the fewest changes to `signature` (the latest of equals)."""
    best, best_n = None, None
    for s in earlier:
        n = len(changes(s, signature))
        if best_n is None or n <= best_n:
            best, best_n = s, n
    return best if best is not None else ()


def advice(change_list):
    """How to avoid the retraces these changes cause."""
    text = " ".join(change_list)
    tips = []
    if "Python value" in text or "Python " in text:
        tips.append("pass a tensor (ag.constant(...)) for a Python number that changes, so one "
                    "graph serves every value")
    if "shape" in text:
        tips.append("give the tensors one shape (pad or batch them): each new shape is a new "
                    "graph")
    if "dtype" in text:
        tips.append("pass one dtype (cast the argument)")
    if "new object" in text:
        tips.append("pass the same object, or its tensors")
    return ("Fix: " + "; ".join(tips) + ".") if tips else ""


def retrace_text(name, signatures):
    """Function.explain_retrace: the last trace compared with the closest earlier one."""
    n = len(signatures)
    if n == 0:
        return f"{name} has not been traced yet"
    if n == 1:
        return f"{name} was traced once, for ({signature_text(signatures[0])}); no retrace"
    last = signatures[-1]
    previous = closest(last, signatures[:-1])
    k = max(i for i, s in enumerate(signatures[:-1]) if s is previous) + 1
    lines = [f"{name} was traced {n} times; trace {n} ({signature_text(last)}) retraced because "
             f"it differs from trace {k} ({signature_text(previous)}):"]
    lines += [f"  {c}" for c in changes(previous, last)]
    return "\n".join(lines)


def output_names(python_function, count):
    """The user's names for a function's `count` graph outputs: `return n` -> ['n'],
    `return a, b` -> ['a', 'b'], one expression -> its text; [] when unclear. Cosmetic (graph
    pictures), so it never fails a trace; no recursive AST walks (expressions may be nested
    thousands deep)."""
    if count == 0:
        return []
    try:
        source = function_source(python_function)[0]
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, RecursionError, MemoryError):
        return []
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not defs:
        return []
    returns = {}  # source text -> the returned expression
    stack = list(defs[0].body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return) and node.value is not None:
            text = ast.get_source_segment(source, node.value) or ""
            returns[" ".join(text.split())] = node.value
        elif isinstance(node, ast.stmt) and not isinstance(
                node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stack.extend(n for n in ast.iter_child_nodes(node) if isinstance(n, ast.stmt)
                         or isinstance(n, ast.excepthandler))
        elif isinstance(node, ast.excepthandler):
            stack.extend(node.body)
    if len(returns) != 1:
        return ["result"] if count == 1 and returns else []
    text, value = next(iter(returns.items()))
    if isinstance(value, ast.Tuple) and len(value.elts) == count:
        return [_short_repr_text(" ".join((ast.get_source_segment(source, e) or "?").split()))
                for e in value.elts]
    return [_short_repr_text(text)] if count == 1 else []


def _short_repr_text(text):
    return text if len(text) <= 30 else text[:27] + "..."


# ---- statement marks -------------------------------------------------------------------------


class Mark:
    """The mark of one statement: `line` (in the user's file or cell), `category` ('staged',
    'python', 'mixed' or 'unreached') and `text`."""

    __slots__ = ("line", "category", "text")

    def __init__(self, line, category, text):
        self.line, self.category, self.text = line, category, text

    def __repr__(self):
        return f"Mark({self.line}, {self.category!r}, {self.text!r})"


_LOOPS = (ast.While, ast.For)
_JUMPS = (ast.Break, ast.Continue, ast.Return)


def _is_print(node):
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name) and node.value.func.id == "print")


def _kind(node):
    if isinstance(node, ast.If):
        return "if"
    if isinstance(node, ast.While):
        return "while"
    if isinstance(node, ast.For):
        return "for"
    if isinstance(node, ast.Assert):
        return "assert"
    return "print" if _is_print(node) else None


def function_source(python_function):
    """(dedented source, first line, file name) of a function."""
    lines, first_line = inspect.getsourcelines(python_function)
    return (textwrap.dedent("".join(lines)), max(first_line, 1),
            python_function.__code__.co_filename)


def statement_marks(python_function, events):
    """[Mark] in line order for the function's marked statements, from one trace's events
    ({(file, line): [trace_marks.Event]})."""
    source, first_line, filename = function_source(python_function)
    tree = ast.parse(source)
    offset = first_line - 1
    marks = {}

    def segment(node):
        text = ast.get_source_segment(source, node) or "?"
        return " ".join(text.split())

    def visit(body, enclosing):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue  # a nested def's statements are its own (its returns are not ours)
            line = node.lineno + offset
            kind = _kind(node)
            if kind is not None:
                evs = [e for e in events.get((filename, line), ()) if e.kind == kind]
                marks[line] = _statement_mark(line, node, kind, evs, segment)
            elif isinstance(node, _JUMPS):
                marks[line] = _jump_mark(line, node, enclosing, marks)
            inner = enclosing + [(node, line)] if kind in ("if", "while", "for") else enclosing
            for field in ("body", "orelse", "finalbody", "handlers"):
                child = getattr(node, field, None)
                if isinstance(child, list) and child and isinstance(child[0], ast.AST):
                    if isinstance(node, ast.If) and field == "orelse":
                        visit(child, enclosing + [(node, line, "else")])
                    elif field == "handlers":
                        visit(child, enclosing + [("except", line)])
                    else:
                        visit(child, inner)

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            visit(node.body, [])
    return [marks[k] for k in sorted(marks)]


def _tensors_in(node, staged_events):
    """'x: int32' for the tensors the expression reads, or the staged value's dtype (from the
    first staged run's detail: (condition's dtype, {name: dtype of the tensors around}))."""
    what, tensors = staged_events[0].detail
    names = []
    found = [n for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in tensors]
    for n in sorted(found, key=lambda n: (n.lineno, n.col_offset)):  # in reading order
        if n.id not in names:
            names.append(n.id)
    return ", ".join(f"{n}: {tensors[n]}" for n in names) or what


def _count(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


def _statement_mark(line, node, kind, evs, segment):
    if not evs:
        return Mark(line, "unreached", "not reached while tracing")
    staged = [e for e in evs if e.staged]
    python = [e for e in evs if not e.staged]
    if kind in ("if", "assert"):
        test = segment(node.test)
        if staged:
            text = f"staged: tensor condition (`{test}`, {_tensors_in(node.test, staged)})"
            if kind == "assert":
                text += ", checked each time the graph runs"
        else:
            runs = {}
            for e in python:
                runs[e.detail[0]] = runs.get(e.detail[0], 0) + e.runs
            if len(runs) == 1:
                text = f"(condition was {next(iter(runs))})"
            else:
                text = ("(condition was " + ", ".join(
                    f"{v} {_count(runs[v], 'time')}" for v in (True, False) if v in runs) + ")")
            verb = "checked in Python while tracing" if kind == "assert" else \
                "ran in Python while tracing"
            text = f"{verb} {text}"
    elif kind == "while":
        test = segment(node.test)
        if staged:
            before = max(e.count for e in staged)
            text = f"staged: tensor condition (`{test}`, {_tensors_in(node.test, staged)})"
            if before:
                text += f", after {_count(before, 'iteration')} run in Python"
        else:
            text = (f"ran in Python while tracing: unrolled {_times(python)} (`{test}` was known "
                    "while tracing)")
    elif kind == "for":
        it = segment(node.iter)
        if staged:
            text = f"staged: loop over {staged[0].detail[0]} (`{it}`)"
        else:
            article = "an" if python[0].detail[:1] in "aeiou" else "a"
            text = f"unrolled {_times(python)} (`{it}` is {article} Python {python[0].detail})"
    else:  # print
        if staged:
            text = "staged: ag.print, prints each time the graph runs"
        else:
            text = "ran in Python while tracing: prints once per trace, not on later calls"
    if staged and python:
        times = _count(sum(e.runs for e in python), "time")
        return Mark(line, "mixed", f"{text}; ran in Python {times} too")
    return Mark(line, "staged" if staged else "python", text)


def _times(python_events):
    counts = sorted({e.count for e in python_events})
    if len(counts) == 1:
        return _count(counts[0], "time")
    return f"{counts[0]} to {counts[-1]} times"


def _jump_mark(line, node, enclosing, marks):
    word = type(node).__name__.lower()
    if not enclosing:
        if word == "return":
            return Mark(line, "staged", "return: the returned tensors become the graph's outputs")
        return Mark(line, "unreached", f"{word} outside a loop")
    owner = enclosing[-1]
    owner_line = owner[1]
    if owner[0] == "except":
        return Mark(line, "python", f"{word} in an except block: runs only if the exception is "
                                    "raised while tracing (a staged graph raises no Python "
                                    "exceptions)")
    owner_mark = marks.get(owner_line)
    what = _kind(owner[0])
    if owner_mark is None or owner_mark.category == "unreached":
        return Mark(line, "unreached", "not reached while tracing")
    if owner_mark.category == "python" and what == "if":
        branch = "False" if len(owner) == 3 else "True"  # (node, line, "else"): the else branch
        if branch not in owner_mark.text:
            return Mark(line, "unreached", "not reached while tracing "
                        f"(the Python if at line {owner_line} went the other way)")
        return Mark(line, "python", f"ran in Python while tracing ({word} under the Python "
                                    f"if at line {owner_line})")
    if owner_mark.category == "python":
        return Mark(line, "python", f"ran in Python while tracing ({word} in the unrolled "
                                    f"{what} loop at line {owner_line})")
    return Mark(line, "staged", f"staged: decided when the graph runs ({word} under the staged "
                                f"{what} at line {owner_line}, through a flag in its state)")


def explain_text(python_function, events):
    """Function.explain: one line per marked statement, `line N: <mark>`."""
    return "\n".join(f"line {m.line}: {m.text}"
                     for m in statement_marks(python_function, events))
