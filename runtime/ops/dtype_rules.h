// Which dtype each op computes in and returns (NumPy 1.24 rules, adapted to our five dtypes),
// from the DTypeRule column of its op_kinds.def row. Shared by inference and the CPU kernels so
// the two cannot disagree.
#pragma once

#include <cstddef>
#include <string>

#include "runtime/core/dtype.h"
#include "runtime/ops/ops.h"

namespace xag::rt {

// The dtype an element-wise op converts its operands to before its functor runs (one operand:
// pass it twice or use the one-argument form); throws InvalidArgumentError where NumPy refuses
// (negative/sign/subtract of bools, bitwise ops on floats).
DType compute_dtype(OpKind op, DType a, DType b);
inline DType compute_dtype(OpKind op, DType a) {
  return compute_dtype(op, a, a);
}

// The dtype `op` returns for inputs `in` (any op; validates what its rule checks).
DType result_dtype(OpKind op, const TensorSpec* in, size_t n, const OpAttrs& attrs);

// The element-wise entry points under their older names.
inline DType unary_result_dtype(OpKind op, DType in) {
  const TensorSpec s{in, Shape{}};
  return result_dtype(op, &s, 1, OpAttrs{});
}
inline DType binary_compute_dtype(OpKind op, DType a, DType b) {
  return compute_dtype(op, a, b);
}
inline DType binary_result_dtype(OpKind op, DType a, DType b) {
  const TensorSpec s[2] = {{a, Shape{}}, {b, Shape{}}};
  return result_dtype(op, s, 2, OpAttrs{});
}

// "float32 tensor of shape (2, 3)": how messages describe an operand.
std::string describe(DType dt, const Shape& s);

// Throws InvalidArgumentError("<op>: <msg>").
[[noreturn]] void op_error(OpKind op, const std::string& msg);

}  // namespace xag::rt
