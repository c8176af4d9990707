"""Devices: `ag.device('cpu'|'gpu')` and `ag.list_devices()`.

This build runs on the CPU only; asking for the GPU raises InvalidArgumentError with a clear
message instead of silently running on the CPU.
"""
import contextlib
import threading

from . import _core
from .errors import InvalidArgumentError

_state = threading.local()


def list_devices():
    """Names of the devices this build can run on."""
    return ["cpu", "gpu"] if getattr(_core, "has_gpu", False) else ["cpu"]


def canonical(name):
    """'cpu' or 'gpu' for a device name ('/CPU:0', 'GPU', 'cuda' ...); raises when unknown or
    not available in this build."""
    if name is None:
        return current()
    key = str(name).lower().lstrip("/").split(":")[0]
    key = {"cuda": "gpu", "device": "cpu"}.get(key, key)
    if key not in ("cpu", "gpu"):
        raise InvalidArgumentError(f"unknown device {name!r}: use 'cpu' or 'gpu'")
    if key not in list_devices():
        raise InvalidArgumentError(
            f"device {name!r}: no GPU backend in this build (available: {list_devices()})")
    return key


def current():
    """The device of the innermost ag.device scope ('cpu' by default)."""
    return getattr(_state, "device", "cpu")


@contextlib.contextmanager
def device(name):
    """Runs the ops and staged functions of the block on `name`."""
    new = canonical(name)
    old = current()
    _state.device = new
    try:
        yield new
    finally:
        _state.device = old
