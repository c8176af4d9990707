"""Devices: `ag.list_devices()`, `ag.device(...)` and the names they accept.

Ops run on the device of the innermost `ag.device` scope, the CPU by default; inputs that live
elsewhere are copied there first, and `Tensor.numpy()` copies to the host (SPEC §8). The runtime's
backend registry (runtime/backend/registry.h) decides which devices exist: 'cpu' always, 'gpu:N'
when a GPU backend is built and finds a GPU.
"""
import contextlib
import threading

from . import _core
from .errors import InvalidArgumentError

_state = threading.local()


def list_devices():
    """Names of the devices ops can run on: ['cpu'] or ['cpu', 'gpu:0', ...]."""
    return list(_core.list_devices())


def canonical(name):
    """The registry name ('cpu', 'gpu:0', ...) of a device name ('gpu', 'GPU:1', '/device:GPU:0',
    'cuda' ...); raises InvalidArgumentError when it is unknown or not available."""
    if name is None:
        return current()
    text = str(name).strip().lower().lstrip("/")
    if text.startswith("device:"):
        text = text[len("device:"):]
    kind, _, index = text.partition(":")
    kind = {"cuda": "gpu"}.get(kind, kind)
    available = list_devices()
    if kind == "cpu" and index in ("", "0"):
        return "cpu"
    key = f"{kind}:{index or 0}"
    if index.isdigit() or not index:
        if key in available:
            return key
        if kind == "gpu":
            raise InvalidArgumentError(
                f"device {name!r}: no GPU backend in this build or no such GPU "
                f"(available devices: {available})")
    raise InvalidArgumentError(
        f"unknown device {name!r}: use 'cpu', 'gpu' or 'gpu:N' (available devices: {available})")


def current():
    """The device of the innermost ag.device scope ('cpu' by default)."""
    return getattr(_state, "device", "cpu")


@contextlib.contextmanager
def device(name):
    """Runs the ops and staged functions of the block on `name` ('cpu', 'gpu', 'gpu:N')."""
    new = canonical(name)
    old = current()
    _state.device = new
    try:
        with _core._DeviceScope(new):
            yield new
    finally:
        _state.device = old
