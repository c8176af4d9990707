// Weakly typed scalars (SPEC §3, as in JAX): a Python number used next to tensors takes its dtype
// from them when it is of the same or a lower kind (bool < int < float), so `f32 + 1` stays
// float32 and `0 + int64` is int64. Alone it takes its default dtype (bool, int32 or int64 by
// value, float32). The tracer applies these rules to every op; the bindings only unpack numbers.
#pragma once

#include <cstdint>

#include "runtime/core/dtype.h"
#include "runtime/core/tensor.h"

namespace xag::rt {

// A Python bool, int (within int64) or float, before it has a dtype.
struct WeakScalar {
  enum class Kind : uint8_t { Bool, Int, Float };
  Kind kind = Kind::Int;
  int64_t i = 0;   // Bool and Int
  double f = 0.0;  // Float

  static WeakScalar boolean(bool v) { return {Kind::Bool, v ? 1 : 0, 0.0}; }
  static WeakScalar integer(int64_t v) { return {Kind::Int, v, 0.0}; }
  static WeakScalar real(double v) { return {Kind::Float, 0, v}; }
};

// The dtype `s` takes alone: bool, int32 (int64 when the value does not fit), float32.
DType default_dtype(const WeakScalar& s);

// The dtype `s` takes next to tensors whose promoted dtype is `other`: `other` for a literal of
// the same or a lower kind; for a higher kind, its default dtype (an int next to a bool tensor
// is int32, a float next to an integer tensor float32).
DType weak_dtype(const WeakScalar& s, DType other);

// `s` as a 0-d tensor of `dt`; throws InvalidArgumentError when an int does not fit in int32.
Tensor scalar_tensor(const WeakScalar& s, DType dt);

}  // namespace xag::rt
