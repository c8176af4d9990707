"""`ag.TensorShape`: a tensor's shape, TensorFlow's name and methods on a tuple.

It *is* a tuple of dims (an int, or None for a dim unknown while tracing), so `t.shape == (2, 3)`,
`n, m = t.shape` and `t.shape[0]` work as they always did; `as_list()`, `rank`/`ndims` and
`is_fully_defined()` are TensorFlow's. `ag.TensorShape([None])` states a relaxed loop variable
shape for `ag.autograph.experimental.set_loop_options(shape_invariants=...)`.
"""


class TensorShape(tuple):
    """A shape: `TensorShape([2, None])`; None (unknown rank) is not supported."""

    __slots__ = ()

    def __new__(cls, dims=()):
        if isinstance(dims, int):
            dims = (dims,)
        if dims is None:
            raise ValueError("ag.TensorShape(None): a shape of unknown rank is not supported; "
                             "give one entry per dimension (None for an unknown size)")
        return super().__new__(cls, (None if d is None or d < 0 else int(d) for d in dims))

    @property
    def rank(self):
        return len(self)

    ndims = rank

    @property
    def dims(self):
        return list(self)

    def as_list(self):
        return list(self)

    def is_fully_defined(self):
        return all(d is not None for d in self)

    def num_elements(self):
        """The number of elements, or None while a dim is unknown."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self:
            n *= d
        return n

    def is_compatible_with(self, other):
        other = TensorShape(other)
        return len(self) == len(other) and all(
            a is None or b is None or a == b for a, b in zip(self, other))

    def __repr__(self):
        return f"TensorShape({list(self)})"

    def __str__(self):
        return tuple.__repr__(self)

    __format__ = object.__format__  # f"{shape}" reads like the tuple it is: (2, 3)
