// Element types of tensors and NumPy's type-promotion rules for them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "runtime/core/errors.h"

namespace xag::rt {

// The dtypes of SPEC §3. The numeric ones are in the promotion lattice's order
// (bool < int < float); String (UTF-8 text, runtime/core/strings.h) promotes with nothing.
enum class DType : uint8_t { Bool, Int32, Int64, Float32, Float64, String };

inline constexpr int kNumDTypes = 6;

// Python-facing name: "bool", "int32", "int64", "float32", "float64", "string".
const char* dtype_name(DType dt) noexcept;

// Parses a name as dtype_name() prints it (also "float"/"int" aliases are NOT accepted: callers
// map Python's builtin types themselves).
std::optional<DType> dtype_from_name(std::string_view name) noexcept;

// Bytes per element.
constexpr size_t dtype_size(DType dt) noexcept {
  switch (dt) {
    case DType::Bool:
      return 1;
    case DType::Int32:
      return 4;
    case DType::Int64:
      return 8;
    case DType::Float32:
      return 4;
    case DType::Float64:
      return 8;
    case DType::String:
      return 8;  // one StrRef (an interned string's address)
  }
  return 0;
}

constexpr bool is_floating(DType dt) noexcept {
  return dt == DType::Float32 || dt == DType::Float64;
}
constexpr bool is_integer(DType dt) noexcept {
  return dt == DType::Int32 || dt == DType::Int64;
}

// An element of a string tensor: the address of an interned, immutable std::string (null is
// the empty string). Trivially copyable, so every data-movement kernel (copy, reshape, concat,
// gather, getitem, where) moves strings as it moves numbers; equal strings have equal refs.
struct StrRef {
  const void* rep = nullptr;
  friend bool operator==(StrRef a, StrRef b) { return a.rep == b.rep; }
  friend bool operator!=(StrRef a, StrRef b) { return a.rep != b.rep; }
};

// NumPy 1.24 array-with-array promotion (np.result_type of two arrays), restricted to our dtypes:
//   bool + X      -> X
//   int32 + int64 -> int64
//   int32 + float32 -> float64, int64 + float32 -> float64   (float32 cannot hold every int32)
//   float32 + float64 -> float64
// 0-d tensors promote like any array (NumPy >= 2, NEP 50), not by value as NumPy 1.24 does for
// 0-d arrays: int32[] + float32 0-d -> float64. Python scalars ("weak" in NumPy) are the Python
// layer's business: it turns a Python int into an int32 tensor (SPEC §3), so `f32 + 1` is float64
// unless that layer picks the tensor operand's dtype for the literal.
constexpr DType promote(DType a, DType b) noexcept {
  if (a == b) return a;
  if (a == DType::Bool) return b;
  if (b == DType::Bool) return a;
  const bool fa = is_floating(a), fb = is_floating(b);
  if (!fa && !fb) return DType::Int64;  // int32 with int64
  if (fa && fb) return DType::Float64;  // float32 with float64
  // One integer, one float: float64 unless the float is float64 anyway -> always float64.
  return DType::Float64;
}

// The dtype NumPy gives unary float functions (exp, log, sqrt, sin, tanh, ...) of `dt`:
// floats keep their type, int32/int64 -> float64. NumPy gives float16 for bool; we have no
// float16 and use float32.
constexpr DType float_result(DType dt) noexcept {
  if (is_floating(dt)) return dt;
  return dt == DType::Bool ? DType::Float32 : DType::Float64;
}

// C++ element type of each dtype.
template <DType D>
struct DTypeToCpp;
template <>
struct DTypeToCpp<DType::Bool> {
  using type = bool;
};
template <>
struct DTypeToCpp<DType::Int32> {
  using type = int32_t;
};
template <>
struct DTypeToCpp<DType::Int64> {
  using type = int64_t;
};
template <>
struct DTypeToCpp<DType::Float32> {
  using type = float;
};
template <>
struct DTypeToCpp<DType::Float64> {
  using type = double;
};
template <DType D>
using cpp_type_t = typename DTypeToCpp<D>::type;

// dtype_of<T> maps a C++ element type back to its DType (compile error for other types).
template <class T>
struct CppToDType;
template <>
struct CppToDType<bool> {
  static constexpr DType value = DType::Bool;
};
template <>
struct CppToDType<int32_t> {
  static constexpr DType value = DType::Int32;
};
template <>
struct CppToDType<int64_t> {
  static constexpr DType value = DType::Int64;
};
template <>
struct CppToDType<float> {
  static constexpr DType value = DType::Float32;
};
template <>
struct CppToDType<double> {
  static constexpr DType value = DType::Float64;
};
template <class T>
inline constexpr DType dtype_of = CppToDType<T>::value;

template <>
struct DTypeToCpp<DType::String> {
  using type = StrRef;
};
template <>
struct CppToDType<StrRef> {
  static constexpr DType value = DType::String;
};

// The error of a numeric kernel reached with a string tensor (ops reject those combinations in
// inference first; this is the backstop).
[[noreturn]] void string_unsupported();

// Calls fn(T{}) with T the C++ type of `dt` and returns its result. Write kernels once as a generic
// lambda: dispatch_dtype(dt, [&](auto tag) { using T = decltype(tag); ... }). Numeric dtypes
// only: a string `dt` throws InvalidArgumentError (see dispatch_storage).
template <class Fn>
decltype(auto) dispatch_dtype(DType dt, Fn&& fn) {
  switch (dt) {
    case DType::Bool:
      return fn(bool{});
    case DType::Int32:
      return fn(int32_t{});
    case DType::Int64:
      return fn(int64_t{});
    case DType::Float32:
      return fn(float{});
    case DType::Float64:
      return fn(double{});
    case DType::String:
      string_unsupported();
  }
  throw InternalError("dispatch_dtype: bad dtype value");
}

// As dispatch_dtype, with StrRef for strings: for kernels that only move or compare elements.
template <class Fn>
decltype(auto) dispatch_storage(DType dt, Fn&& fn) {
  if (dt == DType::String) return fn(StrRef{});
  return dispatch_dtype(dt, std::forward<Fn>(fn));
}

}  // namespace xag::rt
