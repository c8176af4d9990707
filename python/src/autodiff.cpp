// Bindings of runtime/autodiff: the gradient tape behind ag.GradientTape (autograph/autodiff.py
// keeps the structures and the Python-facing API).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pybind_common.h"
#include "runtime/autodiff/tape.h"

namespace xag::py {

namespace {

using rt::autodiff::GradientTape;
using VariablePtr = std::shared_ptr<rt::Variable>;

// A source: a variable's storage (ag.Variable._resource) or anything convertible to a tensor.
rt::autodiff::Source source_arg(py::handle h) {
  if (py::isinstance<rt::Variable>(h)) return {rt::Operand{}, h.cast<VariablePtr>()};
  return {to_tensor(h), nullptr};
}

std::vector<std::optional<rt::Operand>> tape_gradient(
    GradientTape& tape, const std::vector<rt::Operand>& targets, const py::list& sources,
    const std::vector<std::optional<rt::Operand>>& output_gradients, const std::string& unconnected,
    bool last_use) {
  std::vector<rt::autodiff::Source> srcs;
  for (py::handle s : sources) srcs.push_back(source_arg(s));
  return tape.gradient(targets, srcs, output_gradients, rt::autodiff::unconnected_mode(unconnected),
                       last_use);
}

}  // namespace

void bind_autodiff(py::module_& m) {
  py::class_<GradientTape>(m, "_GradientTape")
      .def(py::init<bool, bool>(), py::arg("persistent"), py::arg("watch_accessed_variables"))
      .def("start", &GradientTape::start)
      .def("stop", &GradientTape::stop)
      .def("pause", &GradientTape::pause)
      .def("resume", &GradientTape::resume)
      .def("watch_tensor", [](GradientTape& t, const PyTensor& x) { t.watch(x); })
      .def("watch_variable", [](GradientTape& t, const VariablePtr& v) { t.watch(v); })
      .def("gradient", &tape_gradient, py::arg("targets"), py::arg("sources"),
           py::arg("output_gradients"), py::arg("unconnected"), py::arg("last_use") = true);
  m.def("_eager_tape_recording", &rt::autodiff::eager_tape_recording);
  // ag.Variable(trainable=...): the flag lives on the storage, where the tape reads it.
  auto variable =
      py::reinterpret_borrow<py::class_<rt::Variable, VariablePtr>>(m.attr("VariableResource"));
  variable.def_property("trainable", &rt::Variable::trainable, &rt::Variable::set_trainable);
}

}  // namespace xag::py
