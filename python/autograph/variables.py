"""`ag.Variable`: mutable state shared between eager code and staged functions.

The storage is a runtime Variable resource; graphs read and assign it by reference, so a staged
function sees (and makes) the same updates as eager code. Inside a staged function reads and
assignments are side effects kept in program order. A Variable works in expressions like a
tensor (its current value).
"""
import contextlib

from . import _core


@contextlib.contextmanager
def init_scope():
    """Runs its block eagerly even while a staged function is being traced (TensorFlow's
    `tf.init_scope`): the place to create variables on a layer's first call."""
    scope = _core._InitScope()
    scope.__enter__()
    try:
        yield
    finally:
        scope.__exit__(None, None, None)


def name_scope(name):
    """`with ag.name_scope("dense"):` — nodes traced inside carry the scope, and graph pictures
    draw them in one box (a layer's ops together). Nothing happens eagerly."""
    return _core._NameScope(str(name))


class Variable:
    """A mutable tensor of fixed dtype and shape."""

    _count = 0

    def __init__(self, initial_value, trainable=True, name=None, dtype=None):
        if callable(initial_value):
            initial_value = initial_value()
        if _core.tracing():
            # Creating state while tracing would create it again on every retrace.
            from .errors import staging_error

            raise staging_error(
                "ag.Variable must be created outside staged functions (create it once, "
                "then use it inside)"
            )
        value = _core.constant(initial_value, dtype)
        Variable._count += 1
        self._name = name or f"Variable{Variable._count}"
        self._resource = _core.VariableResource(value, self._name)
        self._resource.trainable = bool(trainable)

    @property
    def trainable(self):
        """Whether a GradientTape watches this variable when it is read (default True)."""
        return self._resource.trainable

    @property
    def dtype(self):
        return self._resource.dtype

    @property
    def shape(self):
        return self._resource.shape

    @property
    def name(self):
        return self._name

    def read_value(self):
        """The current value (a symbolic read, ordered with the assignments, when staged)."""
        return self._resource.read()

    value = read_value

    def assign(self, value):
        """Replaces the value (cast to the variable's dtype); returns the new value."""
        return self._resource.assign(value, "set")

    def assign_add(self, delta):
        return self._resource.assign(delta, "add")

    def assign_sub(self, delta):
        return self._resource.assign(delta, "sub")

    def numpy(self):
        return self._resource.read().numpy()

    def __ag_tensor__(self):
        return self._resource.read()

    def __repr__(self):
        if _core.tracing():
            return f"<ag.Variable '{self._name}' shape={self.shape} dtype={self.dtype.name}>"
        return (f"<ag.Variable '{self._name}' shape={self.shape} dtype={self.dtype.name}, "
                f"numpy={self.numpy()!r}>")

    __hash__ = object.__hash__

    def __array__(self, dtype=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)

    __array_priority__ = 100


def _delegate(name):
    def method(self, *args):
        return getattr(self.read_value(), name)(*args)

    method.__name__ = name
    return method


for _name in (
    "__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ "
    "__floordiv__ __rfloordiv__ __mod__ __rmod__ __pow__ __rpow__ __matmul__ __rmatmul__ "
    "__and__ __rand__ __or__ __ror__ __xor__ __rxor__ __eq__ __ne__ __lt__ __le__ __gt__ "
    "__ge__ __neg__ __pos__ __abs__ __invert__ __getitem__ __bool__ __int__ __float__ "
    "__index__ __len__ __iter__ __format__"
).split():
    setattr(Variable, _name, _delegate(_name))
