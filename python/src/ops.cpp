// Bindings of runtime/ops: the fast unary/binary entry points, a generic entry point taking
// attributes as a dict, and ag.Tensor's operators, all calling the tracer's apply() (eager run or
// graph node). Operators live here, in C++, because an eager op on two scalars must cost a few
// hundred ns; this layer only turns Python values into the tracer's inputs.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <optional>
#include <string>
#include <vector>

#include "pybind_common.h"
#include "runtime/core/errors.h"
#include "runtime/graph/subscript.h"

namespace xag::py {

namespace {

const rt::OpAttrs& no_attrs() {
  static const rt::OpAttrs attrs;
  return attrs;
}

// Storage for converted inputs; empty (and free to make) in the common case of ag.Tensors and
// Python numbers.
using Slot = std::optional<PyTensor>;

// One input for rt::apply: an ag.Tensor is borrowed, a Python number stays a weak scalar,
// anything else is converted into `slot` (which must outlive the call).
rt::Input input_of(py::handle h, Slot& slot) {
  if (PyTensor* t = tensor_ptr(h)) return *t;
  if (is_number(h)) return weak_scalar(h);
  return slot.emplace(to_tensor(h));
}

// The inputs of one generic op call.
class Inputs {
 public:
  Inputs(const py::handle* values, size_t n) : n_(n) {
    if (n > kInline) {
      heap_slots_.resize(n);
      heap_inputs_.resize(n);
    }
    Slot* slots = n > kInline ? heap_slots_.data() : slots_;
    rt::Input* inputs = n > kInline ? heap_inputs_.data() : inputs_;
    for (size_t i = 0; i < n; ++i) inputs[i] = input_of(values[i], slots[i]);
  }
  const rt::Input* data() const { return n_ > kInline ? heap_inputs_.data() : inputs_; }
  size_t size() const { return n_; }

 private:
  static constexpr size_t kInline = 4;
  size_t n_;
  Slot slots_[kInline];
  rt::Input inputs_[kInline];
  std::vector<Slot> heap_slots_;
  std::vector<rt::Input> heap_inputs_;
};

py::object binary(rt::OpKind op, py::handle a, py::handle b) {
  Slot slots[2];
  const rt::Input in[2] = {input_of(a, slots[0]), input_of(b, slots[1])};
  return wrap(rt::apply(op, in, 2, no_attrs()));
}

py::object unary(rt::OpKind op, py::handle x) {
  Slot slot;
  const rt::Input in = input_of(x, slot);
  return wrap(rt::apply(op, &in, 1, no_attrs()));
}

// Operators return NotImplemented for operands we do not know, so Python tries the other side
// (and `t == None` is False rather than an error).
bool operand_ok(py::handle h) {
  PyObject* o = h.ptr();
  if (tensor_ptr(h) || PyLong_Check(o) || PyFloat_Check(o) || PyList_Check(o) || PyTuple_Check(o)) {
    return true;
  }
  return PyObject_HasAttrString(o, "__ag_tensor__") || PyObject_HasAttrString(o, "__array__");
}

py::object binary_operator(rt::OpKind op, py::handle a, py::handle b) {
  if (!operand_ok(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
  return binary(op, a, b);
}

int64_t int_attr(py::handle h) {
  return py::int_(py::reinterpret_borrow<py::object>(h));
}

rt::AxisList axis_list(py::handle h) {
  rt::AxisList axes;
  if (PyLong_Check(h.ptr())) {
    axes.push_back(int_attr(h));
  } else {
    for (py::handle a : h) axes.push_back(int_attr(a));
  }
  return axes;
}

// Attributes from a dict whose keys are OpAttrs' field names; None means "not given".
rt::OpAttrs parse_attrs(py::handle d) {
  rt::OpAttrs a;
  if (!d || d.is_none()) return a;
  for (auto item : py::reinterpret_borrow<py::dict>(d)) {
    const std::string key = py::str(item.first);
    py::handle v = item.second;
    if (v.is_none()) continue;
    if (key == "axes") {
      a.axes = axis_list(v);
      a.has_axes = true;
    } else if (key == "keepdims") {
      a.keepdims = v.cast<bool>();
    } else if (key == "perm") {
      a.perm = axis_list(v);
    } else if (key == "axis") {
      a.axis = int_attr(v);
      a.has_axis = true;
    } else if (key == "dtype") {
      a.dtype = dtype_arg(v);
      a.has_dtype = true;
    } else if (key == "shape") {
      a.shape = shape_arg(v);
    } else if (key == "depth") {
      a.depth = int_attr(v);
    } else if (key == "value_a") {
      a.value_a = v.cast<double>();
    } else if (key == "value_b") {
      a.value_b = v.cast<double>();
    } else if (key == "seed") {
      a.seed = static_cast<uint64_t>(int_attr(v));
      a.has_seed = true;
    } else {
      throw rt::InternalError("unknown op attribute '" + key + "'");
    }
  }
  return a;
}

// A slice bound: None, an int, or a tensor (the tracer checks it is an integer scalar).
rt::IndexValue slice_bound(py::handle h) {
  if (h.is_none()) return {};
  if (PyTensor* t = tensor_ptr(h)) return rt::IndexValue::of(*t);
  if (!PyIndex_Check(h.ptr())) {
    throw py::type_error("getitem: slice bounds must be integers or None, got " +
                         std::string(Py_TYPE(h.ptr())->tp_name));
  }
  return rt::IndexValue::of(int_attr(h));
}

// x[key]: the key's components as the tracer's KeyItems; a list or array as the whole key is a
// tensor of indices (a gather).
py::object getitem(py::handle self, py::handle key) {
  std::vector<py::handle> parts;
  if (PyTuple_Check(key.ptr())) {
    for (py::handle h : key) parts.push_back(h);
  } else {
    parts.push_back(key);
  }
  std::vector<rt::KeyItem> items;
  py::handle k = parts.size() == 1 ? parts[0] : py::handle();
  if (k &&
      (PyList_Check(k.ptr()) || (py::isinstance<py::array>(k) &&
                                 py::array(py::reinterpret_borrow<py::object>(k)).ndim() > 0))) {
    const PyTensor indices = to_tensor(k);
    items.push_back(rt::KeyItem::at(rt::IndexValue::of(indices)));
    return wrap(rt::getitem(to_tensor(self), items));
  }
  for (py::handle p : parts) {
    PyObject* o = p.ptr();
    if (p.is_none()) {
      items.push_back(rt::KeyItem::new_axis());
    } else if (o == Py_Ellipsis) {
      items.push_back(rt::KeyItem::ellipsis());
    } else if (PySlice_Check(o)) {
      const auto* sl = reinterpret_cast<PySliceObject*>(o);
      items.push_back(
          rt::KeyItem::slice(slice_bound(sl->start), slice_bound(sl->stop), slice_bound(sl->step)));
    } else if (PyTensor* t = tensor_ptr(p)) {
      items.push_back(rt::KeyItem::at(rt::IndexValue::of(*t)));
    } else if (PyIndex_Check(o) && !PyBool_Check(o)) {
      items.push_back(rt::KeyItem::at(rt::IndexValue::of(int_attr(p))));
    } else {
      throw py::type_error(
          "getitem: only integers, slices, '...', None and integer tensors are valid indices, "
          "got " +
          std::string(Py_TYPE(o)->tp_name));
    }
  }
  if (const PyTensor* x = tensor_ptr(self)) return wrap(rt::getitem(*x, items));
  return wrap(rt::getitem(to_tensor(self), items));
}

// ---- CPython number slots ----
// Operators are also installed straight into the type's number slots: `a + b` then calls
// slot_binary without pybind11's generic dispatcher (overload resolution, argument vectors),
// which is most of the cost of an eager scalar op. The pybind11-defined methods stay for
// introspection and explicit calls (t.__add__(x)).

// Sets the Python error for the C++ exception being handled, with the module's translators.
void set_python_error() {
  try {
    throw;
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (...) {
    if (py::detail::apply_exception_translators(
            py::detail::get_local_internals().registered_exception_translators)) {
      return;
    }
    if (py::detail::apply_exception_translators(
            py::detail::get_internals().registered_exception_translators)) {
      return;
    }
    PyErr_SetString(PyExc_RuntimeError, "unknown C++ exception in an ag.Tensor operator");
  }
}

template <rt::OpKind op>
PyObject* slot_binary(PyObject* a, PyObject* b) {
  try {
    if (!operand_ok(a) || !operand_ok(b)) Py_RETURN_NOTIMPLEMENTED;
    return binary(op, a, b).release().ptr();
  } catch (...) {
    set_python_error();
    return nullptr;
  }
}

PyObject* slot_power(PyObject* a, PyObject* b, PyObject* mod) {
  if (mod != Py_None) {
    PyErr_SetString(PyExc_TypeError, "pow() with a modulus is not supported for ag.Tensor");
    return nullptr;
  }
  return slot_binary<rt::OpKind::Pow>(a, b);
}

template <rt::OpKind op>
PyObject* slot_unary(PyObject* x) {
  try {
    return unary(op, x).release().ptr();
  } catch (...) {
    set_python_error();
    return nullptr;
  }
}

PyObject* slot_richcompare(PyObject* a, PyObject* b, int cmp) {
  using K = rt::OpKind;
  switch (cmp) {
    case Py_LT:
      return slot_binary<K::Less>(a, b);
    case Py_LE:
      return slot_binary<K::LessEqual>(a, b);
    case Py_EQ:
      return slot_binary<K::Equal>(a, b);
    case Py_NE:
      return slot_binary<K::NotEqual>(a, b);
    case Py_GT:
      return slot_binary<K::Greater>(a, b);
    case Py_GE:
      return slot_binary<K::GreaterEqual>(a, b);
  }
  Py_RETURN_NOTIMPLEMENTED;
}

// ag.exp(x), ag.maximum(x, y), ...: plain METH_FASTCALL functions (positional arguments only),
// for the same reason as the number slots: no pybind11 dispatcher on the eager path.
template <rt::OpKind op>
PyObject* fast_unary(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 1) {
    PyErr_Format(PyExc_TypeError, "%s() takes 1 positional argument (%zd given)", rt::op_name(op),
                 nargs);
    return nullptr;
  }
  return slot_unary<op>(args[0]);
}

template <rt::OpKind op>
PyObject* fast_binary(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 2) {
    PyErr_Format(PyExc_TypeError, "%s() takes 2 positional arguments (%zd given)", rt::op_name(op),
                 nargs);
    return nullptr;
  }
  try {
    return binary(op, args[0], args[1]).release().ptr();
  } catch (...) {
    set_python_error();
    return nullptr;
  }
}

void add_fast_function(py::module_& m, const char* name, _PyCFunctionFast fn, int arity) {
  // PyCFunction keeps a pointer to its PyMethodDef: these live as long as the process.
  auto* def = new PyMethodDef{name, reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fn)),
                              METH_FASTCALL,
                              arity == 1 ? "Element-wise op on one tensor (eager or staged)."
                                         : "Element-wise op on two tensors, with NumPy "
                                           "broadcasting and weak Python scalars."};
  py::object f =
      py::reinterpret_steal<py::object>(PyCFunction_NewEx(def, nullptr, m.attr("__name__").ptr()));
  if (!f) throw py::error_already_set();
  m.attr(name) = f;
}

void install_number_slots(py::handle cls) {
  using K = rt::OpKind;
  auto* type = reinterpret_cast<PyTypeObject*>(cls.ptr());
  PyNumberMethods* nb = type->tp_as_number;
  nb->nb_add = &slot_binary<K::Add>;
  nb->nb_subtract = &slot_binary<K::Sub>;
  nb->nb_multiply = &slot_binary<K::Mul>;
  nb->nb_true_divide = &slot_binary<K::TrueDiv>;
  nb->nb_floor_divide = &slot_binary<K::FloorDiv>;
  nb->nb_remainder = &slot_binary<K::Mod>;
  nb->nb_power = &slot_power;
  nb->nb_matrix_multiply = &slot_binary<K::MatMul>;
  nb->nb_and = &slot_binary<K::BitwiseAnd>;
  nb->nb_or = &slot_binary<K::BitwiseOr>;
  nb->nb_xor = &slot_binary<K::BitwiseXor>;
  nb->nb_negative = &slot_unary<K::Neg>;
  nb->nb_absolute = &slot_unary<K::Abs>;
  nb->nb_invert = &slot_unary<K::BitwiseNot>;
  type->tp_richcompare = &slot_richcompare;
  PyType_Modified(type);
}

}  // namespace

void bind_ops(py::module_& m) {
  py::dict kinds;
  py::module_ ops = m.def_submodule("ops", "Raw runtime ops (one function per op kind).");
#define XAG_OP(name, py_name, arity, category)                                 \
  kinds[py_name] = static_cast<int>(rt::OpKind::name);                         \
  if (rt::OpCategory::category == rt::OpCategory::Unary ||                     \
      (rt::OpCategory::category == rt::OpCategory::Logical && (arity) == 1)) { \
    add_fast_function(ops, py_name, &fast_unary<rt::OpKind::name>, 1);         \
  } else if ((rt::OpCategory::category == rt::OpCategory::Binary ||            \
              rt::OpCategory::category == rt::OpCategory::Compare ||           \
              rt::OpCategory::category == rt::OpCategory::Logical ||           \
              rt::OpCategory::category == rt::OpCategory::Linalg) &&           \
             (arity) == 2) {                                                   \
    add_fast_function(ops, py_name, &fast_binary<rt::OpKind::name>, 2);        \
  }
#include "runtime/ops/op_kinds.def"
#undef XAG_OP
  m.attr("op_kinds") = kinds;

  m.def(
      "apply",
      [](int kind, py::sequence inputs, py::object attrs) {
        std::vector<py::handle> values(inputs.begin(), inputs.end());
        Inputs in(values.data(), values.size());
        return wrap(
            rt::apply(static_cast<rt::OpKind>(kind), in.data(), in.size(), parse_attrs(attrs)));
      },
      py::arg("kind"), py::arg("inputs"), py::arg("attrs") = py::none(),
      "Applies op `kind` (see op_kinds) to `inputs` with attributes given as a dict of OpAttrs "
      "field names.");
  m.def(
      "infer",
      [](int kind, py::sequence specs, py::object attrs) {
        std::vector<rt::TensorSpec> in;
        for (py::handle s : specs) {
          py::tuple t = py::reinterpret_borrow<py::tuple>(s);
          in.push_back(rt::TensorSpec{dtype_arg(t[0]), shape_arg(t[1])});
        }
        rt::TensorSpec out =
            rt::infer(static_cast<rt::OpKind>(kind), in.data(), in.size(), parse_attrs(attrs));
        return py::make_tuple(dtype_object(out.dtype), shape_tuple(out.shape));
      },
      py::arg("kind"), py::arg("specs"), py::arg("attrs") = py::none(),
      "Static (dtype, shape) of an op's result for inputs given as (dtype, shape) pairs.");

  // ---- ag.Tensor operators ----
  py::class_<PyTensor> cls = py::reinterpret_borrow<py::class_<PyTensor>>(m.attr("Tensor"));
  using K = rt::OpKind;
  auto def_binary = [&](const char* name, const char* rname, K op) {
    cls.def(
        name, [op](py::handle a, py::handle b) { return binary_operator(op, a, b); },
        py::is_operator());
    if (rname) {
      cls.def(
          rname, [op](py::handle a, py::handle b) { return binary_operator(op, b, a); },
          py::is_operator());
    }
  };
  def_binary("__add__", "__radd__", K::Add);
  def_binary("__sub__", "__rsub__", K::Sub);
  def_binary("__mul__", "__rmul__", K::Mul);
  def_binary("__truediv__", "__rtruediv__", K::TrueDiv);
  def_binary("__floordiv__", "__rfloordiv__", K::FloorDiv);
  def_binary("__mod__", "__rmod__", K::Mod);
  def_binary("__pow__", "__rpow__", K::Pow);
  def_binary("__matmul__", "__rmatmul__", K::MatMul);
  def_binary("__and__", "__rand__", K::BitwiseAnd);
  def_binary("__or__", "__ror__", K::BitwiseOr);
  def_binary("__xor__", "__rxor__", K::BitwiseXor);
  def_binary("__eq__", nullptr, K::Equal);
  def_binary("__ne__", nullptr, K::NotEqual);
  def_binary("__lt__", nullptr, K::Less);
  def_binary("__le__", nullptr, K::LessEqual);
  def_binary("__gt__", nullptr, K::Greater);
  def_binary("__ge__", nullptr, K::GreaterEqual);
  cls.def("__neg__", [](py::handle x) { return unary(K::Neg, x); });
  cls.def("__pos__", [](py::handle x) { return py::reinterpret_borrow<py::object>(x); });
  cls.def("__abs__", [](py::handle x) { return unary(K::Abs, x); });
  cls.def("__invert__", [](py::handle x) { return unary(K::BitwiseNot, x); });
  cls.def("__getitem__", &getitem);
  install_number_slots(cls);
}

}  // namespace xag::py
