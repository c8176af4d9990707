#include "runtime/ops/dtype_rules.h"

namespace xag::rt {

void op_error(OpKind op, const std::string& msg) {
  throw InvalidArgumentError(std::string(op_name(op)) + ": " + msg);
}

std::string describe(DType dt, const Shape& s) {
  return std::string(dtype_name(dt)) + " tensor of shape " + s.to_string();
}

DType unary_result_dtype(OpKind op, DType in) {
  switch (op) {
    case OpKind::Abs:
      return in;
    case OpKind::Neg:
      if (in == DType::Bool)
        op_error(op, "the - operator is not supported for bool tensors; use logical_not or ~");
      return in;
    case OpKind::Relu:  // max(x, 0): the identity on bools, as NumPy's maximum(x, False)
      return in;
    case OpKind::Sign:
      if (in == DType::Bool) op_error(op, "not supported for bool tensors; cast to int32 first");
      return in;
    case OpKind::Square:
      return in == DType::Bool ? DType::Int32 : in;  // NumPy: int8, which we do not have
    case OpKind::Round:
      return in == DType::Bool ? DType::Float32 : in;  // ints are already round
    default:  // exp log sqrt sin cos tanh sigmoid floor ceil
      return float_result(in);
  }
}

DType binary_compute_dtype(OpKind op, DType a, DType b) {
  const DType p = promote(a, b);
  switch (op) {
    case OpKind::Sub:
      if (p == DType::Bool) {
        op_error(op, "the - operator is not supported for bool tensors; use ^ or logical_xor");
      }
      return p;
    case OpKind::TrueDiv:
      return is_floating(p) ? p : DType::Float64;
    case OpKind::FloorDiv:
    case OpKind::Mod:
    case OpKind::Pow:
      return p == DType::Bool ? DType::Int32 : p;  // NumPy: int8, which we do not have
    case OpKind::LogicalAnd:
    case OpKind::LogicalOr:
    case OpKind::LogicalXor:
      return DType::Bool;
    case OpKind::BitwiseAnd:
    case OpKind::BitwiseOr:
    case OpKind::BitwiseXor:
      if (is_floating(p)) {
        op_error(op, std::string("not supported for ") + dtype_name(a) + " and " + dtype_name(b) +
                         " operands; & | ^ need bool or integer tensors");
      }
      return p;
    default:  // add mul maximum minimum and comparisons
      return p;
  }
}

DType binary_result_dtype(OpKind op, DType a, DType b) {
  const DType c = binary_compute_dtype(op, a, b);
  switch (op_category(op)) {
    case OpCategory::Compare:
      return DType::Bool;
    default:
      return c;
  }
}

}  // namespace xag::rt
