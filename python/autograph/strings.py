"""`ag.strings`: operations on string tensors (UTF-8 text), named as TensorFlow's `tf.strings`.

String tensors also support `+` (concatenation, broadcasting), `==` and `!=`, and print as
their text (`ag.print`). `.numpy()` gives Python `bytes` for a scalar and an object array of
`bytes` otherwise, as TensorFlow does.
"""
from . import _core
from .tensor import Tensor

_K = _core.op_kinds
_apply = _core.apply


def _rows(value):
    """A tensor, or a list staged code carries (stacked), as one string tensor."""
    if isinstance(value, Tensor) and _core.is_list(value):
        return _core.list_stack(value)
    return value


def join(inputs, separator=""):
    """Element-wise concatenation of the string tensors in `inputs` (broadcasting), with
    `separator` between them. A tensor or a staged list as `inputs` joins its items (along the
    first axis), as iterating it would give them."""
    if isinstance(inputs, Tensor):
        return reduce_join(_rows(inputs), axis=0, separator=separator)
    inputs = list(inputs)
    if not inputs:
        return _core.graph_constant("")
    return _apply(_K["string_join"], inputs, {"text": separator})


def reduce_join(inputs, axis=None, separator=""):
    """The strings of `inputs` joined along `axis` (None: all of them, in row-major order),
    with `separator` between them; the axis is removed."""
    return _apply(_K["string_reduce_join"], [_rows(inputs)], {"axis": axis, "text": separator})


def length(input, unit="BYTE"):  # noqa: A002 - TF's argument name
    """int32 length of each string: in bytes (TensorFlow's default) or, with
    `unit="UTF8_CHAR"`, in Unicode code points."""
    return _apply(_K["string_length"], [input], {"text": unit})


def upper(input):  # noqa: A002
    """Each string with its ASCII letters in upper case (as TensorFlow's without an encoding)."""
    return _apply(_K["string_upper"], [input], {})


def lower(input):  # noqa: A002
    """Each string with its ASCII letters in lower case."""
    return _apply(_K["string_lower"], [input], {})


def format(template, inputs, placeholder="{}"):  # noqa: A001 - TF's name
    """A string scalar: `template` with each `{}` replaced by the next of `inputs` (a tensor or a
    list of them; Python values are converted) shown as `ag.print` shows it."""
    if placeholder != "{}":
        if "{}" in template:
            raise ValueError("format: a template with another placeholder must not contain '{}'")
        template = template.replace(placeholder, "{}")
    if not isinstance(inputs, (list, tuple)):
        inputs = [inputs]
    # Each Python value on its own (3 stays int32 next to a float tensor: no weak typing here).
    inputs = [v if isinstance(v, Tensor) else _core.graph_constant(v) for v in inputs]
    return _apply(_K["string_format"], inputs, {"text": template})
