// String tensors in the op library: which ops accept them (the dtype rules) and the CPU kernels
// of the ops that look inside strings. Ops that only move elements (reshape, transpose, concat,
// stack, getitem, gather, where, fill, identity, size, shape) run their ordinary kernels.
#pragma once

#include <cstddef>
#include <string>

#include "runtime/backend/backend.h"
#include "runtime/core/tensor.h"
#include "runtime/ops/ops.h"

namespace xag::rt {

// The string ops of op_kinds.def (string_length ... string_format).
constexpr bool is_string_op(OpKind op) noexcept {
  return op >= OpKind::StringLength && op <= OpKind::StringFormat;
}

// True when `op` is a string op or any input is a string tensor: result_dtype then asks
// string_result_dtype instead of the numeric rules.
inline bool involves_strings(OpKind op, const TensorSpec* in, size_t n) noexcept {
  if (is_string_op(op)) return true;
  for (size_t i = 0; i < n; ++i)
    if (in[i].dtype == DType::String) return true;
  return false;
}

// As involves_strings, for eager tensors: placement keeps such ops on the CPU (string tensors
// live in host memory; no backend but the CPU has string kernels).
inline bool touches_strings(OpKind op, const Tensor* in, size_t n) noexcept {
  if (is_string_op(op)) return true;
  for (size_t i = 0; i < n; ++i)
    if (in[i].defined() && in[i].dtype() == DType::String) return true;
  return false;
}

// The result dtype of `op` on inputs of which some are strings (or of a string op). Throws
// InvalidArgumentError naming the op and the operands for combinations TensorFlow rejects too:
// "add: cannot add a string tensor and an int32 tensor", "multiply: not supported for string
// tensors", a cast to or from string, a format whose "{}" count differs from its inputs.
DType string_result_dtype(OpKind op, const TensorSpec* in, size_t n, const OpAttrs& attrs);

// Runs the ops that read string contents (add, equal, not_equal on strings and the string ops)
// into `out` (allocated by the caller with the inferred spec) and returns true; false for every
// other op.
bool run_string_op(const OpCall& c, Tensor& out);

// string_format's text: `tmpl` with each "{}" replaced by the next input's Tensor::to_string().
std::string format_strings(const std::string& tmpl, const Tensor* in, size_t n);

}  // namespace xag::rt
