// Gradients of the constructors and misc ops that carry one: fill's value, cast and identity.
#include "runtime/autodiff/rules_util.h"

namespace xag::rt::autodiff {

InputGrads grad_Fill(const OpCall& c, const Operand& dy) {
  // Every element is the value: its gradient is the sum. A shape input gets none.
  InputGrads g(c.inputs.size());
  const Operand& value = c.inputs.back();
  if (is_float(value)) g.back() = cast_to(op(OpKind::ReduceSum, {dy}), value.dtype());
  return g;
}

InputGrads grad_Cast(const OpCall& c, const Operand& dy) {
  // Float to float casts back; a cast from (or to) an integer or bool is a step: none.
  const Operand& x = c.inputs[0];
  if (!is_float(x) || !is_float(c.output)) return {std::nullopt};
  return {cast_to(dy, x.dtype())};
}

InputGrads grad_Identity(const OpCall& c, const Operand& dy) {
  if (!is_float(c.inputs[0])) return {std::nullopt};
  return {dy};
}

}  // namespace xag::rt::autodiff
