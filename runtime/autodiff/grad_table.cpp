// The table behind grad_rule(): each Rule row of op_kinds.def points at its grad_<EnumName>,
// each NoGradient row is null. Generated from the .def, so a row and its rule cannot drift.
#include "runtime/autodiff/rules.h"

namespace xag::rt::autodiff {

namespace {

#define XAG_GRAD_ENTRY_Rule(name) &grad_##name,
#define XAG_GRAD_ENTRY_NoGradient(name) nullptr,
#define XAG_OP_ROW(name, py_name, arity, category, dtype_rule, shape_rule, gradient) \
  XAG_GRAD_ENTRY_##gradient(name)
constexpr GradRule kRules[] = {
#include "runtime/ops/op_kinds.def"
};
#undef XAG_OP_ROW
#undef XAG_GRAD_ENTRY_Rule
#undef XAG_GRAD_ENTRY_NoGradient
static_assert(sizeof(kRules) / sizeof(kRules[0]) == kNumOpKinds);

}  // namespace

GradRule grad_rule(OpKind op) noexcept {
  const auto i = static_cast<int>(op);
  return i >= 0 && i < kNumOpKinds ? kRules[i] : nullptr;
}

}  // namespace xag::rt::autodiff
