// What a host language sees of a tensor: the checks and texts behind Python's bool(), int(),
// operator.index() and repr(), and the dtype and layout decisions of NumPy interop. The bindings
// only move values across; every rule about them lives here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/core/dtype.h"
#include "runtime/core/shape.h"
#include "runtime/core/tensor.h"

namespace xag::rt {

// bool(t): the single element; InvalidArgumentError naming the shape when there are several.
bool truth_value(const Tensor& t);
// operator.index(t): an integer scalar's value; InvalidArgumentError for a float tensor.
int64_t index_value(const Tensor& t);
// int(t) of a float tensor: the value, or InvalidArgumentError when it is not finite.
double finite_value(const Tensor& t);

// repr(t): "<ag.Tensor: shape=(2,), dtype=float32, numpy=[1. 2.]>" for an eager tensor (with
// `, device=...` when `device` is not empty, i.e. off the host; `numpy_text` is NumPy's rendering
// of the data) and
// "<ag.Tensor shape=(2,), dtype=float32 (symbolic)>" for a symbolic one (numpy_text unused).
std::string tensor_repr(const Shape& shape, DType dtype, bool symbolic, const std::string& device,
                        std::string_view numpy_text);

// Our dtype for a NumPy array's dtype (kind character and item size); other NumPy types map to
// the nearest wider one of ours; nullopt for kinds we cannot hold (objects, strings, complex).
std::optional<DType> dtype_for_array(char kind, size_t itemsize);
// Whether an array of that dtype and byte order can be used as a tensor's buffer without a copy.
bool array_layout_matches(char kind, size_t itemsize, char byteorder);
// C-contiguous byte strides of a tensor (NumPy's and the buffer protocol's).
std::vector<int64_t> byte_strides(const Tensor& t);
// The tensor of a Python list literal: SPEC dtypes for literals (int -> int32 unless a value
// does not fit, float -> float32) unless `want` is given; `t` is NumPy's parse of the list.
Tensor literal_tensor(const Tensor& t, char kind, std::optional<DType> want);

}  // namespace xag::rt
