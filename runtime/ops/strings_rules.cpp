// Dtype rules for string tensors (strings_ops.h): strings combine only with strings, as in
// TensorFlow; shape ops pass them through; everything numeric refuses them by name.
#include <string>

#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/strings_ops.h"

namespace xag::rt {

namespace {

const char* article(DType dt) {
  return dt == DType::Int32 || dt == DType::Int64 ? "an" : "a";
}

// "a string tensor and an int32 tensor"
std::string operands(const TensorSpec& x, const TensorSpec& y) {
  return std::string(article(x.dtype)) + " " + dtype_name(x.dtype) + " tensor and " +
         article(y.dtype) + " " + dtype_name(y.dtype) + " tensor";
}

void require_strings(OpKind op, const TensorSpec* in, size_t from, size_t n) {
  for (size_t i = from; i < n; ++i) {
    if (in[i].dtype != DType::String) {
      op_error(op, "needs string tensors, got " + describe(in[i].dtype, in[i].shape) +
                       " as input " + std::to_string(i));
    }
  }
}

// Number of "{}" placeholders in a string_format template.
size_t placeholders(const std::string& t) {
  size_t count = 0;
  for (size_t at = t.find("{}"); at != std::string::npos; at = t.find("{}", at + 2)) ++count;
  return count;
}

}  // namespace

DType string_result_dtype(OpKind op, const TensorSpec* in, size_t n, const OpAttrs& a) {
  switch (op) {
    case OpKind::StringLength:
      require_strings(op, in, 0, n);
      if (!a.text.empty() && a.text != "BYTE" && a.text != "UTF8_CHAR") {
        op_error(op, "unit must be 'BYTE' or 'UTF8_CHAR', got '" + a.text + "'");
      }
      return DType::Int32;
    case OpKind::StringUpper:
    case OpKind::StringLower:
    case OpKind::StringReduceJoin:
      require_strings(op, in, 0, n);
      return DType::String;
    case OpKind::StringJoin:
      if (n == 0) op_error(op, "needs at least one input");
      require_strings(op, in, 0, n);
      return DType::String;
    case OpKind::StringFormat:
      if (placeholders(a.text) != n) {
        op_error(op, "the template '" + a.text + "' has " + std::to_string(placeholders(a.text)) +
                         " placeholders '{}' but " + std::to_string(n) + " inputs were given");
      }
      return DType::String;
    case OpKind::Add:
    case OpKind::Equal:
    case OpKind::NotEqual:
      if (in[0].dtype != DType::String || in[1].dtype != DType::String) {
        const char* verb = op == OpKind::Add ? "add" : "compare";
        op_error(op, std::string("cannot ") + verb + " " + operands(in[0], in[1]) +
                         " (strings combine only with strings)");
      }
      return op == OpKind::Add ? DType::String : DType::Bool;
    case OpKind::Concat:
    case OpKind::Stack:
      require_strings(op, in, 0, n);
      return DType::String;
    case OpKind::Where:
      if (in[0].dtype == DType::String) op_error(op, "the condition must not be a string tensor");
      if (in[1].dtype != DType::String || in[2].dtype != DType::String)
        op_error(op, "cannot select between " + operands(in[1], in[2]));
      return DType::String;
    case OpKind::Fill:
      return in[n - 1].dtype;  // a string value fills with strings; a string shape fails later
    case OpKind::Cast:
      if (in[0].dtype == a.dtype) return a.dtype;
      op_error(op, std::string("cannot cast ") + describe(in[0].dtype, in[0].shape) + " to " +
                       dtype_name(a.dtype) + " (casts to or from string are not supported)");
    case OpKind::ZerosLike:  // "" everywhere (TensorFlow's zeros_like of strings)
      if (a.has_dtype && a.dtype != DType::String) break;
      return DType::String;
    case OpKind::Identity:
    case OpKind::StopGradient:
    case OpKind::Reshape:
    case OpKind::Transpose:
    case OpKind::GetItem:
    case OpKind::Gather:
      if (op == OpKind::Gather && in[1].dtype == DType::String) break;  // string indices
      return in[0].dtype;
    case OpKind::Size:
    case OpKind::ShapeOf:
      return DType::Int32;
    default:
      break;
  }
  op_error(op, "not supported for string tensors (got " +
                   (n >= 2 ? operands(in[0], in[1]) : describe(in[0].dtype, in[0].shape)) + ")");
}

}  // namespace xag::rt
