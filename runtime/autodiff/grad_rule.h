// Gradient rules: for each differentiable op, how the gradient of its output turns into
// gradients of its inputs (the vector-Jacobian product). A rule computes with apply(), so the
// same rule serves the eager tape (its operands are tensors: the gradient is computed at once)
// and staged gradients (its operands are symbolic values of the trace being built: the
// gradient becomes nodes of the same graph as the forward pass).
//
// Every op row of op_kinds.def names its rule in the Gradient column: `Rule` means a function
// `grad_<EnumName>` (declared by this header, defined in runtime/autodiff/rules_*.cpp; a
// missing one is a link error); `NoGradient` means no gradient flows through the op.
#pragma once

#include <optional>
#include <vector>

#include "runtime/graph/tracer.h"

namespace xag::rt::autodiff {

// One application of an op as its rule sees it.
struct OpCall {
  OpKind op;
  const OpAttrs& attrs;
  const std::vector<Operand>& inputs;  // weak scalars already materialized as tensors
  const Operand& output;
};

// One entry per input: the gradient of that input (exactly the input's dtype and shape, with
// broadcasting summed away), or nullopt where none flows (integer or bool inputs, index and
// shape inputs, a predicate).
using InputGrads = std::vector<std::optional<Operand>>;

// `dy` is the gradient of the output: a floating tensor of the output's dtype and shape.
using GradRule = InputGrads (*)(const OpCall& call, const Operand& dy);

// The rule of `op`; null for a NoGradient row.
GradRule grad_rule(OpKind op) noexcept;

}  // namespace xag::rt::autodiff
