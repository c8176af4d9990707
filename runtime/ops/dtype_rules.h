// Which dtype each element-wise op computes in and returns (NumPy 1.24 rules, adapted to our five
// dtypes). Shared by inference and the CPU kernels so the two cannot disagree.
#pragma once

#include "runtime/core/dtype.h"
#include "runtime/ops/ops.h"

namespace xag::rt {

// Output dtype of a Unary-category op on `in`; throws InvalidArgumentError where NumPy refuses
// (negative/sign/relu of bool).
DType unary_result_dtype(OpKind op, DType in);

// The dtype both operands are converted to before a Binary/Compare/bitwise op runs.
DType binary_compute_dtype(OpKind op, DType a, DType b);
// The dtype the op returns (bool for comparisons and logical ops).
DType binary_result_dtype(OpKind op, DType a, DType b);

// "float32 tensor of shape (2, 3)": how messages describe an operand.
std::string describe(DType dt, const Shape& s);

// Throws InvalidArgumentError("<op>: <msg>").
[[noreturn]] void op_error(OpKind op, const std::string& msg);

}  // namespace xag::rt
