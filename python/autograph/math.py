"""`ag.math`: element-wise math under TensorFlow's `tf.math` names."""
from .ops import (  # noqa: F401 - re-exports
    abs, add, ceil, cos, divide, equal, exp, floor, floordiv, floormod, greater, greater_equal,
    less, less_equal, log, logical_and, logical_not, logical_or, logical_xor, maximum, minimum,
    mod, multiply, negative, not_equal, pow, reduce_all, reduce_any, reduce_max, reduce_mean,
    reduce_min, reduce_prod, reduce_sum, round, sigmoid, sign, sin, sqrt, square, subtract,
    tanh, truediv, argmax, argmin,
)
from .array_ops import cumsum  # noqa: E402,F401
