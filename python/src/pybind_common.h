// Shared pieces of the `autograph._core` bindings: the Python-side tensor object, conversions
// from Python values, and the per-folder registration functions (one per runtime folder, in the
// manner of Open3D's bindings). The runtime itself never sees pybind11.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "runtime/core/dtype.h"
#include "runtime/core/shape.h"
#include "runtime/core/tensor.h"
#include "runtime/ops/attrs.h"
#include "runtime/ops/ops.h"

namespace xag::rt {
class Graph;
}

namespace xag::py {

namespace py = pybind11;

// ag.Graph's handle on a traced graph (shared with the trace that built it).
struct PyGraph {
  std::shared_ptr<rt::Graph> graph;
};

// A value of a graph under construction (defined in graph_builder.cpp).
struct SymbolicValue;

// What `ag.Tensor` wraps: an eager value, or a symbolic value of the graph being traced.
struct PyTensor {
  rt::Tensor value;                          // defined for eager tensors
  std::shared_ptr<const SymbolicValue> sym;  // non-null for symbolic tensors

  bool symbolic() const { return sym != nullptr; }
  rt::DType dtype() const;
  const rt::Shape& shape() const;
};

// ---- registration, one function per runtime folder ----
void pybind_core(py::module_& m);   // dtypes, Tensor, errors (core.cpp)
void pybind_ops(py::module_& m);    // op dispatch and Tensor operators (ops.cpp)
void pybind_graph(py::module_& m);  // graph builder, tracing scopes (graph.cpp)
void pybind_exec(py::module_& m);   // executor, printing, interrupts (exec.cpp)

// ---- core.cpp ----
// The Python DType object for `dt` (ag.int32, ...), registered by autograph/dtypes.py.
py::object dtype_object(rt::DType dt);
// Fast check and access: nullptr when `h` is not an ag.Tensor.
PyTensor* tensor_ptr(py::handle h);
// Wraps a C++ tensor into a new ag.Tensor.
py::object wrap(rt::Tensor t);
py::object wrap(PyTensor t);
// Converts any accepted Python value (ag.Tensor, objects with __ag_tensor__, bool/int/float,
// NumPy arrays and scalars, nested lists) into a PyTensor. `dtype` forces the result's dtype
// (a cast for tensors/arrays, the literal's type for Python scalars).
PyTensor to_tensor(py::handle h, std::optional<rt::DType> dtype = std::nullopt);
// The dtype a Python scalar `h` takes next to a tensor of dtype `other` (weak scalars: a
// literal of the same or lower kind adopts the tensor's dtype; of a higher kind it takes its
// SPEC default and promotion follows). nullopt when `h` is not a Python scalar.
std::optional<rt::DType> weak_scalar_dtype(py::handle h, rt::DType other);
// Python bool/int/float as a 0-d tensor of `dt`.
rt::Tensor scalar_tensor(py::handle h, rt::DType dt);
// Parses a dtype argument: an int code, a DType object or anything with `_code`.
rt::DType dtype_arg(py::handle h);
// Parses a shape argument: a tuple/list of ints (None/-1 for unknown).
rt::Shape shape_arg(py::handle h);
py::tuple shape_tuple(const rt::Shape& s);
// The exception classes registered by autograph/errors.py (fall back to builtins before that).
py::handle invalid_argument_error_class();
py::handle staging_error_class();
// Raises the Python error matching the C++ exception currently being handled.
[[noreturn]] void raise_staging(const std::string& msg);

// ---- ops.cpp ----
// Applies `op`: runs it at once when no graph is being traced, else adds a node.
py::object apply_op(rt::OpKind op, PyTensor* inputs, size_t n, const rt::OpAttrs& attrs);

// ---- graph.cpp ----
// True while a graph is being traced on this thread (ops then build nodes).
bool tracing();
// Adds a node for `op` to the innermost graph being traced and returns its output.
PyTensor build_op(rt::OpKind op, const PyTensor* inputs, size_t n, const rt::OpAttrs& attrs);
const rt::TensorSpec& symbolic_spec(const SymbolicValue& v);

inline rt::DType PyTensor::dtype() const {
  return sym ? symbolic_spec(*sym).dtype : value.dtype();
}
inline const rt::Shape& PyTensor::shape() const {
  return sym ? symbolic_spec(*sym).shape : value.shape();
}

}  // namespace xag::py
