#include "python_startup.hpp"

#include "pybind11/eval.h"

namespace py = pybind11;

namespace xag {
namespace {

// The text of python_startup.py (what it sets up is described there), embedded at build time by
// kernel/CMakeLists.txt: the kernel needs no file at run time, built or installed.
constexpr const char kStartupSource[] =
#include "python_startup_source.inc"
    ;

}  // namespace

void run_python_startup(py::object shell) {
  py::dict scope;
  scope["__builtins__"] = py::module::import("builtins");
  scope["__name__"] = "xautograph_startup";
  scope["__file__"] = "python_startup.py";
  py::exec(kStartupSource, scope);
  scope["start"](shell);
}

}  // namespace xag
