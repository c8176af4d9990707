"""A Dataset as the sequence a staged `for` loop walks, and the loop target check.

`for x, y in ds` inside `ag.function` reaches `ag__.for_stmt` (operators/control_flow.py),
which asks `staged_sequence(ds)` for a StagedSequence: this one. Its reader is made where the
loop statement is, before the While, so per-iteration work (a shuffle's order, a filter's kept
positions, the shuffle counter's read and increment) happens once per run of the graph, not
once per element.
"""
from .. import dtypes
from ..operators import staging
from ..operators.control_flow import StagedSequence
from ..tensor import Tensor


class DatasetSequence(StagedSequence):
    index_dtype = dtypes.int64

    def __init__(self, dataset):
        self.reader = dataset._reader(False)

    def length(self):
        return self.reader.length  # None: infinite (the loop ends by break/return only)

    def item(self, k):
        return self.reader.item(k, 0)


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
