"""`ag.keras.activations`: activation functions by name, as Keras' `activation=` takes them."""
from .. import ops


def linear(x):
    return x


def relu(x):
    return ops.relu(x)


def sigmoid(x):
    return ops.sigmoid(x)


def tanh(x):
    return ops.tanh(x)


def softmax(x, axis=-1):
    return ops.softmax(x, axis=axis)


_BY_NAME = {"linear": linear, "relu": relu, "sigmoid": sigmoid, "tanh": tanh,
            "softmax": softmax}


def get(identifier):
    """The activation function for a name, a callable, or None (the identity)."""
    if identifier is None:
        return linear
    if callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]
    raise ValueError(
        f"unknown activation {identifier!r}: use one of {sorted(_BY_NAME)}, None or a callable")
