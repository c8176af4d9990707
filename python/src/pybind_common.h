// Shared pieces of the `autograph._core` bindings: conversions between Python values and the
// runtime's, and one registration function per runtime folder (in the manner of Open3D's
// bindings). The runtime never sees pybind11; tracing itself lives in runtime/graph/tracer.h.
#pragma once

#include <pybind11/pybind11.h>

#include <exception>
#include <memory>
#include <optional>
#include <tuple>
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

// Sets ag.Tensor's operator slots (nb_add, ..., tp_richcompare, tp_hash) before PyType_Ready, so
// Python derives __add__, __radd__, __eq__, ... from them (ops.cpp).
void install_operator_slots(PyHeapTypeObject* type);

// ---- core.cpp: Python values <-> runtime values ----
py::object dtype_object(rt::DType dt);  // ag.int32, ... (registered by autograph/dtypes.py)
PyTensor* tensor_ptr(py::handle h);     // nullptr when `h` is not an ag.Tensor
py::object wrap(rt::Operand t);         // a new ag.Tensor
py::object wrap(rt::Tensor t);
// Any accepted Python value (ag.Tensor, bool/int/float, NumPy arrays; the rest through
// autograph/ops.py's _convertible) as an operand; `dtype` forces the result's dtype.
PyTensor to_tensor(py::handle h, std::optional<rt::DType> dtype = std::nullopt);
// Python bool, int and float (and subclasses): weakly typed next to tensors.
inline bool is_number(py::handle h) {
  return PyLong_Check(h.ptr()) || PyFloat_Check(h.ptr());  // bool is a subclass of int
}
rt::WeakScalar weak_scalar(py::handle h);  // is_number(h) holds; ints beyond int64 raise
rt::DType dtype_arg(py::handle h);         // an int code, a DType object or anything with _code
rt::Shape shape_arg(py::handle h);         // ints, None/-1 for unknown dims
py::tuple shape_tuple(const rt::Shape& s);
// ---- strings.cpp: string tensors <-> str, bytes and NumPy text/object arrays ----
bool is_text(py::handle h);                     // str or bytes
bool is_text_array(py::handle array);           // a NumPy array of kind U, S or O
rt::Tensor string_scalar_of(py::handle h);      // a str (UTF-8) or bytes as a 0-d string tensor
rt::Tensor string_tensor_of(py::handle array);  // a NumPy array, every element str or bytes
py::object string_numpy(const rt::Tensor& t);   // bytes (0-d) or an object array of bytes

// Sets the Python error for a C++ exception: the package's classes for runtime errors, else
// pybind11's defaults. The module's exception translator, also used by raw CPython slots.
void set_python_error(std::exception_ptr p);

// A Python context manager holding a runtime RAII scope from __enter__ to __exit__ (ag.device,
// ag.name_scope, ag.init_scope): the constructor keeps `Args`, __enter__ calls
// `enter(std::optional<Scope>&, args...)`, which emplaces the scope.
template <class Scope, class... Args, class Enter>
void bind_scope(py::module_& m, const char* name, Enter enter) {
  struct Slot {
    std::tuple<Args...> args;
    std::optional<Scope> scope;
  };
  py::class_<Slot>(m, name)
      .def(py::init([](Args... a) {
        return new Slot{{std::move(a)...}, std::nullopt};
      }))
      .def(
          "__enter__",
          [enter](Slot& s) { std::apply([&](const Args&... a) { enter(s.scope, a...); }, s.args); })
      .def("__exit__", [](Slot& s, py::args) { s.scope.reset(); });
}

}  // namespace xag::py

// Casters, so bound functions take and return the runtime's types directly: rt::Operand from
// any value to_tensor accepts (to a new ag.Tensor), rt::DType from dtype_arg's values (to the
// DType object), rt::Shape from shape_arg's (to a tuple with None for unknown dims).
#define XAG_CASTER(T, py_name, load_fn, cast_fn)           \
  template <>                                              \
  struct type_caster<T> {                                  \
    PYBIND11_TYPE_CASTER(T, const_name(py_name));          \
    bool load(handle src, bool) {                          \
      value = load_fn(src);                                \
      return true;                                         \
    }                                                      \
    static handle cast(T v, return_value_policy, handle) { \
      return cast_fn(std::move(v)).release();              \
    }                                                      \
  };

namespace pybind11::detail {
XAG_CASTER(xag::rt::Operand, "autograph.Tensor", xag::py::to_tensor, xag::py::wrap)
XAG_CASTER(xag::rt::DType, "autograph.DType", xag::py::dtype_arg, xag::py::dtype_object)
XAG_CASTER(xag::rt::Shape, "tuple", xag::py::shape_arg, xag::py::shape_tuple)
}  // namespace pybind11::detail
#undef XAG_CASTER
