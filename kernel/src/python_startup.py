"""Python-side set-up of the xautograph kernel, run once at start-up with the kernel's shell.

Compiled into the executable (kernel/CMakeLists.txt embeds this file), so the kernel starts the
same from the build tree and installed, with or without the autograph package. python_startup.cpp
runs this file in a namespace of its own and calls `start(shell)` with the XPythonShell.

- ename: XPythonShell._showtraceback stores str(etype), i.e. "<class 'NameError'>"; Jupyter
  clients (and nbclient's allow_error_names) expect the class name, like ipykernel sends.
- history: outputs are logged in the history database, so history requests with output=True
  return them.
- comms: see comm_guard.hpp; xeus-python's Comm class is wrapped so the target is complete
  before the C++ comm is built.
- `Cell In[n]`: IPython 8.5 labels plain tracebacks `Cell In [n]` (with a space; later IPythons
  and our staged tracebacks write `Cell In[n]`): one form everywhere.
- input(): an interrupt while xeus-python's input() waits for the answer surfaced as
  `RuntimeError: Interrupted system call` with a KeyboardInterrupt chained to it inside IPython's
  frames; it is a plain KeyboardInterrupt, like ipykernel's.
- interrupts in event callbacks: IPython's EventManager catches a KeyboardInterrupt raised in a
  callback and only prints it, so a SIGINT that landed while the cell's pre_run_cell callbacks
  ran (ours included, see `_plain_interrupts_in_input`) was lost and the cell ran on. Here an
  interrupt stops the cell wherever it lands after "busy"; other callback errors are still only
  printed. Whatever else catches the KeyboardInterrupt before the cell's code starts (a
  callback of the user's, a finalizer), the cell does not run: its first statement sees that a
  SIGINT came during this request and raises it. A KeyboardInterrupt that a finalizer (`__del__`,
  weakref callback) would only print as "Exception ignored" is raised again in the cell.
- output: sys.stdout and sys.stderr send a cell's text in batches (see batched_output.hpp);
  whatever else the cell publishes (a display, its update or clearing, a result, an error, an
  input prompt) first sends the text written before it, so the notebook shows them in order.
- hooks for the autograph package: if `autograph._kernel_hooks` exists it is imported, so the
  package can register its magics (%%autograph, %autograph_graph) itself. At import time
  `IPython.get_ipython()` returns this shell; if the module defines
  `load_ipython_extension(ipython)` (IPython's extension convention, so `%load_ext
  autograph._kernel_hooks` works in ipykernel too) it is called with the shell. The package is
  looked up without importing it, so a missing `autograph` or a missing `_kernel_hooks` costs
  nothing and prints nothing; a hook module that fails is reported on the kernel's stderr and
  the kernel starts anyway.
"""
import importlib
import importlib.machinery
import importlib.util
import sys
import traceback
import types


def start(shell):
    shell._showtraceback = types.MethodType(_showtraceback, shell)
    shell.history_manager.db_log_output = True
    _guard_comms()
    _uniform_cell_labels()
    shell.events.trigger = types.MethodType(_trigger_letting_interrupts_through, shell.events)
    shell.events.register("pre_run_cell", _plain_interrupts_in_input)
    _interrupts_reach_the_code(shell)
    _batched_output(shell)
    _interrupts_survive_finalizers()
    _load_kernel_hooks(shell)


def _uniform_cell_labels():
    from IPython.core import ultratb

    original = ultratb._format_filename
    if getattr(original, "_xag_uniform", False):
        return

    def _format_filename(file, ColorFilename, ColorNormal, *, lineno=None):
        text = original(file, ColorFilename, ColorNormal, lineno=lineno)
        return text.replace("In [", "In[", 1) if text.startswith("Cell ") else text

    _format_filename._xag_uniform = True
    ultratb._format_filename = _format_filename


def _interruptible(read):
    """`read` (xeus-python's input or getpass) raising a plain KeyboardInterrupt when a SIGINT
    breaks its wait (the socket read fails with EINTR, seen as RuntimeError)."""
    import functools

    import xautograph_kernel

    @functools.wraps(read)
    def wrapper(prompt=""):
        __tracebackhide__ = True  # noqa: F841 - IPython hides this frame
        xautograph_kernel._flush_output()  # what the cell printed comes before the prompt
        xautograph_kernel._hold_nudges(True)
        try:
            return read(prompt)
        except RuntimeError as e:
            broken = e
        finally:
            xautograph_kernel._hold_nudges(False)
        # Outside the except block, so the KeyboardInterrupt has no context to chain to.
        if "Interrupted system call" in str(broken):
            xautograph_kernel._check_signals()  # raises the pending KeyboardInterrupt
        raise broken

    wrapper._xag_interruptible = True
    return wrapper


def _trigger_letting_interrupts_through(self, event, *args, **kwargs):
    for func in self.callbacks[event][:]:
        try:
            func(*args, **kwargs)
        except KeyboardInterrupt:
            raise
        except Exception:
            print("Error in callback {} (for {}):".format(func, event))
            self.shell.showtraceback()


def _interrupts_reach_the_code(shell):
    import xautograph_kernel

    original = shell.run_code

    # IPython runs a cell's statements through run_code with one ExecutionResult per cell; it
    # remembers how many SIGINTs the code itself has seen, so one the cell's code caught (and
    # handled) does not stop its next statement.
    async def run_code(code_obj, result=None, *, async_=False):
        if result is not None and (xautograph_kernel._interrupts_in_cell() >
                                   getattr(result, "_xag_interrupts_seen", 0)):
            return _stop_before_the_code(shell, result)
        try:
            return await original(code_obj, result, async_=async_)
        finally:
            if result is not None:
                result._xag_interrupts_seen = xautograph_kernel._interrupts_in_cell()

    shell.run_code = run_code


def _stop_before_the_code(shell, result):
    import xautograph_kernel

    try:
        xautograph_kernel._check_signals()  # raises one that Python noted and has not raised yet
        raise KeyboardInterrupt
    except KeyboardInterrupt as interrupt:
        interrupt._render_traceback_ = lambda: [
            "KeyboardInterrupt: interrupted before the cell's code ran"]
        result.error_in_exec = interrupt
        shell.showtraceback()
    return True  # run_code's "the code raised"


def _batched_output(shell):
    import xautograph_kernel

    sys.stdout = xautograph_kernel.BatchedStream("stdout")
    sys.stderr = xautograph_kernel.BatchedStream("stderr")
    display_pub = shell.display_pub
    for name in ("publish_display_data", "clear_output"):
        setattr(display_pub, name, _after_pending_output(getattr(display_pub, name)))
    displayhook = shell.displayhook
    displayhook.publish_execution_result = _after_pending_output(
        displayhook.publish_execution_result)


def _after_pending_output(publish):
    import functools

    import xautograph_kernel

    @functools.wraps(publish)
    def wrapper(*args, **kwargs):
        xautograph_kernel._flush_output()
        return publish(*args, **kwargs)

    return wrapper


def _interrupts_survive_finalizers():
    import xautograph_kernel

    sys.unraisablehook = xautograph_kernel._interrupts_survive_finalizers(sys.unraisablehook)


def _plain_interrupts_in_input(*_):
    # xeus-python installs its input() and getpass() for each execute request and restores the
    # previous ones afterwards, so they are wrapped at the start of each cell.
    import builtins
    import getpass

    for module, name in ((builtins, "input"), (getpass, "getpass")):
        read = getattr(module, name)
        if not getattr(read, "_xag_interruptible", False):
            setattr(module, name, _interruptible(read))


def _showtraceback(self, etype, evalue, stb):
    import xautograph_kernel

    xautograph_kernel._flush_output()  # the text printed before the error comes before it
    name = getattr(etype, "__name__", None) or str(etype)
    self.last_error = [name, str(evalue), stb]


def _guard_comms():
    import xautograph_kernel

    module = sys.modules.get("ipykernel.comm")
    base = getattr(module, "Comm", None)
    if base is None or getattr(base, "_xag_guarded", False):
        return

    class Comm(base):
        _xag_guarded = True

        def __init__(self, target_name="", *args, **kwargs):
            xautograph_kernel._ensure_comm_target(str(target_name))
            super().__init__(target_name, *args, **kwargs)

    Comm.__module__ = base.__module__
    Comm.__qualname__ = base.__qualname__
    Comm.__doc__ = base.__doc__
    module.Comm = Comm


def _load_kernel_hooks(shell):
    try:
        package = importlib.util.find_spec("autograph")
        if package is None or not package.submodule_search_locations:
            return
        if importlib.machinery.PathFinder.find_spec(
                "autograph._kernel_hooks", package.submodule_search_locations) is None:
            return
        hooks = importlib.import_module("autograph._kernel_hooks")
        load = getattr(hooks, "load_ipython_extension", None)
        if callable(load):
            load(shell)
    except BaseException:
        print("xautograph: could not load autograph._kernel_hooks:", file=sys.__stderr__)
        traceback.print_exc(file=sys.__stderr__)
