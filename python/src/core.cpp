// Bindings of runtime/core: dtypes, the ag.Tensor type and its NumPy interop, Python-value
// conversions and the mapping of runtime exceptions onto the package's exception classes.
// Docstrings of ag.Tensor's members are in autograph/tensor.py.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

#include "pybind_common.h"
#include "runtime/backend/placement.h"
#include "runtime/backend/registry.h"
#include "runtime/core/errors.h"
#include "runtime/core/host_values.h"
#include "runtime/core/strings.h"
#include "runtime/ops/weak_scalar.h"

namespace xag::py {

namespace {

// Python objects registered by the package at import time (autograph/__init__.py). Strong
// references that are never released: a static py::object's destructor would run after the
// interpreter is gone.
py::handle g_dtype_objects[rt::kNumDTypes];
py::handle g_invalid_argument_error, g_staging_error;
// Called with (what) when a symbolic tensor is used where a Python value is needed; raises the
// package's StagingError naming the user's line (autograph/errors.py).
py::handle g_symbolic_misuse_hook;
PyTypeObject* g_tensor_type = nullptr;

py::dtype numpy_dtype(rt::DType dt) {
  if (dt == rt::DType::String) return py::dtype("O");  // TensorFlow: objects holding bytes
  return rt::dispatch_dtype(dt, [](auto tag) { return py::dtype::of<decltype(tag)>(); });
}

const rt::Tensor& eager_value(const PyTensor& t, const char* what) {
  if (!t.symbolic()) return t.value;
  if (g_symbolic_misuse_hook) g_symbolic_misuse_hook(what);  // raises
  throw rt::StagingError(std::string("using a symbolic tensor as a Python ") + what +
                         " is not allowed in a staged function");
}

// A zero-copy, read-only NumPy view of an eager tensor; `owner` (the ag.Tensor) keeps the
// storage alive, whether it is inline in the handle or a shared heap/external buffer. A tensor on
// another device is copied to the host first (the copy, wrapped, owns the view).
py::array numpy_view(const rt::Tensor& t, py::handle owner) {
  if (t.dtype() == rt::DType::String) {  // a copy: NumPy cannot view interned strings
    return py::array(string_numpy(t.reshaped(rt::Shape{t.num_elements()})))
        .attr("reshape")(shape_tuple(t.shape()));
  }
  if (!t.on_host()) {
    rt::Tensor host = t.host();
    return numpy_view(host, wrap(host));
  }
  std::vector<py::ssize_t> shape(t.shape().begin(), t.shape().end());
  py::array arr(numpy_dtype(t.dtype()), shape, rt::byte_strides(t), t.raw_data(), owner);
  // Tensors are immutable and their buffers may be shared by other tensors: no writes.
  py::detail::array_proxy(arr.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return arr;
}

// The buffer protocol exports the NumPy view's buffer, for host tensors only: symbolic tensors,
// string tensors and tensors on a device refuse with BufferError (a C slot must not throw), and
// NumPy then falls back to __array__, which copies device data to the host.
int tensor_getbuffer(PyObject* obj, Py_buffer* view, int flags) {
  const PyTensor& t = *tensor_ptr(obj);
  if (t.symbolic() || !t.value.on_host() || t.dtype() == rt::DType::String) {
    if (view) view->obj = nullptr;
    PyErr_SetString(PyExc_BufferError, t.symbolic() ? "a symbolic tensor has no data"
                                       : t.dtype() == rt::DType::String
                                           ? "strings have no buffer"
                                           : "the tensor's data is not in host memory");
    return -1;
  }
  try {
    return PyObject_GetBuffer(numpy_view(t.value, obj).ptr(), view, flags);
  } catch (...) {
    set_python_error(std::current_exception());
    return -1;
  }
}

// A NumPy array (any layout, any dtype we can map) as a tensor: zero-copy for aligned,
// C-contiguous arrays of our dtypes; otherwise one converting copy.
rt::Tensor from_array(py::array arr, std::optional<rt::DType> want) {
  if (is_text_array(arr)) {
    if (want && *want != rt::DType::String) {
      throw rt::InvalidArgumentError(std::string("constant: cannot convert strings to ") +
                                     rt::dtype_name(*want));
    }
    return string_tensor_of(arr);
  }
  const py::dtype adt = arr.dtype();
  const auto itemsize = static_cast<size_t>(adt.itemsize());
  const std::optional<rt::DType> dt = rt::dtype_for_array(adt.kind(), itemsize);
  if (!dt) {
    throw rt::InvalidArgumentError("constant: unsupported NumPy dtype " +
                                   py::str(arr.dtype()).cast<std::string>());
  }
  const rt::DType target = want.value_or(*dt);
  rt::Shape shape;
  for (py::ssize_t i = 0; i < arr.ndim(); ++i) shape.push_back(arr.shape(i));
  const int flags = py::detail::array_proxy(arr.ptr())->flags;
  if (!rt::array_layout_matches(adt.kind(), itemsize, adt.byteorder()) ||
      !(flags & py::detail::npy_api::NPY_ARRAY_C_CONTIGUOUS_) ||
      !(flags & py::detail::npy_api::NPY_ARRAY_ALIGNED_)) {
    arr = py::module_::import("numpy").attr("ascontiguousarray")(arr, numpy_dtype(target));
    return rt::Tensor::from_raw(target, shape, arr.data(), arr.size());
  }
  // The tensor keeps the array object alive; releasing it needs the GIL.
  PyObject* keep = arr.release().ptr();
  std::shared_ptr<const void> owner(keep, [](const void* p) {
    py::gil_scoped_acquire gil;
    Py_DECREF(static_cast<PyObject*>(const_cast<void*>(p)));
  });
  rt::Tensor t =
      rt::Tensor::from_external(*dt, shape, py::detail::array_proxy(keep)->data, std::move(owner));
  return target == *dt ? t : t.cast(target);
}

// ag.StagingError (registered by autograph/errors.py).
py::handle staging_error_class() {
  return g_staging_error ? g_staging_error : py::handle(PyExc_RuntimeError);
}

// Raises a runtime LocatedError as `cls`, carrying message, filename, lineno and source_line.
[[noreturn]] void raise_located(py::handle cls, const rt::LocatedError& e) {
  py::object exc = cls(e.what());
  exc.attr("message") = e.message();
  exc.attr("filename") = e.loc().file;
  exc.attr("lineno") = e.loc().line;
  exc.attr("source_line") = e.loc().source_line;
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw py::error_already_set();
}

}  // namespace

// Errors with a source location (build or run time) carry it as attributes, so the kernel can
// point the traceback at the user's line. Nothing aborts the process.
void set_python_error(std::exception_ptr p) {
  py::handle invalid_argument =
      g_invalid_argument_error ? g_invalid_argument_error : py::handle(PyExc_ValueError);
  try {
    std::rethrow_exception(p);
  } catch (const rt::LocatedError& e) {
    try {
      raise_located(e.kind() == rt::ErrorKind::Staging       ? staging_error_class()
                    : e.kind() == rt::ErrorKind::OutOfMemory ? py::handle(PyExc_MemoryError)
                    : e.kind() == rt::ErrorKind::Recursion   ? py::handle(PyExc_RecursionError)
                                                             : invalid_argument,
                    e);
    } catch (py::error_already_set& err) {
      err.restore();
    }
  } catch (const rt::StagingError& e) {
    PyErr_SetString(staging_error_class().ptr(), e.what());
  } catch (const rt::InvalidArgumentError& e) {
    PyErr_SetString(invalid_argument.ptr(), e.what());
  } catch (const rt::OutOfMemoryError& e) {
    PyErr_SetString(PyExc_MemoryError, e.what());
  } catch (const rt::CancelledError& e) {
    PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
  } catch (const rt::InternalError& e) {
    PyErr_SetString(PyExc_RuntimeError,
                    (std::string("internal error in the xautograph runtime: ") + e.what()).c_str());
  } catch (...) {
    py::detail::translate_exception(std::current_exception());
  }
}

py::object dtype_object(rt::DType dt) {
  const py::handle o = g_dtype_objects[static_cast<int>(dt)];
  return o ? py::reinterpret_borrow<py::object>(o) : py::str(rt::dtype_name(dt));
}

PyTensor* tensor_ptr(py::handle h) {
  if (!h || !g_tensor_type) return nullptr;
  PyTypeObject* t = Py_TYPE(h.ptr());
  if (t != g_tensor_type && !PyType_IsSubtype(t, g_tensor_type)) return nullptr;
  auto* inst = reinterpret_cast<py::detail::instance*>(h.ptr());
  return static_cast<PyTensor*>(inst->get_value_and_holder().value_ptr());
}

// Every eager op ends here, so this skips py::cast's generic steps (type lookup by typeid, the
// search for an existing Python object owning the pointer): the result is always a new object.
py::object wrap(rt::Operand t) {
  static const py::detail::type_info* tinfo = py::detail::get_type_info(typeid(PyTensor));
  PyObject* self = py::detail::make_new_instance(tinfo->type);
  if (!self) throw py::error_already_set();
  auto* inst = reinterpret_cast<py::detail::instance*>(self);
  inst->owned = true;
  const bool text = t.value.dtype() == rt::DType::String;
  py::detail::values_and_holders(inst).begin()->value_ptr() = new PyTensor(std::move(t));
  tinfo->init_instance(inst, nullptr);
  py::object out = py::reinterpret_steal<py::object>(self);
  // A safe point of the string collector (GIL held, no refs held here): eager code that makes a
  // string per step gets its garbage collected as it goes.
  if (text) rt::collect_strings_if_due();
  return out;
}
py::object wrap(rt::Tensor t) {
  return wrap(rt::Operand(std::move(t)));
}

rt::WeakScalar weak_scalar(py::handle h) {
  PyObject* o = h.ptr();
  if (PyBool_Check(o)) return rt::WeakScalar::boolean(o == Py_True);
  if (!PyLong_Check(o)) return rt::WeakScalar::real(PyFloat_AS_DOUBLE(o));  // is_number(h)
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
  if (overflow) {
    throw rt::InvalidArgumentError("constant: Python int " + py::str(h).cast<std::string>() +
                                   " does not fit in int64");
  }
  return rt::WeakScalar::integer(v);
}

PyTensor to_tensor(py::handle h, std::optional<rt::DType> dtype) {
  if (PyTensor* t = tensor_ptr(h)) {
    if (!dtype || *dtype == t->dtype()) return *t;
    return rt::apply(rt::OpKind::Cast, {*t}, rt::OpAttrs::with_dtype(*dtype));
  }
  PyObject* o = h.ptr();
  PyTensor out;
  if (PyBool_Check(o) || PyLong_CheckExact(o) || PyFloat_CheckExact(o)) {
    const rt::WeakScalar s = weak_scalar(h);
    out.value = rt::scalar_tensor(s, dtype.value_or(rt::default_dtype(s)));
  } else if (is_text(h)) {
    out.value = string_scalar_of(h);
    if (dtype && *dtype != rt::DType::String) {
      throw rt::InvalidArgumentError(std::string("constant: cannot convert a string to ") +
                                     rt::dtype_name(*dtype));
    }
  } else if (py::isinstance<py::array>(h)) {
    out.value = from_array(py::reinterpret_borrow<py::array>(h), dtype);
  } else {
    // Lists, tensor-likes and NumPy scalars: Python makes a tensor of them, or an array and
    // whether it was a list literal (whose dtype rt::literal_tensor picks).
    static PyObject* convertible =  // never released: the module lives as long as the process
        py::object(py::module_::import("autograph.ops").attr("_convertible")).release().ptr();
    py::object r = py::handle(convertible)(h);
    if (tensor_ptr(r)) return to_tensor(r, dtype);
    const auto pair = py::reinterpret_borrow<py::tuple>(r);
    const py::array arr = pair[0];
    out.value = pair[1].cast<bool>()
                    ? rt::literal_tensor(from_array(arr, std::nullopt), arr.dtype().kind(), dtype)
                    : from_array(arr, dtype);
  }
  out.id = rt::Operand::next_id();  // a new tensor (the gradient tape tells tensors apart by id)
  return out;
}

rt::DType dtype_arg(py::handle h) {
  if (PyLong_Check(h.ptr())) {
    const long v = PyLong_AsLong(h.ptr());
    if (v < 0 || v >= rt::kNumDTypes) throw rt::InvalidArgumentError("bad dtype code");
    return static_cast<rt::DType>(v);
  }
  if (PyObject_HasAttrString(h.ptr(), "_code")) return dtype_arg(h.attr("_code"));
  return dtype_arg(py::module_::import("autograph.dtypes").attr("as_dtype")(h).attr("_code"));
}

rt::Shape shape_arg(py::handle h) {
  rt::Shape s;
  if (PyLong_Check(h.ptr())) {
    s.push_back(h.cast<int64_t>());
    return s;
  }
  for (py::handle d : h) {
    if (d.is_none()) {
      s.push_back(rt::kUnknownDim);
    } else if (PyTensor* t = tensor_ptr(d)) {
      s.push_back(eager_value(*t, "int (in a static shape)").item<int64_t>());
    } else {
      s.push_back(py::int_(py::reinterpret_borrow<py::object>(d)).cast<int64_t>());
    }
  }
  return s;
}

py::tuple shape_tuple(const rt::Shape& s) {
  py::tuple t(s.rank());
  for (int i = 0; i < s.rank(); ++i) {
    t[i] = s[i] == rt::kUnknownDim ? py::object(py::none()) : py::object(py::int_(s[i]));
  }
  return t;
}

// ag.TensorShape (a tuple subclass, python/autograph/tensor_shape.py) once registered; the
// shape getter builds one directly (not through the class's Python __new__): `.shape` is read
// often and must stay as cheap as the plain tuple it was.
PyTypeObject* g_tensor_shape_type = nullptr;

py::object shape_object(const rt::Shape& s) {
  if (!g_tensor_shape_type) return shape_tuple(s);
  // What tuple's own constructor does for a subclass: allocate, then fill the items.
  PyObject* r = g_tensor_shape_type->tp_alloc(g_tensor_shape_type, s.rank());
  if (!r) throw py::error_already_set();
  for (int i = 0; i < s.rank(); ++i) {
    PyObject* d = s[i] == rt::kUnknownDim ? Py_NewRef(Py_None) : PyLong_FromLongLong(s[i]);
    if (!d) {
      Py_DECREF(r);
      throw py::error_already_set();
    }
    PyTuple_SET_ITEM(r, i, d);
  }
  return py::reinterpret_steal<py::object>(r);
}

py::object make_constant(py::handle value, py::object dtype) {
  std::optional<rt::DType> dt;
  if (!dtype.is_none()) dt = dtype_arg(dtype);
  if (tensor_ptr(value) && !dt) return py::reinterpret_borrow<py::object>(value);
  PyTensor t = to_tensor(value, dt);
  // A new constant goes where an ag.device scope places ops.
  if (!t.symbolic()) t.value = t.value.to(rt::placed_device());
  return wrap(std::move(t));
}

void bind_core(py::module_& m) {
  py::module_::import("numpy");
  // Operators and the buffer hook are C slots set before PyType_Ready (see ops.cpp).
  py::class_<PyTensor> cls(m, "Tensor", py::custom_type_setup([](PyHeapTypeObject* type) {
                             type->ht_type.tp_as_buffer = &type->as_buffer;
                             type->as_buffer.bf_getbuffer = &tensor_getbuffer;
                             install_operator_slots(type);
                           }));
  g_tensor_type = reinterpret_cast<PyTypeObject*>(cls.ptr());
  cls.def_property_readonly("dtype", [](const PyTensor& t) { return t.dtype(); })
      .def_property_readonly("shape", [](const PyTensor& t) { return shape_object(t.shape()); })
      .def_property_readonly("device",
                             [](const PyTensor& t) -> py::object {
                               if (t.symbolic()) return py::none();
                               return py::str(rt::device_name(t.value.device()));
                             })
      .def_property_readonly("is_symbolic", [](const PyTensor& t) { return t.symbolic(); })
      .def(
          "numpy",
          [](py::handle self) -> py::object {
            const rt::Tensor& t = eager_value(*tensor_ptr(self), "value (numpy())");
            if (t.dtype() == rt::DType::String) return string_numpy(t);  // bytes, as TF
            return numpy_view(t, self);
          },
          "A read-only NumPy view sharing this tensor's buffer (strings: bytes or an object "
          "array of bytes, copied).")
      .def("__bool__", [](const PyTensor& t) { return rt::truth_value(eager_value(t, "bool")); })
      .def("__index__",
           [](const PyTensor& t) { return rt::index_value(eager_value(t, "int (as an index)")); })
      .def("__float__", [](const PyTensor& t) { return eager_value(t, "float").item<double>(); })
      .def("__repr__",
           [](py::handle self) {
             const PyTensor& t = *tensor_ptr(self);
             std::string np_text;
             if (!t.symbolic()) {
               py::array view = numpy_view(t.value, self);
               np_text = t.value.rank() == 0 ? py::str(view) : py::repr(view);
             }
             const bool host = t.symbolic() || t.value.on_host();
             return rt::tensor_repr(t.shape(), t.dtype(), t.symbolic(),
                                    host ? std::string() : rt::device_name(t.value.device()),
                                    np_text);
           })
      .def(
          "_format", [](const PyTensor& t) { return eager_value(t, "value (print)").to_string(); },
          "The text ag.print shows (the same in eager and staged code).");

  m.def("constant", &make_constant, py::arg("value"), py::arg("dtype") = py::none());
  // ag.constant: inside a trace a new constant is a value of the graph, as tf.constant is in a
  // tf.function (so `while ag.constant(True):` with a break is a staged loop, not an endless
  // Python one). The runtime's own constants (_core.constant) stay eager.
  m.def(
      "graph_constant",
      [](py::handle value, py::object dtype) {
        py::object r = make_constant(value, std::move(dtype));
        PyTensor* t = tensor_ptr(r);
        if (!rt::tracing() || t == nullptr || t->symbolic()) return r;
        rt::Trace& tr = rt::current_trace("constant");
        tr.locate();
        return wrap(PyTensor(tr.symbolic(tr.value_of(*t))));
      },
      py::arg("value"), py::arg("dtype") = py::none(),
      "A tensor holding `value` (numbers, nested lists, NumPy arrays, tensors) as `dtype`; "
      "inside a function being traced, a constant of its graph.");

  // (count, bytes) of the runtime's string table: for tests of the string collector.
  m.def("string_memory", [] {
    const rt::StringMemory s = rt::string_memory();
    return py::make_tuple(s.count, s.bytes);
  });

  // The Python DType objects in code order, the exception classes and the symbolic-misuse hook.
  m.def("_register_dtypes", [](py::sequence objs) {
    for (int i = 0; i < rt::kNumDTypes; ++i) g_dtype_objects[i] = py::object(objs[i]).release();
  });
  m.def("_register_tensor_shape", [](py::type cls) {
    g_tensor_shape_type = reinterpret_cast<PyTypeObject*>(cls.release().ptr());
  });
  m.def("_register_errors", [](py::object invalid_argument, py::object staging, py::object hook) {
    g_invalid_argument_error = invalid_argument.release();
    g_staging_error = staging.release();
    g_symbolic_misuse_hook = hook.release();
  });
  py::register_exception_translator(&set_python_error);
}

}  // namespace xag::py
