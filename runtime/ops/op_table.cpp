#include <cstring>

#include "runtime/ops/ops.h"

namespace xag::rt {

namespace {
struct OpInfo {
  const char* name;
  int arity;
  OpCategory category;
};
constexpr OpInfo kOps[] = {
#define XAG_OP(name, py_name, arity, category) {py_name, arity, OpCategory::category},
#include "runtime/ops/op_kinds.def"
#undef XAG_OP
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

std::optional<OpKind> op_from_name(std::string_view name) noexcept {
  for (int i = 0; i < kNumOpKinds; ++i)
    if (name == kOps[i].name) return static_cast<OpKind>(i);
  return std::nullopt;
}

std::string TensorSpec::to_string() const {
  return dtype_name(dtype) + shape.to_string();
}

}  // namespace xag::rt
