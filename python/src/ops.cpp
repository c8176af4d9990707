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
#include "runtime/ops/attr_set.h"

namespace xag::py {

namespace {

const rt::OpAttrs kNoAttrs;

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

py::object binary(rt::OpKind op, py::handle a, py::handle b) {
  Slot slots[2];
  const rt::Input in[2] = {input_of(a, slots[0]), input_of(b, slots[1])};
  return wrap(rt::apply(op, in, 2, kNoAttrs));
}

py::object unary(rt::OpKind op, py::handle x) {
  Slot slot;
  const rt::Input in = input_of(x, slot);
  return wrap(rt::apply(op, &in, 1, kNoAttrs));
}

// Operators return NotImplemented for operands we do not know, so Python tries the other side
// (and `t == None` is False rather than an error).
bool operand_ok(py::handle h) {
  PyObject* o = h.ptr();
  if (tensor_ptr(h) || PyLong_Check(o) || PyFloat_Check(o) || PyList_Check(o) || PyTuple_Check(o) ||
      is_text(h)) {
    return true;
  }
  return PyObject_HasAttrString(o, "__ag_tensor__") || PyObject_HasAttrString(o, "__array__");
}

int64_t int_attr(py::handle h) {
  return py::int_(py::reinterpret_borrow<py::object>(h));
}

// One value of the attribute dict (rt::set_attr checks it against the field): lists and shapes
// through shape_arg (None is an unknown dim), dtypes as DType objects, names or codes, strings
// as text.
rt::AttrValue attr_value(py::handle v) {
  PyObject* o = v.ptr();
  if (PyBool_Check(o)) return o == Py_True;
  if (PyFloat_Check(o)) return PyFloat_AS_DOUBLE(o);
  if (PyIndex_Check(o)) return int_attr(v);
  if (PyUnicode_Check(o)) return v.cast<std::string>();  // text; dtype names too (set_attr)
  if (PyList_Check(o) || PyTuple_Check(o)) {
    const rt::Shape s = shape_arg(v);
    return std::vector<int64_t>(s.begin(), s.end());
  }
  return dtype_arg(v);
}

// Attributes from a dict whose keys are OpAttrs' field names; None means "not given".
rt::OpAttrs parse_attrs(py::handle d) {
  rt::OpAttrs a;
  if (!d || d.is_none()) return a;
  for (auto item : py::reinterpret_borrow<py::dict>(d)) {
    if (!item.second.is_none())
      rt::set_attr(a, item.first.cast<std::string>(), attr_value(item.second));
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
  PyTensor converted;  // when self is a tensor-like (ag.Variable), not an ag.Tensor
  const PyTensor* x = tensor_ptr(self);
  if (!x) x = &(converted = to_tensor(self));
  PyObject* k = key.ptr();
  // lst[i] on a tensor list (a Python list that a staged loop appends to): element i, -1 last.
  if (x->is_list() && (tensor_ptr(key) || (PyIndex_Check(k) && !PyBool_Check(k))))
    return wrap(rt::list_get(*x, to_tensor(key)));
  if (PyList_Check(k) || (py::isinstance<py::array>(key) && py::detail::array_proxy(k)->nd > 0)) {
    const PyTensor indices = to_tensor(key);
    return wrap(rt::getitem(*x, {rt::KeyItem::at(rt::IndexValue::of(indices))}));
  }
  const bool tuple = PyTuple_Check(k);
  const Py_ssize_t n = tuple ? PyTuple_GET_SIZE(k) : 1;
  std::vector<rt::KeyItem> items;
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* o = tuple ? PyTuple_GET_ITEM(k, i) : k;
    if (o == Py_None) {
      items.push_back(rt::KeyItem::new_axis());
    } else if (o == Py_Ellipsis) {
      items.push_back(rt::KeyItem::ellipsis());
    } else if (PySlice_Check(o)) {
      const auto* sl = reinterpret_cast<PySliceObject*>(o);
      items.push_back(
          rt::KeyItem::slice(slice_bound(sl->start), slice_bound(sl->stop), slice_bound(sl->step)));
    } else if (PyTensor* t = tensor_ptr(o)) {
      items.push_back(rt::KeyItem::at(rt::IndexValue::of(*t)));
    } else if (PyIndex_Check(o) && !PyBool_Check(o)) {
      items.push_back(rt::KeyItem::at(rt::IndexValue::of(int_attr(o))));
    } else {
      throw py::type_error(
          "getitem: only integers, slices, '...', None and integer tensors are valid indices, "
          "got " +
          std::string(Py_TYPE(o)->tp_name));
    }
  }
  return wrap(rt::getitem(*x, items));
}

// ops.py's generic entry point: op `kind` on a sequence of inputs (on the stack up to four),
// attributes as a dict of OpAttrs fields.
py::object apply(int kind, py::handle inputs, py::handle attrs) {
  const auto seq = py::reinterpret_steal<py::object>(
      PySequence_Fast(inputs.ptr(), "apply: inputs must be a sequence"));
  if (!seq) throw py::error_already_set();
  PyObject* const* values = PySequence_Fast_ITEMS(seq.ptr());
  const auto n = static_cast<size_t>(PySequence_Fast_GET_SIZE(seq.ptr()));
  Slot stack_slots[4];
  rt::Input stack_inputs[4];
  std::vector<Slot> heap_slots(n > 4 ? n : 0);
  std::vector<rt::Input> heap_inputs(n > 4 ? n : 0);
  Slot* slots = n > 4 ? heap_slots.data() : stack_slots;
  rt::Input* in = n > 4 ? heap_inputs.data() : stack_inputs;
  for (size_t i = 0; i < n; ++i) in[i] = input_of(values[i], slots[i]);
  return wrap(rt::apply(static_cast<rt::OpKind>(kind), in, n, parse_attrs(attrs)));
}

// ---- CPython number slots ----
// Operators are C slots of the type, set before PyType_Ready (install_operator_slots): `a + b`
// calls slot_binary without pybind11's generic dispatcher (overload resolution, argument vectors),
// which is most of the cost of an eager scalar op, and Python derives __add__, __radd__, __eq__,
// ... from the slots for explicit calls (t.__add__(x)).

// Runs `f` (returning a new reference) for a raw CPython entry point: C++ exceptions become the
// Python error and nullptr.
template <class F>
PyObject* guarded(F&& f) {
  try {
    return f().release().ptr();
  } catch (...) {
    set_python_error(std::current_exception());
    return nullptr;
  }
}

template <rt::OpKind op>
PyObject* slot_binary(PyObject* a, PyObject* b) {
  if (!operand_ok(a) || !operand_ok(b)) Py_RETURN_NOTIMPLEMENTED;
  return guarded([&] { return binary(op, a, b); });
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
  return guarded([&] { return unary(op, x); });
}

PyObject* slot_positive(PyObject* x) {
  return Py_NewRef(x);
}

PyObject* slot_richcompare(PyObject* a, PyObject* b, int cmp) {
  // Indexed by Py_LT, Py_LE, Py_EQ, Py_NE, Py_GT, Py_GE (0 to 5).
  using K = rt::OpKind;
  static constexpr binaryfunc kCompare[] = {
      &slot_binary<K::Less>,     &slot_binary<K::LessEqual>, &slot_binary<K::Equal>,
      &slot_binary<K::NotEqual>, &slot_binary<K::Greater>,   &slot_binary<K::GreaterEqual>};
  if (cmp < Py_LT || cmp > Py_GE) Py_RETURN_NOTIMPLEMENTED;
  // A number tensor and a Python str are unrelated objects: Python's answer (== False, != True),
  // not the error string-with-number ops give.
  const PyTensor* ta = tensor_ptr(a);
  const PyTensor* tb = tensor_ptr(b);
  if ((ta && is_text(b) && ta->dtype() != rt::DType::String) ||
      (tb && is_text(a) && tb->dtype() != rt::DType::String)) {
    Py_RETURN_NOTIMPLEMENTED;
  }
  return kCompare[cmp](a, b);
}

// Identity hash: tensors compare element-wise, so equal values need not hash alike.
Py_hash_t slot_hash(PyObject* x) {
  return _Py_HashPointer(x);
}

// ag.exp(x), ag.maximum(x, y), ...: plain METH_FASTCALL functions (positional arguments only),
// for the same reason as the number slots: no pybind11 dispatcher on the eager path.
template <rt::OpKind op, int arity>
PyObject* fast_op(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != arity) {
    PyErr_Format(PyExc_TypeError, "%s() takes %d positional argument%s (%zd given)",
                 rt::op_name(op), arity, arity == 1 ? "" : "s", nargs);
    return nullptr;
  }
  if constexpr (arity == 1) return slot_unary<op>(args[0]);
  return guarded([&] { return binary(op, args[0], args[1]); });
}

// The fast entry point's arity for an op_kinds.def row (0: the op goes through `apply` only).
constexpr int fast_arity(rt::OpCategory c, int arity) {
  using C = rt::OpCategory;
  if (c == C::Unary || (c == C::Logical && arity == 1)) return 1;
  const bool binary = c == C::Binary || c == C::Compare || c == C::Logical || c == C::Linalg;
  return binary && arity == 2 ? 2 : 0;
}

constexpr const char* kBinaryDoc =
    "Element-wise op (eager or staged), with NumPy broadcasting and weak Python scalars.";

template <rt::OpKind op, int arity>
void add_fast_function(py::module_& m, const char* name) {
  if constexpr (arity != 0) {
    // PyCFunction keeps a pointer to its PyMethodDef: these live as long as the process.
    auto* def = new PyMethodDef{
        name, reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&fast_op<op, arity>)),
        METH_FASTCALL, arity == 1 ? "Element-wise op (eager or staged)." : kBinaryDoc};
    py::object f = py::reinterpret_steal<py::object>(
        PyCFunction_NewEx(def, nullptr, m.attr("__name__").ptr()));
    if (!f) throw py::error_already_set();
    m.attr(name) = f;
  }
}

}  // namespace

void install_operator_slots(PyHeapTypeObject* heap_type) {
  using K = rt::OpKind;
  PyNumberMethods& nb = heap_type->as_number;
  nb.nb_add = &slot_binary<K::Add>;
  nb.nb_subtract = &slot_binary<K::Sub>;
  nb.nb_multiply = &slot_binary<K::Mul>;
  nb.nb_true_divide = &slot_binary<K::TrueDiv>;
  nb.nb_floor_divide = &slot_binary<K::FloorDiv>;
  nb.nb_remainder = &slot_binary<K::Mod>;
  nb.nb_power = &slot_power;
  nb.nb_matrix_multiply = &slot_binary<K::MatMul>;
  nb.nb_and = &slot_binary<K::BitwiseAnd>;
  nb.nb_or = &slot_binary<K::BitwiseOr>;
  nb.nb_xor = &slot_binary<K::BitwiseXor>;
  nb.nb_negative = &slot_unary<K::Neg>;
  nb.nb_positive = &slot_positive;
  nb.nb_absolute = &slot_unary<K::Abs>;
  nb.nb_invert = &slot_unary<K::BitwiseNot>;
  heap_type->ht_type.tp_richcompare = &slot_richcompare;
  heap_type->ht_type.tp_hash = &slot_hash;
}

void bind_ops(py::module_& m) {
  py::dict kinds;
  py::module_ ops = m.def_submodule("ops");  // ag.exp, ag.add, ...: the ops of fast_arity
#define XAG_OP(name, py_name, arity, category)         \
  kinds[py_name] = static_cast<int>(rt::OpKind::name); \
  add_fast_function<rt::OpKind::name, fast_arity(rt::OpCategory::category, arity)>(ops, py_name);
#include "runtime/ops/op_kinds.def"
#undef XAG_OP
  m.attr("op_kinds") = kinds;

  m.def("apply", &apply, py::arg("kind"), py::arg("inputs"), py::arg("attrs") = py::none());
  py::reinterpret_borrow<py::class_<PyTensor>>(m.attr("Tensor")).def("__getitem__", &getitem);
}

}  // namespace xag::py
