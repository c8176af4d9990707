// The built-in Python module `xautograph_kernel`: what the kernel offers to Python code and to
// native extensions running inside it (see xautograph/interrupt_api.h).
#include <csignal>

#include "batched_output.hpp"
#include "comm_guard.hpp"
#include "interrupt_guard.hpp"
#include "pybind11/embed.h"
#include "pybind11/stl.h"

namespace py = pybind11;

namespace {

// Wraps sys.unraisablehook: a KeyboardInterrupt that CPython could only print ("Exception
// ignored in __del__") is noted again, to be raised at the cell's next bytecode. In C++ because
// Python code in the hook would see the noted interrupt at once and lose it again there.
py::cpp_function interrupts_survive_finalizers(py::object previous) {
  return py::cpp_function(
      [previous](py::object unraisable) {
        py::object value = unraisable.attr("exc_value");
        if (PyErr_GivenExceptionMatches(value.ptr(), PyExc_KeyboardInterrupt) &&
            xag::interrupts_in_cell() > 0) {
          PyErr_SetInterruptEx(SIGINT);
          return;
        }
        previous(unraisable);
      },
      py::name("unraisablehook"));
}

// What sys.stdout and sys.stderr are in the kernel (see batched_output.hpp).
class batched_stream {
 public:
  explicit batched_stream(std::string name) : m_name(std::move(name)) {}

  Py_ssize_t write(py::handle text) {
    if (!PyUnicode_Check(text.ptr())) {
      throw py::type_error("write() argument must be str, not " +
                           std::string(Py_TYPE(text.ptr())->tp_name));
    }
    xag::batched_output::instance().write(m_name, text.cast<std::string>());
    return PyUnicode_GetLength(text.ptr());
  }
  void writelines(py::iterable lines) {
    for (py::handle line : lines) write(line);
  }
  std::string name() const { return "<" + m_name + ">"; }

 private:
  std::string m_name;
};

}  // namespace

PYBIND11_EMBEDDED_MODULE(xautograph_kernel, m) {
  m.doc() = "Services of the xautograph Jupyter kernel to code running inside it.";
  // PyCapsule_Import needs the capsule's name to be its full dotted path.
  m.attr("_interrupt_api") =
      py::capsule(static_cast<const void*>(&xag::interrupt_api()), XAG_INTERRUPT_API_CAPSULE);
  m.def(
      "interrupt_count", [] { return xag::interrupt_api().interrupt_count(); },
      "Number of SIGINTs the kernel received while a cell was running.");
  py::class_<batched_stream>(m, "BatchedStream",
                             "A text stream whose writes the kernel publishes in batches.")
      .def(py::init<std::string>(), py::arg("name"))
      .def("write", &batched_stream::write, py::arg("text"))
      .def("writelines", &batched_stream::writelines, py::arg("lines"))
      .def("flush", [](batched_stream&) { xag::batched_output::instance().flush(); })
      .def("isatty", [](batched_stream&) { return false; })
      .def("writable", [](batched_stream&) { return true; })
      .def("readable", [](batched_stream&) { return false; })
      .def("seekable", [](batched_stream&) { return false; })
      .def_property_readonly("name", &batched_stream::name)
      .def_property_readonly("encoding", [](batched_stream&) { return "utf-8"; })
      .def_property_readonly("errors", [](batched_stream&) { return "strict"; })
      .def_property_readonly("closed", [](batched_stream&) { return false; });
  m.def(
      "_flush_output", [] { xag::batched_output::instance().flush(); },
      "Publishes the text written so far (before the kernel publishes anything else).");
  m.def("_hold_nudges", &xag::hold_nudges, py::arg("hold"),
        "Keeps the kernel's post-interrupt nudges from breaking a blocking wait (input()).");
  m.def("_interrupts_in_cell", &xag::interrupts_in_cell,
        "SIGINTs received since the running cell began (0 while no cell runs).");
  m.def("_interrupts_survive_finalizers", &interrupts_survive_finalizers, py::arg("previous"),
        "An unraisablehook that raises a finalizer's KeyboardInterrupt again in the cell.");
  m.def(
      "_check_signals",
      [] {
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      },
      "Runs the Python handlers of signals that arrived (a SIGINT raises KeyboardInterrupt).");
  m.def("_ensure_comm_target", &xag::ensure_comm_target, py::arg("target_name"),
        "Gives an unregistered comm target a complete entry before a kernel-side comm uses it.");
}
