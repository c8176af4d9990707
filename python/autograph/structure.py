"""Values of staged control flow as the flat list of graph values a Cond/While carries, and back.

One module for both users of the runtime's functional Cond/While: `ag.cond`/`ag.while_loop`
(control_flow.py) and the ag__ operators' staged `if`/`while`/`for` (operators/staging.py).
`flatten` splits each value into leaves (nest.py does the structure); the caller decides per leaf
how it is staged and records that as a `Leaf`; `pack` rebuilds the values from the Leaf records
and the graph values the Cond/While returned (or passed to a branch or loop body).
"""
from . import nest
from .tensor import Tensor
from .tensor_array import TensorArray
from .variables import Variable

# What stops the descent into a structure: values staged as a whole.
LEAF_TYPES = (Tensor, TensorArray, Variable)


def is_leaf(x):
    return isinstance(x, LEAF_TYPES)


class Leaf:
    """How one leaf is staged, and what `pack` puts in its place."""

    __slots__ = ("kind", "dtype", "shape", "static", "template", "weak")

    def __init__(self, kind, dtype=None, shape=None, static=None, template=None, weak=False):
        # 'tensor': one graph value, the leaf itself; 'ta': one graph value, the handle of
        # TensorArray `template`; 'ret': one placeholder graph value, `static` in Python (a return
        # value not produced yet); 'static', 'undef': no graph value, `static` passes through.
        self.kind = kind
        self.dtype = dtype
        self.shape = shape
        self.static = static
        self.template = template
        self.weak = weak  # made from a Python number: its type may still be learned


def flatten(values, leaf_types=LEAF_TYPES):
    """(leaves, owners, treedefs) of a sequence of values: all leaves in order, the index of the
    value each leaf belongs to, and one treedef per value."""

    def stop(x):
        return isinstance(x, leaf_types)

    leaves, owners, trees = [], [], []
    for i, v in enumerate(values):
        ls, tree = nest.flatten(v, stop)
        leaves.extend(ls)
        owners.extend([i] * len(ls))
        trees.append(tree)
    return leaves, owners, trees


def pack(infos, trees, values):
    """The values rebuilt (a tuple, one per treedef) from the Leaf records `infos` and the graph
    values, one per leaf of a kind that has one, in order."""
    it = iter(values)
    leaves = []
    for info in infos:
        if info.kind in ("static", "undef"):
            leaves.append(info.static)
        elif info.kind == "ret":
            next(it)
            leaves.append(info.static)
        elif info.kind == "ta":
            leaves.append(info.template._with_handle(next(it)))
        else:
            leaves.append(next(it))
    it_leaves = iter(leaves)
    return tuple(nest.pack(t, it_leaves) for t in trees)
