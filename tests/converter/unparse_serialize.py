"""Serializes CPython ASTs for unparse-from-cpython (see that file for the format)."""
import ast

_OPS = (ast.cmpop, ast.expr_context, ast.boolop, ast.operator, ast.unaryop)


def _hex(s):
    if isinstance(s, str):
        s = s.encode("utf-8", "surrogatepass")
    return s.hex() or "_"


def _const(v, out):
    if v is None:
        out.append("C None")
    elif v is True:
        out.append("C True")
    elif v is False:
        out.append("C False")
    elif v is Ellipsis:
        out.append("C Ellipsis")
    elif isinstance(v, int):
        out.append("C Int %d" % v)
    elif isinstance(v, float):
        out.append("C Float " + v.hex())
    elif isinstance(v, complex):
        out.append("C Complex " + v.imag.hex())
    elif isinstance(v, str):
        out.append("C Str " + _hex(v))
    elif isinstance(v, bytes):
        out.append("C Bytes " + _hex(v))
    else:
        raise TypeError(type(v))


def _node(n, out):
    if n is None:
        out.append("-")
        return
    out.append("N %s %d %d %d %d" % (
        type(n).__name__, getattr(n, "lineno", 0) or 0, getattr(n, "col_offset", 0) or 0,
        getattr(n, "end_lineno", 0) or 0, getattr(n, "end_col_offset", 0) or 0))
    for name in n._fields:
        _field(n, name, getattr(n, name), out)


def _field(owner, name, v, out):
    if isinstance(v, list):
        out.append("L %d" % len(v))
        for item in v:
            if isinstance(item, str):
                out.append("S " + _hex(item))
            elif isinstance(item, _OPS):
                out.append("O " + type(item).__name__)
            else:
                _node(item, out)
    elif isinstance(v, ast.AST):
        if isinstance(v, _OPS):
            out.append("O " + type(v).__name__)
        else:
            _node(v, out)
    elif name in ("value",) and isinstance(owner, (ast.Constant, ast.MatchSingleton)):
        _const(v, out)
    elif isinstance(v, str):
        out.append("S " + _hex(v))
    elif isinstance(v, int) and not isinstance(v, bool):
        out.append("I %d" % v)
    elif v is None:
        out.append("-")
    else:
        raise TypeError((name, v))


def serialize(tree):
    out = []
    _node(tree, out)
    out.append("END")
    return "\n".join(out) + "\n"
