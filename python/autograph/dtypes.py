"""Element types: `ag.bool, ag.int32, ag.int64, ag.float32, ag.float64, ag.string`.

A DType compares equal to its own name, the NumPy dtype and the NumPy scalar type
(`ag.float32 == np.float32`), so code ported from NumPy or TensorFlow keeps working.
The `_code` of each DType is the runtime's enum value (runtime/core/dtype.h).
"""
import builtins

import numpy as np


class DType:
    """One element type of the runtime."""

    __slots__ = ("name", "_code", "as_numpy_dtype", "size")

    def __init__(self, name, code):
        self.name = name
        self._code = code
        # Strings are NumPy objects holding bytes, as TensorFlow's string dtype.
        np_dtype = np.dtype(object if name == "string" else name)
        self.as_numpy_dtype = np_dtype.type
        self.size = np_dtype.itemsize

    @property
    def is_floating(self):
        return self.name.startswith("float")

    @property
    def is_integer(self):
        return self.name.startswith("int")

    @property
    def is_bool(self):
        return self.name == "bool"

    def __repr__(self):
        return f"ag.{self.name}"

    def __str__(self):
        return self.name

    def __eq__(self, other):
        if other is self:
            return True
        try:
            return as_dtype(other) is self
        except (TypeError, ValueError):
            return NotImplemented

    def __hash__(self):
        return hash(self.name)

    def __reduce__(self):
        return as_dtype, (self.name,)


# Order = the runtime's enum order (the code is the index).
bool = DType("bool", 0)  # noqa: A001 - the SPEC names it ag.bool
int32 = DType("int32", 1)
int64 = DType("int64", 2)
float32 = DType("float32", 3)
float64 = DType("float64", 4)
string = DType("string", 5)  # UTF-8 text

ALL = (bool, int32, int64, float32, float64, string)
_BY_NAME = {d.name: d for d in ALL}
# Python builtin types map to the SPEC's defaults.
_BY_PYTYPE = {builtins.bool: bool, builtins.int: int32, builtins.float: float32,
              builtins.str: string, builtins.bytes: string}


def as_dtype(value):
    """The DType for a DType, name, NumPy dtype/type or Python type; TypeError otherwise."""
    if isinstance(value, DType):
        return value
    if isinstance(value, str) and value in _BY_NAME:
        return _BY_NAME[value]
    if isinstance(value, type) and value in _BY_PYTYPE:
        return _BY_PYTYPE[value]
    try:
        np_dtype = np.dtype(value)
    except TypeError:
        raise TypeError(f"cannot interpret {value!r} as an ag dtype") from None
    if np_dtype.kind in "OUS":  # objects (TensorFlow's numpy dtype of strings), str, bytes
        return string
    name = np_dtype.name
    if name in _BY_NAME:
        return _BY_NAME[name]
    raise TypeError(
        f"dtype {name} is not supported (supported: bool, int32, int64, float32, float64, "
        f"string)"
    )
