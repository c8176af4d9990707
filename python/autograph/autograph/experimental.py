"""`ag.autograph.experimental`: options a staged loop reads while it is traced."""
from ..operators import loop_options as _loop_options


def set_loop_options(parallel_iterations=None, swap_memory=None, maximum_iterations=None,
                     shape_invariants=None):
    """Options of the staged loop this call is in (TensorFlow's `tf.autograph.experimental.
    set_loop_options`): `shape_invariants=[(x, ag.TensorShape([None]))]` types loop variable `x`
    with that shape, whose None dims may change across iterations; `maximum_iterations` stops
    the loop after that many iterations. Call it first in the loop body. In a loop that runs as
    Python, and for `parallel_iterations`/`swap_memory` (TensorFlow's memory tuning), it does
    nothing."""
    del parallel_iterations, swap_memory  # (no meaning for this runtime)
    _loop_options.request(shape_invariants or (), maximum_iterations)
