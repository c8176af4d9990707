"""Placeholders for variables and return values that are not defined on every path, and the
function scope every converted function runs in (converter/transforms/README.md)."""
from . import returns
from .returns import UndefinedReturnValue  # noqa: F401 - ag__.UndefinedReturnValue


class Undefined:
    """Stands for a variable that is first assigned inside a staged block (`x = Undefined('x')`
    right before it), so get_state/set_state can pass it around; reading it is an error."""

    __slots__ = ("symbol_name",)

    def __init__(self, symbol_name):
        self.symbol_name = symbol_name

    def __repr__(self):
        return f"<undefined {self.symbol_name}>"

    def __eq__(self, other):
        return isinstance(other, Undefined) and other.symbol_name == self.symbol_name

    def __hash__(self):
        return hash(("Undefined", self.symbol_name))


def ld(value):
    """A read of a variable that may be undefined: raises what the original code would."""
    if isinstance(value, Undefined):
        raise UnboundLocalError(
            f"local variable '{value.symbol_name}' referenced before assignment")
    return value


def ldu(load, name):
    """A read of a composite state variable (`obj.attr`, `d['key']`) by get_state: its value, or
    `Undefined(name)` while it does not exist yet (first assigned inside the staged block)."""
    try:
        return load()
    except (AttributeError, KeyError, IndexError, NameError):
        return Undefined(name)


class ConversionOptions:
    """Options of a conversion (one default object, STD; the converter passes it along)."""

    def __init__(self, recursive=True):
        self.recursive = recursive

    def __repr__(self):
        return f"ConversionOptions(recursive={self.recursive})"


STD = ConversionOptions()


class FunctionScope:
    """`with ag__.FunctionScope(name, scope_name, options) as fscope:` around a converted body."""

    __slots__ = ("function_name", "scope_name", "options", "_recording")

    def __init__(self, function_name, scope_name, options):
        self.function_name = function_name
        self.scope_name = scope_name
        self.options = options
        self._recording = False

    def __enter__(self):
        self._recording = returns.enter()  # while tracing: where its returns are
        return self

    def __exit__(self, *exc):
        if self._recording:
            returns.leave()
        return False

    def ret(self, value, did_return, may_fall_off=False):
        """The function's single exit: None when no `return` ran. `may_fall_off`: some path
        ends without a return (returns.finish raises when a staged condition picks it)."""
        if isinstance(value, UndefinedReturnValue):
            return None
        if may_fall_off:
            return returns.finish(self, value, did_return, may_fall_off)
        return value
