#include "runtime/ops/dtype_rules.h"

#include "runtime/ops/elementwise.h"
#include "runtime/ops/strings_ops.h"

namespace xag::rt {

void op_error(OpKind op, const std::string& msg) {
  throw InvalidArgumentError(std::string(op_name(op)) + ": " + msg);
}

std::string describe(DType dt, const Shape& s) {
  return std::string(dtype_name(dt)) + " tensor of shape " + s.to_string();
}

namespace {

[[noreturn]] void reject_bool(OpKind op) {
  const auto traits = elementwise_traits(op);
  op_error(op,
           traits && traits->bool_error ? traits->bool_error : "not supported for bool tensors");
}

}  // namespace

DType compute_dtype(OpKind op, DType a, DType b) {
  const DType p = promote(a, b);
  switch (op_dtype_rule(op)) {
    case DTypeRule::Same:
    case DTypeRule::Truth:
    case DTypeRule::Promote:
    case DTypeRule::Compare:
      return p;
    case DTypeRule::NoBool:
    case DTypeRule::PromoteNoBool:
      if (p == DType::Bool) reject_bool(op);
      return p;
    case DTypeRule::BoolAsInt:
    case DTypeRule::PromoteBoolAsInt:
      return p == DType::Bool ? DType::Int32 : p;  // NumPy: int8, which we do not have
    case DTypeRule::BoolAsFloat:
      return p == DType::Bool ? DType::Float32 : p;  // NumPy: float16
    case DTypeRule::Float:
      return float_result(p);
    case DTypeRule::PromoteFloat:
      return is_floating(p) ? p : DType::Float64;
    case DTypeRule::Logical:
      return DType::Bool;
    case DTypeRule::Bitwise:
      if (is_floating(p)) {
        op_error(op, std::string("not supported for ") + dtype_name(a) + " and " + dtype_name(b) +
                         " operands; & | ^ need bool or integer tensors");
      }
      return p;
    default:
      throw InternalError(std::string(op_name(op)) + " is not an element-wise op");
  }
}

DType result_dtype(OpKind op, const TensorSpec* in, size_t n, const OpAttrs& a) {
  if (__builtin_expect(involves_strings(op, in, n), 0)) return string_result_dtype(op, in, n, a);
  const DTypeRule rule = op_dtype_rule(op);
  switch (rule) {
    case DTypeRule::Compare:
    case DTypeRule::Logical:
    case DTypeRule::Truth:
      compute_dtype(op, in[0].dtype, in[n - 1].dtype);  // validates
      return DType::Bool;
    case DTypeRule::Promote: {
      DType p = in[0].dtype;
      for (size_t i = 1; i < n; ++i) p = promote(p, in[i].dtype);
      return p;
    }
    case DTypeRule::Bitwise:
      if (n == 1 && is_floating(in[0].dtype)) {
        op_error(op, "the ~ operator needs a bool or integer tensor, got " +
                         describe(in[0].dtype, in[0].shape));
      }
      return compute_dtype(op, in[0].dtype, in[n - 1].dtype);
    case DTypeRule::Same:
      return in[0].dtype;
    case DTypeRule::NoBool:
    case DTypeRule::BoolAsInt:
    case DTypeRule::BoolAsFloat:
    case DTypeRule::Float:
    case DTypeRule::PromoteNoBool:
    case DTypeRule::PromoteFloat:
    case DTypeRule::PromoteBoolAsInt:
      return compute_dtype(op, in[0].dtype, in[n - 1].dtype);
    case DTypeRule::PromoteLast2:
      return promote(in[1].dtype, in[2].dtype);
    case DTypeRule::Accumulate:  // NumPy accumulates small integers in the platform int (int64)
      return in[0].dtype == DType::Bool || in[0].dtype == DType::Int32 ? DType::Int64 : in[0].dtype;
    case DTypeRule::Mean:
      return is_floating(in[0].dtype) ? in[0].dtype : DType::Float64;
    case DTypeRule::ToBool:
      return DType::Bool;
    case DTypeRule::Index:
      return DType::Int64;
    case DTypeRule::Int32:
      return DType::Int32;
    case DTypeRule::Last:
      return in[n - 1].dtype;
    case DTypeRule::Attr:
      return a.dtype;
    case DTypeRule::AttrOrFirst:
      return a.has_dtype ? a.dtype : in[0].dtype;
    case DTypeRule::Str:
      return DType::String;
  }
  throw InternalError(std::string("result_dtype: bad rule for ") + op_name(op));
}

}  // namespace xag::rt
