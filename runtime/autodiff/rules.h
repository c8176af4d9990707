// Declarations of every gradient rule, generated from the Rule rows of op_kinds.def: one
// `InputGrads grad_<EnumName>(const OpCall&, const Operand& dy)` per row, defined in one of the
// rules_*.cpp files (grad_table.cpp takes their addresses, so a missing one fails to link).
#pragma once

#include "runtime/autodiff/grad_rule.h"

namespace xag::rt::autodiff {

#define XAG_GRAD_DECL_Rule(name) InputGrads grad_##name(const OpCall& call, const Operand& dy);
#define XAG_GRAD_DECL_NoGradient(name)
#define XAG_OP_ROW(name, py_name, arity, category, dtype_rule, shape_rule, gradient) \
  XAG_GRAD_DECL_##gradient(name)
#include "runtime/ops/op_kinds.def"
#undef XAG_OP_ROW
#undef XAG_GRAD_DECL_Rule
#undef XAG_GRAD_DECL_NoGradient

}  // namespace xag::rt::autodiff
