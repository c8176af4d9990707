// Shared pieces of the `autograph._core` bindings: conversions between Python values and the
// runtime's, and one registration function per runtime folder (in the manner of Open3D's
// bindings). The runtime never sees pybind11; tracing itself lives in runtime/graph/tracer.h.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <optional>
#include <vector>

#include "runtime/core/dtype.h"
#include "runtime/core/shape.h"
#include "runtime/graph/tracer.h"

namespace xag::py {

namespace py = pybind11;

// What ag.Tensor wraps: an eager tensor or a symbolic value of a trace. A type of its own, so
// that rt::Operand in a bound function's signature converts through the caster below.
struct PyTensor : rt::Operand {
  PyTensor() = default;
  PyTensor(rt::Operand&& o) : rt::Operand(std::move(o)) {}  // NOLINT: implicit by design
  PyTensor(const rt::Operand& o) : rt::Operand(o) {}        // NOLINT
};

// ---- registration, one function per folder, called in this order by module.cpp ----
void bind_core(py::module_& m);       // dtypes, Tensor, conversions, errors (core.cpp)
void bind_ops(py::module_& m);        // op entry points and Tensor operators (ops.cpp)
void bind_graph(py::module_& m);      // traces, control flow, lists, variables (graph.cpp)
void bind_exec(py::module_& m);       // executor, printing, interrupts (exec.cpp)
void bind_converter(py::module_& m);  // the AutoGraph source transform (converter.cpp)
void bind_devices(py::module_& m);    // device registry, ag.device placement (devices.cpp)
void bind_autodiff(py::module_& m);   // the gradient tape (autodiff.cpp)

// ---- ops.cpp ----
// Sets ag.Tensor's operator slots (nb_add, ..., tp_richcompare, tp_hash) before PyType_Ready, so
// Python derives __add__, __radd__, __eq__, ... from them.
void install_operator_slots(PyHeapTypeObject* type);

// ---- core.cpp: Python values <-> runtime values ----
// The Python DType object for `dt` (ag.int32, ...), registered by autograph/dtypes.py.
py::object dtype_object(rt::DType dt);
// Fast check and access: nullptr when `h` is not an ag.Tensor.
PyTensor* tensor_ptr(py::handle h);
// Wraps a runtime value into a new ag.Tensor.
py::object wrap(rt::Tensor t);
py::object wrap(rt::Operand t);
// Converts any accepted Python value (ag.Tensor, objects with __ag_tensor__, bool/int/float,
// NumPy arrays and scalars, nested lists) into an operand. `dtype` forces the result's dtype
// (a cast for tensors/arrays, the literal's type for Python scalars).
PyTensor to_tensor(py::handle h, std::optional<rt::DType> dtype = std::nullopt);
// Python bool, int and float (and their subclasses): weakly typed next to tensors.
inline bool is_number(py::handle h) {
  return PyLong_Check(h.ptr()) || PyFloat_Check(h.ptr());  // bool is a subclass of int
}
// A Python number (is_number(h) holds) as a weak scalar; raises InvalidArgumentError for an int
// beyond int64.
rt::WeakScalar weak_scalar(py::handle h);
// Parses a dtype argument: an int code, a DType object or anything with `_code`.
rt::DType dtype_arg(py::handle h);
// Parses a shape argument: a tuple/list of ints (None/-1 for unknown).
rt::Shape shape_arg(py::handle h);
py::tuple shape_tuple(const rt::Shape& s);
// Sets the Python error for a runtime LocatedError as an instance of `cls` (ag.StagingError or
// ag.InvalidArgumentError) carrying message, filename, lineno and source_line, and throws.
[[noreturn]] void raise_located(py::handle cls, const rt::LocatedError& e);
py::handle staging_error_class();

// A dict of a runtime stats struct's fields() (name, value) pairs.
py::dict counters(const std::vector<std::pair<const char*, int64_t>>& fields);

}  // namespace xag::py

// Casters, so bound functions take and return the runtime's types directly: rt::Operand from
// any value to_tensor accepts (to a new ag.Tensor), rt::DType from dtype_arg's values (to the
// DType object), rt::Shape from shape_arg's (to a tuple with None for unknown dims).
namespace pybind11::detail {

template <>
struct type_caster<xag::rt::Operand> {
  PYBIND11_TYPE_CASTER(xag::rt::Operand, const_name("autograph.Tensor"));
  bool load(handle src, bool) {
    value = xag::py::to_tensor(src);
    return true;
  }
  static handle cast(xag::rt::Operand v, return_value_policy, handle) {
    return xag::py::wrap(std::move(v)).release();
  }
};

template <>
struct type_caster<xag::rt::DType> {
  PYBIND11_TYPE_CASTER(xag::rt::DType, const_name("autograph.DType"));
  bool load(handle src, bool) {
    value = xag::py::dtype_arg(src);
    return true;
  }
  static handle cast(xag::rt::DType v, return_value_policy, handle) {
    return xag::py::dtype_object(v).release();
  }
};

template <>
struct type_caster<xag::rt::Shape> {
  PYBIND11_TYPE_CASTER(xag::rt::Shape, const_name("tuple"));
  bool load(handle src, bool) {
    value = xag::py::shape_arg(src);
    return true;
  }
  static handle cast(const xag::rt::Shape& v, return_value_policy, handle) {
    return xag::py::shape_tuple(v).release();
  }
};

}  // namespace pybind11::detail
