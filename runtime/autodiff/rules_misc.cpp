// Gradients of the constructors and misc ops that carry one: fill's value, cast, identity and
// cumsum.
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

InputGrads grad_Cumsum(const OpCall& c, const Operand& dy) {
  // Each x[k] counts in every output from k on: the gradient is dy summed from the end,
  // cumsum(dy reversed) reversed along the same axis.
  const Operand& x = c.inputs[0];
  if (!is_float(x)) return {std::nullopt};
  const int axis = normalize_axis(scan_axis(c.op, c.attrs), x.shape().rank(), "cumsum");
  OpAttrs rev;
  rev.slices.assign(static_cast<size_t>(axis), SliceItem::all());
  SliceItem back;
  back.has_step = true;
  back.step = -1;
  rev.slices.push_back(back);
  const Operand summed = op(OpKind::Cumsum, {op(OpKind::GetItem, {dy}, rev)}, c.attrs);
  return {op(OpKind::GetItem, {summed}, rev)};
}

}  // namespace xag::rt::autodiff
