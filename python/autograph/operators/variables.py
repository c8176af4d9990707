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


class PendingLoopVariable(Undefined):
    """Inside the body of a staged loop being traced: a variable first assigned in the body
    whose type the loop does not know yet. Whatever defines it (the body, or a staged if in
    it) asks the loop (`owner`, leaf `index`) to trace again with that type."""

    __slots__ = ("owner", "index", "var")

    def __init__(self, symbol_name, owner, index, var):
        super().__init__(symbol_name)
        self.owner = owner
        self.index = index  # of its leaf in the loop's flattened state
        self.var = var  # of the variable in the loop's state


class UndefinedAfterStagedLoop(Undefined):
    """A variable first assigned inside a staged loop, after the loop: Python would find it
    undefined when the loop runs zero times, and the graph cannot tell, so reading it is a
    StagingError (SPEC §3: such variables are local to the loop)."""

    __slots__ = ("loop", "line")

    def __init__(self, symbol_name, loop, line):
        super().__init__(symbol_name)
        self.loop = loop
        self.line = line

    def read_error(self):
        from ..errors import StagingError, _located

        at = f" at line {self.line}" if self.line else ""
        return _located(
            StagingError,
            f"'{self.symbol_name}' is first assigned inside the staged {self.loop}{at} and "
            "used after it: Python would find it undefined if the loop ran zero times; assign "
            f"it before the loop (e.g. {self.symbol_name} = 0) to use it afterwards")


def ld(value):
    """A read of a variable that may be undefined: raises what the original code would."""
    if isinstance(value, UndefinedAfterStagedLoop):
        raise value.read_error()
    if isinstance(value, PendingLoopVariable):
        from ..errors import StagingError, _located

        raise _located(
            StagingError,
            f"'{value.symbol_name}' is read in a staged loop before it is assigned in the "
            "iteration, and it is first assigned inside the loop: on the first iteration Python "
            "raises UnboundLocalError here, and the graph has no value to read; assign it before "
            f"the loop (e.g. {value.symbol_name} = 0)")
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
