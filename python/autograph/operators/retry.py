"""`Retry`: trace a staged statement again, knowing more (staging.py explains why and when),
and `Learned`, what the traces of one statement have taught so far."""


class Retry(Exception):
    """Internal: trace a staged statement again, knowing more types.

    `owner` is the statement that raised it (None for a list append asking whichever enclosing
    statement carries the list); `hints` maps a leaf index of the owner's state to the
    (dtype, shape) it must have; `lists` maps id(python list) to its element (dtype, shape)."""

    def __init__(self, owner=None, hints=None, lists=None, structs=None, shapes=None,
                 max_iterations=None):
        super().__init__("retry")
        self.owner = owner
        self.hints = hints or {}
        self.lists = lists or {}
        self.structs = structs or {}  # variable index -> template() (a return value's type)
        self.shapes = shapes or {}  # leaf index -> TensorShape (a loop's shape invariants)
        self.max_iterations = max_iterations  # a loop's maximum_iterations (set_loop_options)


class Learned:
    """What the traces of one staged statement have taught about its state. `owner` marks the
    Retry exceptions raised for this statement."""

    __slots__ = ("owner", "hints", "lists", "structs", "shapes", "max_iterations")

    def __init__(self):
        self.owner = object()
        self.hints = {}
        self.lists = {}
        self.structs = {}
        self.shapes = {}
        self.max_iterations = None

    def absorb(self, r, list_ids):
        """Takes what Retry `r` teaches; False when it is for an enclosing statement."""
        if r.owner is self.owner:
            self.hints.update(r.hints)
            self.lists.update(r.lists)
            self.structs.update(r.structs)
            self.shapes.update(r.shapes)
            if r.max_iterations is not None:
                self.max_iterations = r.max_iterations
            return True
        mine = claim_lists(r, list_ids)
        if r.owner is None and mine:
            self.lists.update(mine)
            return True
        return False


def claim_lists(r, list_ids):
    """The list requests of Retry `r` that concern this statement, keyed by its entry lists."""
    return {list_ids[k]: v for k, v in r.lists.items() if k in list_ids}
