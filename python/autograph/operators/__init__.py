"""The `ag__` module of converted code: operators with dynamic dispatch.

Converted code (converter/transforms/README.md has the contract) calls these for control flow,
boolean operators, assertions, list operations and calls. Each runs as plain Python on Python
values and stages graph nodes when its condition or iterable is symbolic (SPEC §3)."""
import sys as _sys

from ..impl import conversion as _conversion
from .variables import (  # noqa: F401
    STD, ConversionOptions, FunctionScope, Undefined, UndefinedReturnValue, ld, ldu,
)
from .control_flow import for_stmt, if_exp, if_exp_chain, if_stmt, while_stmt  # noqa: F401
from .logical import and_, in_, not_, not_in, or_  # noqa: F401
from .exceptions import assert_stmt  # noqa: F401
from .data_structures import list_append, list_pop  # noqa: F401
from .calls import converted_call  # noqa: F401
from .returns import retval  # noqa: F401

# Converted functions reach this package as `ag__`.
_conversion.bind_operators(_sys.modules[__name__])
