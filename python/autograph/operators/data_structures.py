"""`ag__.list_append` / `ag__.list_pop`: Python lists, or tensor lists in staged loops.

A Python list that a staged loop (or branch) carries and appends to must become a runtime
tensor list: an append to such a list asks the enclosing staged statement to trace again with
the list converted (its element type from `ag.set_element_type`, or from the appended value)."""
from .. import _core
from ..tensor import Tensor
from ..tensor_array import TensorArray
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
    """`target.pop(index)`; returns (list, value)."""
    if staging.is_list_tensor(target) or isinstance(target, TensorArray):
        raise staging.error("pop from a list that a staged loop appends to is not supported; "
                            "use ag.TensorArray with an explicit index", staging.location())
    value = target.pop() if index is None else target.pop(index)
    return target, value
