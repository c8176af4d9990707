"""`ag.keras`: layers, models, optimizers, losses and metrics with Keras' names (SPEC §7).

Models train with a GradientTape and `optimizer.apply_gradients` in user code (eager or inside
`ag.function`), or with `Model.compile/fit`, which stages each epoch as one graph.
"""
from . import activations, datasets, layers, losses, metrics, optimizers, utils  # noqa: F401
from .models import Model, Sequential  # noqa: F401
