"""xautograph: write plain Python, run it as a dataflow graph (`import autograph as ag`).

Ops such as `ag.constant`, `ag.matmul` or `ag.reduce_sum` run at once (eager execution).
`ag.function` stages a Python function: its `if`/`while`/`for` on tensors become graph control
flow, and calls run the compiled graph on the C++ runtime. Names follow TensorFlow's
(`tf.function` -> `ag.function`). Guide and examples: the README,
https://github.com/xautograph/xautograph#readme
"""
from . import errors
from .errors import AutographError, ConversionError, InvalidArgumentError, StagingError
from . import _core
from . import _frames
from . import dtypes
from .dtypes import DType, bool, float32, float64, int32, int64, string, as_dtype  # noqa: A004

_core._register_dtypes(dtypes.ALL)
_core._register_errors(InvalidArgumentError, StagingError, errors._symbolic_misuse)
# Frames in the package are not "the user's code" for source locations.
_core._set_package_dir(_frames.DIR)

from .tensor import Tensor, is_tensor  # noqa: E402
from .tensor_shape import TensorShape  # noqa: E402
from .ops import (  # noqa: E402,F401
    abs, argmax, argmin, cast, ceil, clip_by_value, concat, constant, cos, equal, exp, fill,
    floor, gather, greater, greater_equal, identity, less, less_equal, log, logical_and,
    logical_not, logical_or, logical_xor, matmul, maximum, minimum, not_equal, one_hot, ones,
    ones_like, pow, range, reduce_all, reduce_any, reduce_max, reduce_mean, reduce_min,
    reduce_prod, reduce_sum, reshape, round, shape, sigmoid, sign, sin, size, sqrt, square,
    tanh, transpose, where, zeros, zeros_like, add, subtract, multiply, divide, truediv,
    floordiv, mod, negative,
)
from .array_ops import (  # noqa: E402,F401
    argsort, cumsum, expand_dims, eye, linspace, sort, squeeze, tile, unstack,
)
from . import math, nn, random, strings  # noqa: E402
from . import data  # noqa: E402
from .control_flow import cond, while_loop, _assert  # noqa: E402
from .printing import print  # noqa: E402,A004
from .variables import Variable, init_scope, name_scope  # noqa: E402
from .autodiff import GradientTape, stop_gradient  # noqa: E402
from .tensor_array import TensorArray, set_element_type, stack  # noqa: E402
from .module import Module  # noqa: E402
from .graph import Graph  # noqa: E402
from .devices import device, list_devices  # noqa: E402
from .function import (  # noqa: E402
    Function, convert, do_not_convert, function, to_code, to_graph,
)
# Warned once when a Python for or while loop unrolls past 3,000 iterations while tracing.
from .operators.control_flow import UnrolledLoopWarning  # noqa: E402
from . import keras  # noqa: E402
from . import autograph  # noqa: E402  (ag.autograph.experimental.set_loop_options)

__version__ = "0.1.0"

# What `ag.<Tab>`, `dir(ag)` and `from autograph import *` offer: the API, not the modules it is
# implemented in (ag.impl, ag.nest, ...; still importable, and still attributes for the package's
# own use).
_PUBLIC_MODULES = ("data", "keras", "math", "nn", "random", "strings")


def _public_names(namespace):
    import types

    names = [name for name, value in namespace.items()
             if not name.startswith("_") and not isinstance(value, types.ModuleType)]
    return sorted(names + list(_PUBLIC_MODULES))


__all__ = _public_names(globals())


def __dir__():
    return __all__ + ["__version__"]
