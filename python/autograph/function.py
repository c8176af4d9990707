"""`ag.function`: staging Python functions into graphs, with a trace cache.

Calling a staged function:
1. binds the arguments to the function's signature and flattens them (nest.py) into leaves;
2. builds the cache key: for tensors and NumPy arrays their dtype and shape, for Variables and
   unhashable objects their identity, for other Python values the value itself (a new Python
   value traces again, as in tf.function);
3. on a miss, traces: the tensor leaves become graph placeholders (symbolic tensors), the
   function (converted by AutoGraph when autograph=True) runs once on them inside a
   `_core.Trace`, every op it calls adds a node, eager tensors it uses are captured as constants
   and Variables by reference; the results' tensors become the graph outputs and the rest of the
   result structure is kept as Python values. The graph is optimized and compiled once;
4. runs the compiled graph on the tensor leaves (GIL released, interruptible) and rebuilds the
   result structure.

A staged function called while another is being traced is inlined into that trace.

Tracing runs the function's Python code once: a `try` around staged code catches what is raised
while tracing (a Python error, an op's dtype or shape error), never what the running graph raises
later in step 4 (a failing assert, an index out of range, an interrupt): catch those around the
call. Loop variables whose size changed are listed, after the trace, in `shape_relaxations`. An
interrupted trace (KeyboardInterrupt, MemoryError) frees its half-built graph.
"""
import functools
import inspect
import sys
import textwrap
import types
import warnings

import numpy as np

from . import _core
from . import _frames
from . import devices
from . import explain
from . import nest
from . import operators  # noqa: F401 - binds the ag__ module of converted code
from .operators import loop_options
from . import structure
from . import trace_marks
from .graph import Graph
from .impl import conversion
from .operators import side_effects
from .tensor import Tensor
from .tensor_array import TensorArray
from .variables import Variable

# More traces of one function than this warn (each new Python value in the arguments retraces).
# In the kernel: this many retraces within one cell.
RETRACE_WARNING_THRESHOLD = 5


def current_cell():
    """The running notebook cell's execution count (None outside IPython). IPython is only
    looked at when it is already imported: a script pays nothing."""
    ipython_module = sys.modules.get("IPython")
    shell = ipython_module.get_ipython() if ipython_module is not None else None
    return getattr(shell, "execution_count", None) if shell is not None else None


class RetraceWarning(UserWarning):
    """A staged function was traced many times (see RETRACE_WARNING_THRESHOLD)."""


def _leaf_key(x):
    if isinstance(x, Tensor):
        return ("T", x.dtype._code, x.shape)
    if isinstance(x, np.ndarray):
        return ("A", x.dtype.str, x.shape)
    if x is None or isinstance(x, (bool, int, float, str, bytes)):
        return (type(x), x)
    if isinstance(x, (Variable, TensorArray)):
        return ("id", id(x))
    try:
        hash(x)
    except TypeError:
        return ("id", id(x))
    return ("value", type(x), x)


_TENSOR = object()  # marks a tensor slot of an output structure
_FAST_TYPES = frozenset([Tensor, bool, int, float, str, type(None)])


class ConcreteFunction:
    """One trace: its graph, the compiled program and how to rebuild the outputs."""

    def __init__(self, graph, executable, out_tree, out_leaves, keep_alive, signature=None,
                 marks=None):
        self.graph = graph
        self.executable = executable
        self._out_tree = out_tree
        self._out_leaves = out_leaves  # _TENSOR or a Python value per output leaf
        self._keep_alive = keep_alive  # objects whose id() is part of the cache key
        # ((argument name, leaf), ...) it was traced for (explain.py describes it), and what
        # each control-flow statement did in the trace ({(file, line): [trace_marks.Event]}).
        self.signature = signature or ()
        self.marks = marks or {}

    def run(self, tensor_args, stats=None):
        results = self.executable.run(tensor_args, stats)
        it = iter(results)
        leaves = [next(it) if leaf is _TENSOR else leaf for leaf in self._out_leaves]
        return nest.pack(self._out_tree, leaves)


class Function:
    """A staged callable made by `ag.function` (see the module docstring)."""

    def __init__(self, python_function, autograph=True, device=None, name=None, jit=True):
        if isinstance(python_function, Function):
            python_function = python_function.python_function
        self.python_function = python_function
        self._autograph = autograph
        self._jit = jit  # False: graphs stay on the interpreter (no LLVM native tier)
        # Checked now so `ag.function(f, device='gpu')` fails at once on a CPU-only build.
        self._device = devices.canonical(device) if device is not None else None
        self._name = name or getattr(python_function, "__name__", "function")
        self._cache = {}
        # Calls with positional tensors/scalars only skip signature binding: their key is made
        # from the arguments directly; the value also holds the tensor leaves that binding adds
        # (tensor default values), which are the same objects on every such call.
        self._fast_cache = {}
        self._trace_count = 0
        self._traces = []  # ConcreteFunctions in the order they were traced
        # Called with (self, concrete) after every trace (the notebook pane updates itself).
        self._trace_listeners = []
        self._cell_retraces = (None, 0)  # (cell, retraces in it) for the kernel's warning
        # Loop variables whose shape the last trace relaxed (SPEC §3): ShapeRelaxation(name,
        # line, entry_shape, relaxed_shape) each, for the side-by-side view and the user.
        self.shape_relaxations = []
        self._converted = None
        try:
            self._signature = inspect.signature(python_function)
        except (TypeError, ValueError):
            self._signature = None
        functools.update_wrapper(self, python_function)

    # ---- attributes of SPEC §3 ----------------------------------------------------------------
    @property
    def trace_count(self):
        """How many times the function was traced (one per new input signature)."""
        return self._trace_count

    @property
    def code(self):
        """The source that is traced: the converted code (autograph=True) or the original."""
        fn = self._callable()
        source = getattr(fn, "__ag_source__", None)
        if source is not None:
            return source
        try:
            return textwrap.dedent(inspect.getsource(self.python_function))
        except (OSError, TypeError):
            return f"# source of {self._name} is not available"

    def graph(self, *args, **kwargs):
        """The ag.Graph that a call with these arguments runs (traced if not cached yet)."""
        concrete, _ = self._concrete(args, kwargs)
        return concrete.graph

    def get_concrete_function(self, *args, **kwargs):
        return self._concrete(args, kwargs)[0]

    # ---- the teaching view (explain.py) -------------------------------------------------------
    def explain(self, *args, **kwargs):
        """What tracing did with each `if`, `while`, `for`, `assert`, `print`, `break`,
        `continue` and `return` for a call with these arguments (traced if not cached yet): one
        line per statement, `line N: staged: ...` or `line N: ran in Python while tracing ...`
        (N is the line in your file or cell)."""
        concrete = self._concrete(args, kwargs)[0]
        if not getattr(self._callable(), "__ag_source__", None):
            return (f"{self._name} is traced as written (not converted by AutoGraph): its "
                    "if/while/for statements all run in Python while tracing")
        return explain.explain_text(self.python_function, concrete.marks)

    def traces(self):
        """The input signatures traced so far, in order, e.g. ['x: int32 (3,), n=2']."""
        return [explain.signature_text(c.signature) for c in self._traces]

    def explain_retrace(self):
        """Why the last trace happened: each argument that differs from the closest earlier
        signature, by name, with the old and new value (dtype, shape, Python value, object)."""
        return explain.retrace_text(self._name, [c.signature for c in self._traces])

    def execution_tier(self, *args, **kwargs):
        """How a call with these arguments runs: a dict with `tier` ("native": LLVM-compiled
        code; "interpreter"), `reason` (why interpreted: "compiling", "jit=False", ...),
        `compile_seconds` and `ready_seconds` (first call until native; -1 until known)."""
        return self._concrete(args, kwargs)[0].executable.tier()

    # ---- calling ------------------------------------------------------------------------------
    def __get__(self, instance, owner):
        # Methods: the instance becomes the first argument (part of the cache key).
        return self if instance is None else types.MethodType(self, instance)

    def __call__(self, *args, **kwargs):
        if _core.tracing():
            # Called from a function being staged: inline into that trace.
            return self._callable()(*args, **kwargs)
        if _core._eager_tape_recording():
            # A GradientTape records eager ops: run the (converted) function eagerly so the tape
            # sees them, as TensorFlow differentiates through a tf.function call.
            return self._callable()(*args, **kwargs)
        if not kwargs and all(type(a) in _FAST_TYPES for a in args):
            key = (tuple(_leaf_key(a) for a in args), devices.current())
            hit = self._fast_cache.get(key)
            if hit is not None:
                concrete, extra = hit
                return concrete.run([a for a in args if type(a) is Tensor] + extra)
            concrete, tensor_args = self._concrete(args, kwargs)
            n = sum(1 for a in args if type(a) is Tensor)
            self._fast_cache[key] = (concrete, tensor_args[n:])
            return concrete.run(tensor_args)
        concrete, tensor_args = self._concrete(args, kwargs)
        return concrete.run(tensor_args)

    def __repr__(self):
        return f"<ag.function {self._name} (autograph={self._autograph})>"

    # ---- internals ----------------------------------------------------------------------------
    def _callable(self):
        if not self._autograph or getattr(self.python_function, "__ag_do_not_convert__", False):
            return self.python_function
        if self._converted is None:
            # AutoGraph: control flow on tensors becomes staged Cond/While (the ag__ operators),
            # positions map to the user's source.
            self._converted = conversion.convert_entry(self.python_function)
        return self._converted

    def _flatten_args(self, args, kwargs):
        """(names, leaves, treedef, rebuild): the arguments bound to the signature."""
        if self._signature is not None:
            bound = self._signature.bind(*args, **kwargs)
            bound.apply_defaults()
            names = list(bound.arguments.keys())
            values = list(bound.arguments.values())

            def rebuild(new_values):
                b = inspect.BoundArguments(self._signature, dict(zip(names, new_values)))
                return b.args, b.kwargs
        else:
            names = [f"arg{i}" for i in range(len(args))] + list(kwargs)
            values = list(args) + list(kwargs.values())
            n = len(args)

            def rebuild(new_values):
                return tuple(new_values[:n]), dict(zip(names[n:], new_values[n:]))

        leaves, trees, leaf_names = [], [], []
        for name, value in zip(names, values):
            ls, tree = nest.flatten(value, structure.is_leaf)
            leaves.extend(ls)
            trees.append(tree)
            leaf_names.extend([name] if len(ls) == 1 else [f"{name}_{j}" for j in range(len(ls))])
        return leaf_names, leaves, tuple(trees), rebuild

    def _concrete(self, args, kwargs):
        leaf_names, leaves, trees, rebuild = self._flatten_args(args, kwargs)
        key = (trees, tuple(_leaf_key(x) for x in leaves), self._device or devices.current())
        concrete = self._cache.get(key)
        tensor_args = [x for x in leaves if isinstance(x, (Tensor, np.ndarray))]
        if concrete is None:
            try:
                concrete = self._trace(leaf_names, leaves, trees, rebuild)
            except (KeyboardInterrupt, MemoryError) as e:
                # An interrupted trace (a Python loop unrolling for ever, say) must not keep
                # its half-built graph alive: the frames of the traceback hold its symbolic
                # tensors, and IPython keeps the last traceback. Their locals go.
                _frames.release_locals(e.__traceback__)
                raise
            self._cache[key] = concrete
        return concrete, tensor_args

    def _trace(self, leaf_names, leaves, trees, rebuild):
        self._trace_count += 1
        signature = tuple((name, explain.leaf_signature(x)) for name, x in zip(leaf_names, leaves))
        self._warn_retrace(signature)
        fn = self._callable()
        trace = _core.Trace(self._name)
        with trace, loop_options.recording() as relaxations:
            staged = []
            for name, leaf in zip(leaf_names, leaves):
                if isinstance(leaf, (Tensor, np.ndarray)):
                    t = _core.constant(leaf)
                    staged.append(trace.placeholder(t.dtype, list(t.shape), name))
                else:
                    staged.append(leaf)
            it = iter(staged)
            values = [nest.pack(tree, it) for tree in trees]
            call_args, call_kwargs = rebuild(values)
            outer = side_effects.outer_snapshot(self.python_function)
            with trace_marks.recording() as recorder:
                out = fn(*call_args, **call_kwargs)
            side_effects.check_outer(outer, self.python_function)
            out_leaves, out_tree = nest.flatten(out, structure.is_leaf)
            outputs, slots = [], []
            for leaf in out_leaves:
                if isinstance(leaf, TensorArray):
                    leaf = leaf.stack()
                if isinstance(leaf, Tensor):
                    outputs.append(leaf)
                    slots.append(_TENSOR)
                else:
                    slots.append(leaf)
            trace.set_outputs(outputs)
        self.shape_relaxations = relaxations.notes
        core_graph = trace.graph()
        core_graph.optimize()
        executable = _core.Executable(core_graph, device=self._device or devices.current(),
                                      jit=self._jit)
        keep = [x for x in leaves if not isinstance(x, (Tensor, np.ndarray))]
        graph = Graph(core_graph, self._name,
                      explain.output_names(self.python_function, len(outputs)))
        concrete = ConcreteFunction(graph, executable, out_tree, slots, keep, signature,
                                    recorder.events)
        self._traces.append(concrete)
        for listener in list(self._trace_listeners):
            listener(self, concrete)
        return concrete

    def _warn_retrace(self, signature):
        """RetraceWarning with the reason (explain.py): in the kernel when one cell retraced the
        function RETRACE_WARNING_THRESHOLD times, elsewhere past that many traces in all."""
        if not self._traces:
            return
        cell = current_cell()
        if cell is None:
            if self._trace_count <= RETRACE_WARNING_THRESHOLD:
                return
            how_often = f"has been traced {self._trace_count} times"
        else:
            last_cell, n = self._cell_retraces
            n = n + 1 if last_cell == cell else 1
            self._cell_retraces = (cell, n)
            if n != RETRACE_WARNING_THRESHOLD:
                return
            how_often = (f"was traced again {n} times in this cell ({self._trace_count} traces "
                         "in all)")
        previous = explain.closest(signature, [c.signature for c in self._traces])
        changes = explain.changes(previous, signature)
        warnings.warn(f"ag.function '{self._name}' {how_often}; this time because "
                      f"{'; '.join(changes) or 'of a new input signature'}. "
                      f"{explain.advice(changes)}", RetraceWarning, stacklevel=5)


def function(func=None, *, autograph=True, device=None, name=None, input_signature=None,
             reduce_retracing=False, jit_compile=None, jit=True):
    """Stages `func`: calls run it as a graph on the xautograph runtime, like `tf.function`.

    Use it as a decorator (`@ag.function` or `@ag.function(device="gpu")`) or call it
    (`ag.function(f)`). The first call with a new signature (the dtype and shape of each tensor
    argument, the value of each Python argument) converts `func` with AutoGraph, so that an
    `if`, `while` or `for` on tensors becomes graph control flow, traces it into a graph and
    compiles it; later calls with that signature just run the graph.

    autograph: False traces `func` as written, without converting its control flow.
    device: "cpu" or "gpu" (default: the device of the enclosing `ag.device` block).
    name: the graph's name (default: the function's name).
    input_signature, reduce_retracing, jit_compile: accepted so code written for
        `tf.function` runs unchanged; they have no effect (every new signature traces once).
    jit: False keeps its graphs on the interpreter (no native code from the LLVM JIT, which
        otherwise compiles graphs with loops in the background; see `.execution_tier(*args)`).

    The result has `.python_function`, `.code` (the converted source), `.trace_count` and
    `.graph(*args)`. The README's tour shows it at work in a notebook.
    """
    del input_signature, reduce_retracing, jit_compile  # tf.function's options: no effect here
    if func is None:
        return functools.partial(function, autograph=autograph, device=device, name=name, jit=jit)
    return Function(func, autograph=autograph, device=device, name=name, jit=jit)


def to_graph(func, **kwargs):
    """Same as ag.function(func)."""
    return function(func, **kwargs)


def convert(**kwargs):
    """The decorator ag.function (with these options)."""
    return functools.partial(function, **kwargs) if kwargs else function


def to_code(func):
    """The converted source of `func` as a readable string."""
    f = func if isinstance(func, Function) else Function(func)
    return f.code


def do_not_convert(func=None):
    """Marks `func` to be traced as written, never converted by AutoGraph."""
    if func is None:
        return do_not_convert
    func.__ag_do_not_convert__ = True
    return func
