"""Builtins overloaded for tensors (`range len abs print int float enumerate zip max min`).

`converted_call` routes calls of these builtins here. Each falls back to the builtin itself for
Python values, so converted code run on plain numbers behaves exactly like the original."""
import builtins
import sys

from .. import _core
from .. import dtypes
from .. import ops
from .. import printing
from ..tensor import Tensor
from ..tensor_array import TensorArray
from ..variables import Variable
from . import control_flow as cf
from . import staging


def _tensorish(x):
    return isinstance(x, Tensor) or (isinstance(x, Variable) and _core.tracing())


def _read(x):
    return x.read_value() if isinstance(x, Variable) else x


def range_(*args):
    """`range(...)`; with a tensor bound while tracing, a StagedRange a for loop stages."""
    if _core.tracing() and any(_tensorish(a) for a in args):
        args = [_read(a) for a in args]
        if len(args) == 1:
            return cf.StagedRange(0, args[0], 1)
        if len(args) == 2:
            return cf.StagedRange(args[0], args[1], 1)
        return cf.StagedRange(*args)
    return builtins.range(*[int(a) if isinstance(a, Tensor) else a for a in args])


def len_(x):
    """`len(x)`: for a symbolic tensor a scalar tensor (a constant when the dimension is
    static), so `for i in range(len(x))` stays one staged loop instead of unrolling."""
    if isinstance(x, Variable):
        x = x.read_value()
    if isinstance(x, TensorArray):
        return x.size() if x._staged else builtins.len(x._items)
    if isinstance(x, cf.StagedSequence):
        return x.length()
    if isinstance(x, Tensor):
        if staging.is_list_tensor(x):
            return _core.list_size(x)
        if not x.shape:
            raise TypeError("len() of a scalar tensor")
        n = x.shape[0]
        if not x.is_symbolic:
            return n
        if n is not None and n >= 0:
            return _core.constant(n)
        return ops.shape(x)[0]
    return builtins.len(x)


def abs_(x):
    if _tensorish(x):
        return ops.abs(_read(x))
    return builtins.abs(x)


def int_(x=0, *args):
    if _tensorish(x) and not args:
        x = _read(x)
        if x.is_symbolic:
            return ops.cast(x, dtypes.int32)
    return builtins.int(x, *args)


def float_(x=0.0):
    if _tensorish(x):
        x = _read(x)
        if x.is_symbolic:
            return ops.cast(x, dtypes.float32)
    return builtins.float(x)


def print_(*values, sep=" ", end="\n", file=None, flush=False):
    """`print(...)` inside a staged function follows TensorFlow's rule (SPEC §3): with a tensor
    argument it prints when the graph runs (ag.print), so every iteration and every call; with
    only Python values it prints once, now, while tracing (which is how a retrace shows)."""
    if _core.tracing() and (file is None or file is sys.stdout) and any(
            _has_tensor(v) for v in values):
        printing.print(*values, sep=" " if sep is None else sep, end="\n" if end is None else end)
        return None
    return builtins.print(*values, sep=sep, end=end, file=file, flush=flush)


def _has_tensor(v):
    if isinstance(v, (list, tuple)):
        return any(_has_tensor(x) for x in v)
    return _tensorish(v) or hasattr(v, "__ag_tensor__") or isinstance(v, TensorArray)


def _staged(x):
    # A dataset is checked by type: making its sequence starts an iteration (a shuffle counts).
    return cf._is_dataset(x) or cf.staged_sequence(x) is not None


def enumerate_(iterable, start=0):
    if _core.tracing() and (_staged(iterable) or _tensorish(start)):
        return cf.StagedEnumerate(cf.staged_sequence(iterable, force=True), _read(start))
    return builtins.enumerate(iterable, start)


def zip_(*iterables, **kwargs):
    if _core.tracing() and any(_staged(i) for i in iterables) and not kwargs:
        return cf.StagedZip([cf.staged_sequence(i, force=True) for i in iterables])
    return builtins.zip(*iterables, **kwargs)


def _minmax(builtin, op, reduce):
    def overload(*args, **kwargs):
        if not kwargs and args and any(_tensorish(a) for a in args):
            args = [_read(a) for a in args]
            if len(args) == 1:
                return reduce(args[0])
            result = args[0]
            for a in args[1:]:
                result = op(result, a)
            return result
        return builtin(*args, **kwargs)

    overload.__name__ = builtin.__name__ + "_"
    return overload


max_ = _minmax(builtins.max, ops.maximum, ops.reduce_max)
min_ = _minmax(builtins.min, ops.minimum, ops.reduce_min)


def sum_(iterable, start=0):
    if _tensorish(iterable):
        return ops.reduce_sum(_read(iterable), 0) + start
    return builtins.sum(iterable, start)


# builtin -> overload, for converted_call.
BUILTIN_OVERLOADS = {
    builtins.range: range_,
    builtins.len: len_,
    builtins.abs: abs_,
    builtins.print: print_,
    builtins.int: int_,
    builtins.float: float_,
    builtins.enumerate: enumerate_,
    builtins.zip: zip_,
    builtins.max: max_,
    builtins.min: min_,
    builtins.sum: sum_,
}
