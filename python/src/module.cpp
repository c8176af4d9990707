// The single extension module `autograph._core`: one registration function per runtime folder
// (core, ops, graph, exec), called in dependency order.
#include <pybind11/pybind11.h>

#include "pybind_common.h"

namespace xag::py { void pybind_converter(py::module_& m); }  // converter.cpp

PYBIND11_MODULE(_core, m) {
  m.doc() = "xautograph runtime bindings (tensors, ops, graphs, executor)";
  xag::py::pybind_core(m);
  xag::py::pybind_ops(m);
  xag::py::pybind_graph(m);
  xag::py::pybind_exec(m);
  xag::py::pybind_converter(m);  // AutoGraph source transform (converter.cpp)
}
