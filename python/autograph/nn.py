"""`ag.nn`: neural-network helpers."""
from .ops import relu, sigmoid, softmax, tanh  # noqa: F401 - re-exports
