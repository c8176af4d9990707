#include "runtime/ops/weak_scalar.h"

#include <string>

#include "runtime/core/errors.h"

namespace xag::rt {

namespace {

bool fits_int32(int64_t v) {
  return v >= INT32_MIN && v <= INT32_MAX;
}

}  // namespace

DType default_dtype(const WeakScalar& s) {
  switch (s.kind) {
    case WeakScalar::Kind::Bool:
      return DType::Bool;
    case WeakScalar::Kind::Int:
      return fits_int32(s.i) ? DType::Int32 : DType::Int64;
    case WeakScalar::Kind::Float:
      return DType::Float32;
  }
  throw InternalError("default_dtype: bad scalar kind");
}

DType weak_dtype(const WeakScalar& s, DType other) {
  // A number next to a string keeps its own dtype; the op then refuses the pair by name.
  if (other == DType::String) return default_dtype(s);
  switch (s.kind) {
    case WeakScalar::Kind::Bool:
      return other;
    case WeakScalar::Kind::Int:
      if (is_floating(other)) return other;
      if (other == DType::Int64 || !fits_int32(s.i)) return DType::Int64;
      return DType::Int32;  // int32 tensors and bools (SPEC: int -> int32)
    case WeakScalar::Kind::Float:
      if (is_floating(other)) return other;
      // SPEC §3 (as JAX): a Python float takes the default float dtype next to an integer or
      // bool tensor, so `ag.constant(0) + 0.5` is float32 like `ag.constant(0.5)`.
      return DType::Float32;
  }
  throw InternalError("weak_dtype: bad scalar kind");
}

Tensor scalar_tensor(const WeakScalar& s, DType dt) {
  if (s.kind == WeakScalar::Kind::Float) return Tensor::scalar(dt, s.f);
  if (s.kind == WeakScalar::Kind::Bool) return Tensor::scalar(dt, s.i != 0 ? 1.0 : 0.0);
  switch (dt) {
    case DType::Int32:
      if (!fits_int32(s.i)) {
        throw InvalidArgumentError("constant: Python int " + std::to_string(s.i) +
                                   " does not fit in int32");
      }
      return Tensor::scalar<int32_t>(static_cast<int32_t>(s.i));
    case DType::Int64:
      return Tensor::scalar<int64_t>(s.i);
    case DType::Bool:
      return Tensor::scalar<bool>(s.i != 0);
    case DType::Float32:
      return Tensor::scalar<float>(static_cast<float>(s.i));
    case DType::Float64:
      return Tensor::scalar<double>(static_cast<double>(s.i));
    case DType::String:
      break;
  }
  throw InvalidArgumentError("constant: cannot make a string tensor from the Python number " +
                             std::to_string(s.i));
}

}  // namespace xag::rt
