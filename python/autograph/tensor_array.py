"""`ag.TensorArray` and the helpers for Python lists appended to in staged loops.

Functional like TensorFlow's: `write` returns the new array, so the array can be a loop variable
of `ag.while_loop`. Eagerly it is a Python list of tensors; while tracing it is a runtime tensor
list (a graph value). The element type must be known when the list is created in the graph: it
comes from `element_shape`, or from the first write; an array that enters a loop before any
write gets scalar elements unless `element_shape` says otherwise.
"""
from . import _core
from . import dtypes as _dtypes
from . import ops
from .errors import InvalidArgumentError
from .tensor import Tensor


class TensorArray:
    """A list of tensors of one dtype and shape, usable as a staged loop variable."""

    def __init__(self, dtype, size=0, dynamic_size=False, element_shape=None,
                 clear_after_read=None, infer_shape=True, _handle=None, _items=None):
        self.dtype = _dtypes.as_dtype(dtype)
        self.dynamic_size = dynamic_size
        self.element_shape = None if element_shape is None else tuple(element_shape)
        self._size = size
        self._handle = _handle  # graph mode: the symbolic list value
        if _handle is None and _items is None and _core.tracing():
            self._items = None  # staged; the list is made at the first write or loop entry
            if self.element_shape is not None:
                self._ensure_handle()
        else:
            self._items = _items if _items is not None or _handle is not None else (
                [None] * int(size))

    # ---- graph mode -------------------------------------------------------------------------
    @property
    def _staged(self):
        return self._handle is not None or self._items is None

    def _ensure_handle(self, element_shape=None):
        if self._handle is None:
            shape = self.element_shape if self.element_shape is not None else (
                element_shape if element_shape is not None else ())
            self.element_shape = tuple(shape)
            size = None if _is_static_zero(self._size) else self._size
            self._handle = _core.list_new(self.dtype, list(shape), size, self.dynamic_size)
        return self._handle

    def _with_handle(self, handle):
        return TensorArray(self.dtype, self._size, self.dynamic_size, self.element_shape,
                           _handle=handle)

    # ---- API ----------------------------------------------------------------------------------
    def write(self, index, value):
        """A new array with `value` at `index` (grows when dynamic_size)."""
        value = ops.cast(value, self.dtype) if _dtype_of(value) != self.dtype else value
        if self._staged:
            value = _core.constant(value) if not isinstance(value, Tensor) else value
            handle = self._ensure_handle(value.shape)
            return self._with_handle(_core.list_set(handle, index, value))
        i = int(index)
        items = list(self._items)
        if i < 0:
            raise InvalidArgumentError(f"TensorArray.write: negative index {i}")
        if i >= len(items):
            if not self.dynamic_size:
                raise InvalidArgumentError(
                    f"TensorArray.write: index {i} is out of range for a TensorArray of size "
                    f"{len(items)} (pass dynamic_size=True to grow it)")
            items.extend([None] * (i + 1 - len(items)))
        items[i] = _core.constant(value)
        return TensorArray(self.dtype, len(items), self.dynamic_size, self.element_shape,
                           _items=items)

    def read(self, index):
        """The element at `index`."""
        if self._staged:
            return _core.list_get(self._ensure_handle(), index)
        i = int(index)
        if not 0 <= i < len(self._items) or self._items[i] is None:
            raise InvalidArgumentError(
                f"TensorArray.read: index {i} was never written (size {len(self._items)})")
        return self._items[i]

    def stack(self):
        """The elements stacked along a new first axis."""
        if self._staged:
            return _core.list_stack(self._ensure_handle())
        if not self._items:
            shape = (0,) + (self.element_shape or ())
            return ops.zeros(shape, self.dtype)
        missing = [i for i, t in enumerate(self._items) if t is None]
        if missing:
            raise InvalidArgumentError(
                f"TensorArray.stack: element {missing[0]} was never written")
        return ops.stack(self._items)

    def size(self):
        """The number of elements (int32 scalar)."""
        if self._staged:
            return _core.list_size(self._ensure_handle())
        return _core.constant(len(self._items), _dtypes.int32)

    def _pop(self, index=-1):
        """(a new array without element `index`, that element): `lst.pop(index)` on an array
        used as a list (the converter's `ag__.list_pop`). Staged, an empty array fails when the
        graph runs."""
        if self._staged:
            rest, value = _core.list_pop(self._ensure_handle(), index)
            return self._with_handle(rest), value
        items = list(self._items)
        i = int(index)
        if not items:
            raise InvalidArgumentError("TensorArray pop: pop from empty list")
        if not -len(items) <= i < len(items):
            raise InvalidArgumentError(
                f"TensorArray pop: index {i} is out of range for a TensorArray of size "
                f"{len(items)}")
        value = items.pop(i)
        if value is None:
            raise InvalidArgumentError(f"TensorArray pop: element {i} was never written")
        return TensorArray(self.dtype, len(items), self.dynamic_size, self.element_shape,
                           _items=items), value

    def unstack(self, value):
        """A new array holding the slices of `value` along its first axis."""
        value = _core.constant(value)
        out = TensorArray(self.dtype, 0, True, value.shape[1:])
        if self._staged or value.is_symbolic:
            # A staged loop over the rows, built on the runtime's While directly (ag.while_loop
            # is in control_flow.py, which depends on this module).
            n = value.shape[0] if value.shape[0] is not None else ops.shape(value)[0]

            def body(loop_vars):
                i, handle = loop_vars
                return [i + 1, out._with_handle(handle).write(i, value[i])._handle]

            _, handle = _core.while_loop([_core.constant(0, _dtypes.int32), out._ensure_handle()],
                                         lambda loop_vars: loop_vars[0] < n, body)
            return out._with_handle(handle)
        for i in range(value.shape[0]):
            out = out.write(i, value[i])
        return out

    def __repr__(self):
        kind = "staged" if self._staged else f"size={len(self._items)}"
        return f"<ag.TensorArray dtype={self.dtype.name} {kind}>"


def _is_static_zero(size):
    return isinstance(size, int) and size == 0


def _dtype_of(value):
    if isinstance(value, Tensor):
        return value.dtype
    return None


# Python lists appended to inside staged loops (the converter turns them into tensor lists).
_element_types = {}


def set_element_type(lst, dtype, shape=()):
    """Declares the element dtype (and shape) of a Python list that a staged loop appends to."""
    _element_types[id(lst)] = (lst, _dtypes.as_dtype(dtype), tuple(shape))
    return lst


def element_type(lst):
    """(dtype, shape) declared by set_element_type, or None."""
    entry = _element_types.get(id(lst))
    return None if entry is None or entry[0] is not lst else entry[1:]


def stack(values, axis=0, strict=None):
    """ag.stack of a Python list, a TensorArray or tensors."""
    if isinstance(values, TensorArray):
        return values.stack()
    if isinstance(values, Tensor) and _core.is_list(values):
        return _core.list_stack(values)
    if isinstance(values, list) and not values and element_type(values) is not None:
        dtype, shape = element_type(values)
        return ops.zeros((0,) + shape, dtype)
    return ops.stack(values, axis)
