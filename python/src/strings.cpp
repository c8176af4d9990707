// String tensors across the Python boundary (TensorFlow's conventions): a Python str (encoded as
// UTF-8) or bytes is a string scalar; NumPy arrays of kind U, S or O (holding str or bytes) are
// string tensors; .numpy() gives Python bytes for a scalar and an object array of bytes otherwise.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "pybind_common.h"
#include "runtime/core/strings.h"

namespace xag::py {

namespace {

// The UTF-8 bytes of a str or bytes object; InvalidArgumentError for anything else.
std::string text_of(py::handle h) {
  if (PyBytes_Check(h.ptr())) return py::reinterpret_borrow<py::bytes>(h).cast<std::string>();
  if (PyUnicode_Check(h.ptr())) return h.cast<std::string>();  // pybind11 encodes UTF-8
  throw rt::InvalidArgumentError("constant: a string tensor holds str or bytes values, got " +
                                 std::string(Py_TYPE(h.ptr())->tp_name));
}

}  // namespace

bool is_text(py::handle h) {
  return PyUnicode_Check(h.ptr()) || PyBytes_Check(h.ptr());
}

bool is_text_array(py::handle array) {
  const char k = py::reinterpret_borrow<py::array>(array).dtype().kind();
  return k == 'U' || k == 'S' || k == 'O';
}

rt::Tensor string_scalar_of(py::handle h) {
  return rt::string_scalar(text_of(h));
}

rt::Tensor string_tensor_of(py::handle array) {
  const auto arr = py::reinterpret_borrow<py::array>(array);
  rt::Shape shape;
  for (py::ssize_t i = 0; i < arr.ndim(); ++i) shape.push_back(arr.shape(i));
  std::vector<std::string> values;
  values.reserve(static_cast<size_t>(arr.size()));
  // .flat walks C order whatever the layout; .item() of U/S arrays gives str/bytes.
  for (py::handle v : arr.attr("flat")) values.push_back(text_of(v));
  return rt::string_tensor(values, shape);
}

py::object string_numpy(const rt::Tensor& t) {
  const rt::Tensor h = t.host();
  const rt::StrRef* p = h.data<rt::StrRef>();
  if (h.rank() == 0) return py::bytes(std::string(rt::str_view(*p)));
  std::vector<py::ssize_t> shape(h.shape().begin(), h.shape().end());
  py::array out(py::dtype("O"), shape);
  auto* items = static_cast<PyObject**>(out.mutable_data());
  for (int64_t i = 0; i < h.num_elements(); ++i) {
    const std::string_view s = rt::str_view(p[i]);
    PyObject* b = PyBytes_FromStringAndSize(s.data(), static_cast<Py_ssize_t>(s.size()));
    if (!b) throw py::error_already_set();
    Py_XDECREF(items[i]);  // NumPy filled object arrays with None
    items[i] = b;
  }
  return std::move(out);
}

}  // namespace xag::py
