// The single extension module `autograph._core`: one registration function per folder of the
// runtime (core, ops, graph, exec) and the converter, called in dependency order.
#include <pybind11/pybind11.h>

#include "pybind_common.h"

PYBIND11_MODULE(_core, m) {
  m.doc() = "xautograph runtime bindings (tensors, ops, graphs, executor)";
  xag::py::bind_core(m);
  xag::py::bind_ops(m);
  xag::py::bind_graph(m);
  xag::py::bind_exec(m);
  xag::py::bind_devices(m);
  xag::py::bind_autodiff(m);
  xag::py::bind_converter(m);
}
