// The built-in Python module `xautograph_kernel`: what the kernel offers to Python code and to
// native extensions running inside it (see xautograph/interrupt_api.h).
#include "comm_guard.hpp"
#include "interrupt_guard.hpp"
#include "pybind11/embed.h"
#include "pybind11/stl.h"

namespace py = pybind11;

PYBIND11_EMBEDDED_MODULE(xautograph_kernel, m) {
  m.doc() = "Services of the xautograph Jupyter kernel to code running inside it.";
  // PyCapsule_Import needs the capsule's name to be its full dotted path.
  m.attr("_interrupt_api") =
      py::capsule(static_cast<const void*>(&xag::interrupt_api()), XAG_INTERRUPT_API_CAPSULE);
  m.def(
      "interrupt_count", [] { return xag::interrupt_api().interrupt_count(); },
      "Number of SIGINTs the kernel received while a cell was running.");
  m.def(
      "_check_signals",
      [] {
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      },
      "Runs the Python handlers of signals that arrived (a SIGINT raises KeyboardInterrupt).");
  m.def("_ensure_comm_target", &xag::ensure_comm_target, py::arg("target_name"),
        "Gives an unregistered comm target a complete entry before a kernel-side comm uses it.");
}
