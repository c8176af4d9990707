"""xautograph: stage Python into dataflow graphs run on a C++ runtime (`import autograph as ag`).

The names here are SPEC §3's contract. Eager execution is the default; `ag.function` stages.
"""
from . import errors
from .errors import AutographError, ConversionError, InvalidArgumentError, StagingError
from . import _core
from . import _frames
from . import dtypes
from .dtypes import DType, bool, float32, float64, int32, int64, as_dtype  # noqa: A004

_core._register_dtypes(dtypes.ALL)
_core._register_errors(InvalidArgumentError, StagingError, errors._symbolic_misuse)
# Frames in the package are not "the user's code" for source locations.
_core._set_package_dir(_frames.DIR)

from .tensor import Tensor, is_tensor  # noqa: E402
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
from . import math, nn, random  # noqa: E402
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
# Warned once when a Python loop unrolls past 10,000 iterations while tracing.
from .operators.control_flow import UnrolledLoopWarning  # noqa: E402
from . import keras  # noqa: E402

__version__ = "0.1.0"
