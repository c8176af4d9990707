#include "python_startup.hpp"

#include "pybind11/eval.h"

namespace py = pybind11;

namespace xag {
namespace {

// Runs with `shell` (the XPythonShell) in a private namespace.
//
// comms: see comm_guard.hpp; xeus-python's Comm class is wrapped so the target is complete
// before the C++ comm is built.
//
// ename: XPythonShell._showtraceback stores str(etype), i.e. "<class 'NameError'>"; Jupyter
// clients (and nbclient's allow_error_names) expect the class name, like ipykernel sends.
//
// Hook for the autograph package: if `autograph._kernel_hooks` exists, it is imported here so
// the package can register its magics (%%autograph, %autograph_graph) itself. At import time
// `IPython.get_ipython()` returns this shell; if the module defines
// `load_ipython_extension(ipython)` (IPython's extension convention, so `%load_ext
// autograph._kernel_hooks` works in ipykernel too) it is called with the shell. The package is
// looked up without importing it, so a missing `autograph` or a missing `_kernel_hooks` costs
// nothing and prints nothing; a hook module that fails is reported on the kernel's stderr and
// the kernel starts anyway.
constexpr const char* kStartupSource = R"PY(
import sys
import types


def _xag_showtraceback(self, etype, evalue, stb):
    name = getattr(etype, "__name__", None) or str(etype)
    self.last_error = [name, str(evalue), stb]


shell._showtraceback = types.MethodType(_xag_showtraceback, shell)

# Outputs in the history database, so history requests with output=True return them.
shell.history_manager.db_log_output = True


def _xag_guard_comms():
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


_xag_guard_comms()


def _xag_load_kernel_hooks(shell):
    import importlib
    import importlib.machinery
    import importlib.util
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
        import traceback
        print("xautograph: could not load autograph._kernel_hooks:", file=sys.__stderr__)
        traceback.print_exc(file=sys.__stderr__)


_xag_load_kernel_hooks(shell)
)PY";

}  // namespace

void run_python_startup(py::object shell) {
  py::dict scope;
  scope["__builtins__"] = py::module::import("builtins");
  scope["__name__"] = "xautograph_startup";
  scope["shell"] = shell;
  py::exec(kStartupSource, scope);
}

}  // namespace xag
