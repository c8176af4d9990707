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
    _load_kernel_hooks(shell)


def _showtraceback(self, etype, evalue, stb):
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
