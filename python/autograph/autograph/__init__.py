"""`ag.autograph`: TensorFlow's `tf.autograph` names (`experimental.set_loop_options`)."""
from . import experimental  # noqa: F401
