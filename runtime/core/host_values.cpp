// Host-language views of tensors (see host_values.h).
#include "runtime/core/host_values.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include "runtime/core/errors.h"

namespace xag::rt {

bool truth_value(const Tensor& t) {
  if (t.num_elements() != 1) {
    throw InvalidArgumentError("the truth value of a tensor of shape " + t.shape().to_string() +
                               " is ambiguous: use ag.reduce_any or ag.reduce_all");
  }
  return t.item<bool>();
}

int64_t index_value(const Tensor& t) {
  if (is_floating(t.dtype())) {
    throw InvalidArgumentError("only integer scalar tensors can be used as an index, got a " +
                               std::string(dtype_name(t.dtype())) + " tensor");
  }
  return t.item<int64_t>();
}

double finite_value(const Tensor& t) {
  const double d = t.item<double>();
  if (!std::isfinite(d)) throw InvalidArgumentError("cannot convert " + t.to_string() + " to int");
  return d;
}

std::string tensor_repr(const Shape& shape, DType dtype, bool symbolic, const std::string& device,
                        std::string_view numpy_text) {
  const std::string spec = "shape=" + shape.to_string() + ", dtype=" + dtype_name(dtype);
  if (symbolic) return "<ag.Tensor " + spec + " (symbolic)>";
  const std::string where = device.empty() ? std::string() : ", device=" + device;
  return "<ag.Tensor: " + spec + where + ", numpy=" + std::string(numpy_text) + ">";
}

std::optional<DType> dtype_for_array(char kind, size_t itemsize) {
  if (kind == 'b') return DType::Bool;
  if (kind == 'i') return itemsize <= 4 ? DType::Int32 : DType::Int64;
  if (kind == 'u') return itemsize <= 2 ? DType::Int32 : DType::Int64;
  if (kind == 'f') return itemsize <= 4 ? DType::Float32 : DType::Float64;
  return std::nullopt;
}

bool array_layout_matches(char kind, size_t itemsize, char byteorder) {
  const std::optional<DType> dt = dtype_for_array(kind, itemsize);
  return dt && itemsize == dtype_size(*dt) && kind != 'u' && byteorder != '>';
}

std::vector<int64_t> byte_strides(const Tensor& t) {
  std::vector<int64_t> strides(static_cast<size_t>(t.rank()));
  int64_t stride = static_cast<int64_t>(dtype_size(t.dtype()));
  for (int i = t.rank() - 1; i >= 0; --i) {
    strides[static_cast<size_t>(i)] = stride;
    stride *= std::max<int64_t>(t.shape()[i], 1);
  }
  return strides;
}

Tensor literal_tensor(const Tensor& t, char kind, std::optional<DType> want) {
  if (!want && kind == 'f') want = DType::Float32;
  if (!want && kind == 'i') {
    const Tensor wide = t.cast(DType::Int64);
    const int64_t* v = wide.data<int64_t>();
    const bool small = std::all_of(v, v + wide.num_elements(),
                                   [](int64_t x) { return x >= INT32_MIN && x <= INT32_MAX; });
    want = small ? DType::Int32 : DType::Int64;
  }
  return want && *want != t.dtype() ? t.cast(*want) : t;
}

}  // namespace xag::rt
