"""`ag.keras`: layers, models, optimizers, losses and metrics with Keras' names (SPEC §7).

Models train with a GradientTape and `optimizer.apply_gradients` in user code (eager or inside
`ag.function`), or with `Model.compile/fit`, which stages each epoch as one graph.
"""
from . import activations, layers, losses, metrics, optimizers, utils  # noqa: F401
from .models import Model, Sequential  # noqa: F401

try:  # The datasets are another module's job; keras works without them.
    from . import datasets  # noqa: F401
except ImportError:
    pass
