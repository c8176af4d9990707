// Python-side set-up of the xeus-python shell, run once at the end of configure_impl.
#ifndef XAG_KERNEL_PYTHON_STARTUP_HPP
#define XAG_KERNEL_PYTHON_STARTUP_HPP

#include "pybind11/pybind11.h"

namespace xag {

/// Runs python_startup.py (compiled in): fixes what xeus-python 0.14.3 gets wrong (error
/// `ename`), guards comms and loads the autograph package's kernel hooks when they are importable.
/// Needs the GIL; raises py::error_already_set only for bugs in the fix-ups themselves (a broken
/// hook module is reported on stderr, not raised).
void run_python_startup(pybind11::object shell);

}  // namespace xag

#endif
