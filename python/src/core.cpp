// Bindings of runtime/core: dtypes, the ag.Tensor type and its NumPy interop, Python-value
// conversions and the mapping of runtime exceptions onto the package's exception classes.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

#include "pybind_common.h"
#include "runtime/backend/placement.h"
#include "runtime/backend/registry.h"
#include "runtime/core/errors.h"
#include "runtime/core/host_values.h"
#include "runtime/ops/weak_scalar.h"

namespace xag::py {

namespace {

// Python objects registered by the package at import time (autograph/dtypes.py, errors.py).
py::object g_dtype_objects[rt::kNumDTypes];
py::object g_invalid_argument_error;
py::object g_staging_error;
// Called with (what) when a symbolic tensor is used where a Python value is needed; raises the
// package's StagingError naming the user's line (autograph/errors.py).
py::object g_symbolic_misuse_hook;
PyTypeObject* g_tensor_type = nullptr;

py::dtype numpy_dtype(rt::DType dt) {
  return rt::dispatch_dtype(dt, [](auto tag) { return py::dtype::of<decltype(tag)>(); });
}

[[noreturn]] void symbolic_misuse(const char* what) {
  if (g_symbolic_misuse_hook) g_symbolic_misuse_hook(what);
  // The hook always raises; this is the fallback before the package registered it.
  throw rt::StagingError(std::string("using a symbolic tensor as a Python ") + what +
                         " is not allowed in a staged function");
}

const rt::Tensor& eager_value(const PyTensor& t, const char* what) {
  if (t.symbolic()) symbolic_misuse(what);
  return t.value;
}

// The buffer protocol for host tensors only: symbolic tensors and tensors on a device refuse with
// BufferError (pybind11's slot cannot fail: an exception there terminates), and NumPy then falls
// back to __array__, which copies device data to the host.
int tensor_getbuffer(PyObject* obj, Py_buffer* view, int flags) {
  PyTensor* t = tensor_ptr(obj);
  if (t && (t->symbolic() || !t->value.on_host())) {
    if (view) view->obj = nullptr;
    PyErr_SetString(PyExc_BufferError, t->symbolic() ? "a symbolic tensor has no data"
                                                     : "the tensor's data is not in host memory");
    return -1;
  }
  return py::detail::pybind11_getbuffer(obj, view, flags);
}

// A zero-copy, read-only NumPy view of an eager tensor; `owner` (the ag.Tensor) keeps the
// storage alive, whether it is inline in the handle or a shared heap/external buffer. A tensor on
// another device is copied to the host first (the copy, wrapped, owns the view).
py::array numpy_view(const rt::Tensor& t, py::handle owner) {
  if (!t.on_host()) {
    rt::Tensor host = t.host();
    py::object holder = wrap(host);
    return numpy_view(host, holder);
  }
  std::vector<py::ssize_t> shape(t.shape().begin(), t.shape().end());
  py::array arr(numpy_dtype(t.dtype()), shape, rt::byte_strides(t), t.raw_data(), owner);
  // Tensors are immutable and their buffers may be shared by other tensors: no writes.
  py::detail::array_proxy(arr.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return arr;
}

// A NumPy array (any layout, any dtype we can map) as a tensor: zero-copy for aligned,
// C-contiguous arrays of our dtypes; otherwise one converting copy.
rt::Tensor from_array(py::array arr, std::optional<rt::DType> want) {
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
  const bool exact = rt::array_layout_matches(adt.kind(), itemsize, adt.byteorder());
  const int flags = py::detail::array_proxy(arr.ptr())->flags;
  const bool contiguous = (flags & py::detail::npy_api::NPY_ARRAY_C_CONTIGUOUS_) &&
                          (flags & py::detail::npy_api::NPY_ARRAY_ALIGNED_);
  if (!exact || !contiguous) {
    arr =
        py::array(py::module_::import("numpy").attr("ascontiguousarray")(arr, numpy_dtype(target)));
    rt::Tensor t = rt::Tensor::from_raw(target, shape, arr.data(), arr.size());
    return t;
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

// Python lists/tuples: NumPy parses the nesting; rt::literal_tensor picks the dtype.
rt::Tensor from_sequence(py::handle seq, std::optional<rt::DType> want) {
  py::array arr = py::module_::import("numpy").attr("asarray")(seq);
  const char kind = arr.dtype().kind();
  if (kind == 'O' || kind == 'U' || kind == 'S') {
    throw rt::InvalidArgumentError(
        "constant: cannot convert " + py::repr(seq).cast<std::string>().substr(0, 80) +
        " to a tensor (nested lists of numbers or tensors of one shape are accepted)");
  }
  return rt::literal_tensor(from_array(arr, std::nullopt), kind, want);
}

}  // namespace

py::handle invalid_argument_error_class() {
  return g_invalid_argument_error ? g_invalid_argument_error : py::handle(PyExc_ValueError);
}
py::handle staging_error_class() {
  return g_staging_error ? g_staging_error : py::handle(PyExc_RuntimeError);
}

void raise_located(py::handle cls, const rt::LocatedError& e) {
  py::object exc = cls(e.what());
  exc.attr("message") = e.message();
  exc.attr("filename") = e.loc().file;
  exc.attr("lineno") = e.loc().line;
  exc.attr("source_line") = e.loc().source_line;
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw py::error_already_set();
}

py::object dtype_object(rt::DType dt) {
  const auto& o = g_dtype_objects[static_cast<int>(dt)];
  if (o) return o;
  return py::str(rt::dtype_name(dt));
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
  py::detail::values_and_holders(inst).begin()->value_ptr() = new PyTensor(std::move(t));
  tinfo->init_instance(inst, nullptr);
  return py::reinterpret_steal<py::object>(self);
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
  } else if (py::isinstance<py::array>(h)) {
    out.value = from_array(py::reinterpret_borrow<py::array>(h), dtype);
  } else if (PyObject_HasAttrString(o, "__ag_tensor__")) {
    // Variables and other tensor-like objects of the package.
    return to_tensor(h.attr("__ag_tensor__")(), dtype);
  } else if (PyList_Check(o) || PyTuple_Check(o)) {
    // Lists holding tensors are stacked (the package's stack handles symbolic ones).
    py::sequence seq = py::reinterpret_borrow<py::sequence>(h);
    bool has_tensor = false;
    for (py::handle item : seq)
      has_tensor |=
          tensor_ptr(item) != nullptr || PyList_Check(item.ptr()) || PyTuple_Check(item.ptr());
    if (has_tensor && py::len(seq) > 0) {
      py::object stacked = py::module_::import("autograph.ops").attr("_stack_nested")(h);
      if (tensor_ptr(stacked)) return to_tensor(stacked, dtype);
    }
    out.value = from_sequence(h, dtype);
  } else if (PyObject_HasAttrString(o, "dtype") && PyObject_HasAttrString(o, "shape")) {
    // NumPy scalars (np.float32(1)) and other array-likes keep their dtype.
    out.value = from_array(py::array(py::module_::import("numpy").attr("asarray")(h)), dtype);
  } else {
    throw rt::InvalidArgumentError("cannot convert an object of type '" +
                                   std::string(Py_TYPE(o)->tp_name) + "' to a tensor");
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

py::dict counters(const std::vector<std::pair<const char*, int64_t>>& fields) {
  py::dict d;
  for (const auto& [name, value] : fields) d[name] = value;
  return d;
}

py::tuple shape_tuple(const rt::Shape& s) {
  py::tuple t(s.rank());
  for (int i = 0; i < s.rank(); ++i) {
    t[i] = s[i] == rt::kUnknownDim ? py::object(py::none()) : py::object(py::int_(s[i]));
  }
  return t;
}

void bind_core(py::module_& m) {
  py::module_::import("numpy");

  // Operators and the buffer hook are C slots set before PyType_Ready (see ops.cpp).
  py::class_<PyTensor> cls(m, "Tensor", py::buffer_protocol(),
                           py::custom_type_setup([](PyHeapTypeObject* type) {
                             type->as_buffer.bf_getbuffer = &tensor_getbuffer;
                             install_operator_slots(type);
                           }),
                           "A value on the runtime: eager (has data) or symbolic (a value of a "
                           "graph being traced).");
  g_tensor_type = reinterpret_cast<PyTypeObject*>(cls.ptr());

  cls.def_property_readonly(
         "dtype", [](const PyTensor& t) { return t.dtype(); }, "The element type.")
      .def_property_readonly(
          "shape", [](const PyTensor& t) { return t.shape(); },
          "The shape as a tuple (None for dims unknown while tracing).")
      .def_property_readonly("ndim", [](const PyTensor& t) { return t.shape().rank(); })
      .def_property_readonly(
          "device",
          [](const PyTensor& t) -> py::object {
            if (t.symbolic()) return py::none();
            return py::str(rt::device_name(t.value.device()));
          },
          "Where the tensor's data lives ('cpu', 'gpu:0', ...); None while tracing.")
      .def_property_readonly(
          "is_symbolic", [](const PyTensor& t) { return t.symbolic(); },
          "True for a value of a graph being traced.")
      .def(
          "numpy",
          [](py::handle self) {
            return numpy_view(eager_value(*tensor_ptr(self), "value (numpy())"), self);
          },
          "A read-only NumPy view sharing this tensor's buffer.")
      .def_buffer([](PyTensor& t) -> py::buffer_info {
        const rt::Tensor& v = eager_value(t, "buffer");
        std::vector<py::ssize_t> shape(v.shape().begin(), v.shape().end());
        return py::buffer_info(
            const_cast<void*>(v.raw_data()), static_cast<py::ssize_t>(rt::dtype_size(v.dtype())),
            rt::dispatch_dtype(
                v.dtype(), [](auto tag) { return py::format_descriptor<decltype(tag)>::format(); }),
            static_cast<py::ssize_t>(shape.size()), shape, rt::byte_strides(v),
            /*readonly=*/true);
      })
      .def("__bool__", [](const PyTensor& t) { return rt::truth_value(eager_value(t, "bool")); })
      .def("__int__",
           [](const PyTensor& t) {
             const rt::Tensor& v = eager_value(t, "int");
             if (rt::is_floating(v.dtype())) {
               return py::reinterpret_steal<py::int_>(PyLong_FromDouble(rt::finite_value(v)));
             }
             return py::int_(v.item<int64_t>());
           })
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

  m.def(
      "constant",
      [](py::handle value, py::object dtype) {
        std::optional<rt::DType> dt;
        if (!dtype.is_none()) dt = dtype_arg(dtype);
        if (tensor_ptr(value) && !dt) return py::reinterpret_borrow<py::object>(value);
        PyTensor t = to_tensor(value, dt);
        // A new constant goes where an ag.device scope places ops.
        if (!t.symbolic()) t.value = t.value.to(rt::placed_device());
        return wrap(std::move(t));
      },
      py::arg("value"), py::arg("dtype") = py::none(),
      "ag.constant: a tensor from a Python value, NumPy array or tensor.");

  m.def(
      "_register_dtypes",
      [](py::sequence objs) {
        for (int i = 0; i < rt::kNumDTypes; ++i) {
          g_dtype_objects[i] = py::reinterpret_borrow<py::object>(objs[i]);
        }
      },
      "Registers the Python DType objects in code order (autograph/dtypes.py).");
  m.def(
      "_register_errors",
      [](py::object invalid_argument, py::object staging, py::object misuse_hook) {
        g_invalid_argument_error = invalid_argument;
        g_staging_error = staging;
        g_symbolic_misuse_hook = misuse_hook;
      },
      "Registers the exception classes and the symbolic-misuse hook (autograph/errors.py).");

  // Runtime exceptions -> the package's classes; nothing aborts the process. Errors with a
  // source location (build or run time) carry it as attributes, so the kernel can point the
  // traceback at the user's line.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const rt::LocatedError& e) {
      try {
        raise_located(invalid_argument_error_class(), e);
      } catch (py::error_already_set& err) {
        err.restore();
      }
    } catch (const rt::StagingError& e) {
      PyErr_SetString(staging_error_class().ptr(), e.what());
    } catch (const rt::InvalidArgumentError& e) {
      PyErr_SetString(invalid_argument_error_class().ptr(), e.what());
    } catch (const rt::CancelledError& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    } catch (const rt::InternalError& e) {
      PyErr_SetString(
          PyExc_RuntimeError,
          (std::string("internal error in the xautograph runtime: ") + e.what()).c_str());
    }
  });
}

}  // namespace xag::py
