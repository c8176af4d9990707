"""The target of a `for` loop over a dataset against the dataset's elements.

`for x, y in ds` over a dataset of single tensors would unpack each tensor along its rows (or
fail deep in the body, or silently work when a batch has two rows); `ag__.for_stmt` checks the
first element against the target as written (`opts['iterate_names']`) and raises a StagingError
at the user's for statement instead.
"""
from ..tensor import Tensor
from . import staging


def _target_arity(names):
    """How many values the loop target `names` (as written) unpacks at its top level; None for
    a single name."""
    text = names.strip()
    while text.startswith(("(", "[")) and _closing(text) == len(text) - 1:
        text = text[1:-1].strip()
    depth, parts = 0, 1
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts += 1
    if text.endswith(","):
        parts -= 1
    return parts if parts > 1 or text.endswith(",") else None


def _closing(text):
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0:
            return i
    return -1


def check_target(element, opts):
    """A StagingError at the user's for statement when the target cannot unpack the element
    (`for x, y in ds` over single tensors, or over pairs as `for a, b, c`)."""
    names = (opts or {}).get("iterate_names")
    if not names:
        return
    arity = _target_arity(names)
    if arity is None:
        return
    if isinstance(element, Tensor):
        what = f"single tensors (shape {_shape(element)})"
    elif isinstance(element, dict):
        what = f"dicts with keys {sorted(element)}"
    elif isinstance(element, tuple) and len(element) != arity:
        what = f"tuples of {len(element)} values"
    else:
        return
    loc = staging.location()
    raise staging.error(
        f"for {names} in <dataset>{staging.where(loc)}: the dataset's elements are {what}, "
        f"but the loop target unpacks {arity} values; write `for element in ds` or make the "
        f"elements {arity}-tuples (e.g. from_tensor_slices((x, y)))", loc)


def _shape(t):
    return "(" + ", ".join("None" if d is None else str(d) for d in t.shape) + \
        ("," if len(t.shape) == 1 else "") + ")"
