"""`ag__.list_append` / `ag__.list_pop`: Python lists, or tensor lists in staged loops.

A Python list that a staged loop (or branch) carries and appends to or pops from must become a
runtime tensor list: such an append or pop asks the enclosing staged statement to trace again
with the list converted (its element type from `ag.set_element_type`, else from the appended
value or the list's first element)."""
from .. import _core
from ..tensor import Tensor
from ..tensor_array import TensorArray, element_type
from . import staging


def list_append(target, element):
    """`target.append(element)`; returns the (same or new) list."""
    if isinstance(target, TensorArray):
        return target.write(target.size(), element)
    if staging.is_list_tensor(target):
        return _core.list_push_back(target, _element(target, element))
    if type(target) is list and staging.staged_depth() and staging.carried_list(target):
        value = element if isinstance(element, Tensor) else _core.constant(element)
        raise staging.Retry(lists={id(target): (value.dtype, tuple(value.shape))})
    target.append(element)
    return target


def _element(lst, element):
    dtype = lst.dtype
    if isinstance(element, Tensor):
        return staging.cast(element, dtype) if element.dtype != dtype else element
    return _core.constant(element, dtype)


def list_pop(target, index):
    """`target.pop(index)` (`index` None: the last element); returns (list, value).

    Tensor lists pop in the graph: the value has the list's element type, and popping from an
    empty list (or at an index out of range) raises ag.InvalidArgumentError when the graph runs,
    naming the line of the pop."""
    if isinstance(target, TensorArray):
        return target._pop(-1 if index is None else index)
    if staging.is_list_tensor(target):
        return _core.list_pop(target, -1 if index is None else _index(index))
    if type(target) is list and staging.staged_depth() and staging.carried_list(target):
        # Popping at trace time would pop once, whichever way the staged statement goes.
        raise staging.Retry(lists={id(target): _pop_spec(target)})
    value = target.pop() if index is None else target.pop(index)
    return target, value


def _index(index):
    if isinstance(index, Tensor) or type(index) is int:
        return index
    if hasattr(index, "__index__") and not isinstance(index, bool):
        return int(index.__index__())
    raise staging.error(
        f"list.pop: the index of a pop from a staged list must be an integer, got "
        f"{staging.describe(index)}", staging.location())


def _pop_spec(lst):
    """(dtype, shape) of a Python list popped inside a staged statement."""
    spec = element_type(lst)
    if spec is not None:
        return spec
    if lst:
        try:
            first = lst[0] if isinstance(lst[0], Tensor) else _core.constant(lst[0])
        except Exception as e:  # noqa: BLE001 - any value that is not a tensor is the same case
            raise staging.error(
                f"list.pop inside a staged statement: the list's elements must be tensors or "
                f"numbers to stage it, got {staging.describe(lst[0])}",
                staging.location()) from e
        return first.dtype, tuple(first.shape)
    raise staging.error(
        "list.pop inside a staged statement from a list whose element type is unknown (it is "
        "empty and nothing is appended to it first); declare it with "
        "ag.set_element_type(lst, dtype, shape)", staging.location())
