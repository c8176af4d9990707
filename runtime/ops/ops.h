// The two entry points of the runtime's op library: static inference (graph building) and eager
// execution on the CPU kernels (eager mode and the executor).
//
// Semantics are NumPy 1.24's unless noted; where NumPy has no answer for our dtypes, or where it
// warns and carries on, we chose:
//   - integer floordiv/mod by zero raise InvalidArgumentError (NumPy: 0 and a RuntimeWarning);
//     int ** negative int raises (as NumPy). Float division by zero is IEEE (inf/nan).
//   - 0-d tensors promote like arrays (NEP 50 / NumPy 2), not by value: int32[] * f32 0-d is f64.
//   - where NumPy returns float16 (exp/sqrt/... of bool) we return float32; where it returns int8
//     (square/floordiv/mod/pow of bools) we return int32.
//   - reduce_sum/prod of bool/int32 give int64, reduce_mean of ints gives float64 (NumPy).
//   - size and shape give int32 (TensorFlow); range promotes its three arguments (NumPy's arange
//     would give int64 for int32 arguments).
//   - float -> int casts truncate; NaN and out-of-range give INT_MIN (what NumPy does on x86).
//   - gather accepts negative indices and raises for out-of-range ones; one_hot gives an all-off
//     row for out-of-range indices (TensorFlow).
//   - random ops are counter-based: the same seed gives the same values on every call and thread
//     count; without a seed each call draws fresh values.
// NumPy interop: Tensor::from_external wraps a C-contiguous array without copying (the binding
// copies non-contiguous ones first); raw_data()/shape()/dtype()/owner() expose results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/core/dtype.h"
#include "runtime/core/shape.h"
#include "runtime/core/tensor.h"
#include "runtime/ops/attrs.h"

namespace xag::rt {

enum class OpKind : uint16_t {
#define XAG_OP_ROW(name, py_name, arity, category, dtype_rule, shape_rule, gradient) name,
#include "runtime/ops/op_kinds.def"
#undef XAG_OP_ROW
};

inline constexpr int kNumOpKinds = 0
#define XAG_OP_ROW(name, py_name, arity, category, dtype_rule, shape_rule, gradient) +1
#include "runtime/ops/op_kinds.def"
#undef XAG_OP_ROW
    ;

enum class OpCategory : uint8_t {
  Unary,
  Binary,
  Compare,
  Logical,
  Select,
  Reduce,
  Linalg,
  Shape,
  Construct,
  Random,
  Nn,
  Misc
};

// How an op's result dtype follows from its inputs (the DTypeRule column of op_kinds.def).
// "Compute dtype" is the dtype an element-wise kernel converts its operands to and runs in.
enum class DTypeRule : uint8_t {
  Same,              // the first input's dtype (abs, relu, max/min reductions, shape ops)
  NoBool,            // as Same; bool rejected (negative, sign)
  BoolAsInt,         // as Same; bool computes in int32 (square; NumPy: int8, which we lack)
  BoolAsFloat,       // as Same; bool computes in float32 (round)
  Float,             // float_result(): floats keep theirs, ints -> float64, bool -> float32
  Promote,           // promote() over every input
  PromoteNoBool,     // as Promote; bool rejected (subtract)
  PromoteFloat,      // as Promote; ints and bools compute in float64 (truediv)
  PromoteBoolAsInt,  // as Promote; bool computes in int32 (floordiv, mod, pow)
  Compare,           // computes in the promoted dtype, returns bool
  Logical,           // computes on truthiness (bool), returns bool
  Truth,             // computes in the input's dtype, returns bool (logical_not)
  Bitwise,           // as Promote; floats rejected (& | ^ ~)
  PromoteLast2,      // promote() of inputs 1 and 2 (where's x and y)
  Accumulate,        // bool/int32 -> int64, others kept (sum, prod: NumPy's platform int)
  Mean,              // floats kept, others -> float64
  ToBool,            // bool (any, all)
  Index,             // int64 (argmax, argmin)
  Int32,             // int32 (size, shape; TensorFlow)
  Last,              // the last input's dtype (fill's value)
  Attr,              // attrs.dtype (cast, constructors; default float32)
  AttrOrFirst,       // attrs.dtype if given, else the first input's (zeros_like, ones_like)
  Str,               // string (string_format)
};

// How an op's result shape follows from its inputs (the ShapeRule column of op_kinds.def).
enum class ShapeRule : uint8_t {
  Same,       // the first input's shape
  Broadcast,  // NumPy broadcasting of every input
  Reduce,     // attrs.axes removed (or kept as 1 with keepdims)
  ArgReduce,  // attrs.axis removed (none: a scalar)
  MatMul,     // NumPy matmul
  Custom,     // a case of its own in infer.cpp
};

// Python-facing name from op_kinds.def, e.g. "reduce_sum".
const char* op_name(OpKind op) noexcept;
// Number of tensor inputs; -1 when variable (see op_kinds.def).
int op_arity(OpKind op) noexcept;
OpCategory op_category(OpKind op) noexcept;
DTypeRule op_dtype_rule(OpKind op) noexcept;
ShapeRule op_shape_rule(OpKind op) noexcept;
// The Gradient column of op_kinds.def: "Rule" or "NoGradient".
const char* op_gradient(OpKind op) noexcept;
// Unary, Binary, Compare and Logical rows: the ops with a functor in scalar_math.h.
constexpr bool is_elementwise(OpCategory c) noexcept {
  return c == OpCategory::Unary || c == OpCategory::Binary || c == OpCategory::Compare ||
         c == OpCategory::Logical;
}
// Inverse of op_name.
std::optional<OpKind> op_from_name(std::string_view name) noexcept;

// The axis cumsum and argsort run along, before normalizing: attrs.axis, or without one
// TensorFlow's defaults (cumsum 0, argsort -1).
inline int64_t scan_axis(OpKind op, const OpAttrs& a) noexcept {
  return a.has_axis ? a.axis : op == OpKind::Cumsum ? 0 : -1;
}

// Static type of a value in a graph: dims may be kUnknownDim.
struct TensorSpec {
  DType dtype = DType::Float32;
  Shape shape;

  friend bool operator==(const TensorSpec& a, const TensorSpec& b) {
    return a.dtype == b.dtype && a.shape == b.shape;
  }
  friend bool operator!=(const TensorSpec& a, const TensorSpec& b) { return !(a == b); }
  std::string to_string() const;  // "float32(2, 3)"
};

// Output dtype and shape of `op` applied to inputs of the given specs. Works with unknown dims
// (the result then has unknown dims where they depend on them, or on input values such as
// range's limit). Throws InvalidArgumentError naming the op and the offending shapes/dtypes.
TensorSpec infer(OpKind op, const TensorSpec* inputs, size_t n, const OpAttrs& attrs);

// Runs `op` eagerly on the CPU and returns a fresh result. Throws InvalidArgumentError on bad
// input (and CancelledError when interrupted inside a long kernel).
Tensor run(OpKind op, const Tensor* inputs, size_t n, const OpAttrs& attrs);

// As run(), but writes the result into `out`, reusing its storage when `out` already has the
// result's dtype and shape, is exclusively owned and does not alias an input; otherwise `out` is
// replaced by a fresh tensor. Lets an executor run a loop body without per-iteration allocation.
void run_into(OpKind op, const Tensor* inputs, size_t n, const OpAttrs& attrs, Tensor& out);

// Convenience overloads for C++ callers and tests.
inline Tensor run(OpKind op, std::initializer_list<Tensor> inputs, const OpAttrs& attrs = {}) {
  return run(op, inputs.begin(), inputs.size(), attrs);
}
inline TensorSpec infer(OpKind op, std::initializer_list<TensorSpec> inputs,
                        const OpAttrs& attrs = {}) {
  return infer(op, inputs.begin(), inputs.size(), attrs);
}

}  // namespace xag::rt
