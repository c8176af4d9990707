// The op table: one entry per row of op_kinds.def, read through the accessors of ops.h.
#include <cstring>

#include "runtime/ops/ops.h"

namespace xag::rt {

namespace {
struct OpInfo {
  const char* name;
  int arity;
  OpCategory category;
  DTypeRule dtype_rule;
  ShapeRule shape_rule;
  const char* gradient;
};
constexpr OpInfo kOps[] = {
#define XAG_OP_ROW(name, py_name, arity, category, dtype_rule, shape_rule, gradient) \
  {py_name, arity, OpCategory::category, DTypeRule::dtype_rule, ShapeRule::shape_rule, #gradient},
#include "runtime/ops/op_kinds.def"
#undef XAG_OP_ROW
};
static_assert(sizeof(kOps) / sizeof(kOps[0]) == kNumOpKinds);
}  // namespace

const char* op_name(OpKind op) noexcept {
  return kOps[static_cast<int>(op)].name;
}
int op_arity(OpKind op) noexcept {
  return kOps[static_cast<int>(op)].arity;
}
OpCategory op_category(OpKind op) noexcept {
  return kOps[static_cast<int>(op)].category;
}
DTypeRule op_dtype_rule(OpKind op) noexcept {
  return kOps[static_cast<int>(op)].dtype_rule;
}
ShapeRule op_shape_rule(OpKind op) noexcept {
  return kOps[static_cast<int>(op)].shape_rule;
}
const char* op_gradient(OpKind op) noexcept {
  return kOps[static_cast<int>(op)].gradient;
}

std::optional<OpKind> op_from_name(std::string_view name) noexcept {
  for (int i = 0; i < kNumOpKinds; ++i)
    if (name == kOps[i].name) return static_cast<OpKind>(i);
  return std::nullopt;
}

std::string TensorSpec::to_string() const {
  return dtype_name(dtype) + shape.to_string();
}

}  // namespace xag::rt
