"""Nested structures (tuples, lists, dicts, namedtuples, None) flattened to leaves and back.

Staged functions, `ag.cond` and `ag.while_loop` pass flat lists of tensors to the runtime; the
structure ("treedef") is kept on the Python side. Treedefs are hashable so they can be part of a
trace-cache key.
"""

_LEAF = "*"


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def flatten(structure, is_leaf=None):
    """Returns (leaves, treedef). None is structure, not a leaf; `is_leaf(x)` stops descent."""
    leaves = []

    def rec(x):
        if is_leaf is not None and is_leaf(x):
            leaves.append(x)
            return _LEAF
        if x is None:
            return None
        if _is_namedtuple(x):
            return ("namedtuple", type(x), tuple(rec(e) for e in x))
        if type(x) in (tuple, list):
            return (type(x), tuple(rec(e) for e in x))
        if type(x) is dict:
            keys = tuple(x.keys())
            return (dict, keys, tuple(rec(x[k]) for k in keys))
        leaves.append(x)
        return _LEAF

    return leaves, rec(structure)


def pack(treedef, leaves):
    """Rebuilds the structure of `treedef` with `leaves` (any iterable, consumed in order)."""
    return _pack(treedef, iter(leaves))


# Module level, not a closure of pack: a recursive closure is a reference cycle, which would
# keep every call's leaves (result tensors and their buffers) alive until the cyclic GC ran.
def _pack(t, it):
    if t == _LEAF:
        return next(it)
    if t is None:
        return None
    if t[0] == "namedtuple":
        return t[1](*(_pack(e, it) for e in t[2]))
    if t[0] is dict:
        return {k: _pack(e, it) for k, e in zip(t[1], t[2])}
    return t[0](_pack(e, it) for e in t[1])


def describe(treedef):
    """Readable form of a treedef for error messages: `(*, [*, *])`."""
    if treedef == _LEAF:
        return "value"
    if treedef is None:
        return "None"
    if treedef[0] == "namedtuple":
        return f"{treedef[1].__name__}({', '.join(describe(e) for e in treedef[2])})"
    if treedef[0] is dict:
        return "{" + ", ".join(f"{k!r}: {describe(e)}" for k, e in zip(treedef[1], treedef[2])) + "}"
    inner = ", ".join(describe(e) for e in treedef[1])
    return f"[{inner}]" if treedef[0] is list else f"({inner}{',' if len(treedef[1]) == 1 else ''})"
