// What the gradient rules share: short names for the ops they compose (every one goes through
// apply(), so a rule runs eagerly on tensors and stages on symbolic values alike) and the
// broadcasting bookkeeping every binary rule ends with.
#pragma once

#include <optional>

#include "runtime/autodiff/rules.h"

namespace xag::rt::autodiff {

inline Operand op(OpKind k, std::initializer_list<Input> in, const OpAttrs& a = {}) {
  return apply(k, in, a);
}
inline Operand add(Input a, Input b) {
  return apply(OpKind::Add, {a, b});
}
inline Operand sub(Input a, Input b) {
  return apply(OpKind::Sub, {a, b});
}
inline Operand mul(Input a, Input b) {
  return apply(OpKind::Mul, {a, b});
}
inline Operand div(Input a, Input b) {
  return apply(OpKind::TrueDiv, {a, b});
}
inline Operand neg(Input a) {
  return apply(OpKind::Neg, {a});
}
// where(cond, a, b); a literal branch takes the other branch's dtype.
inline Operand select(Input cond, Input a, Input b) {
  return apply(OpKind::Where, {cond, a, b});
}
inline WeakScalar real(double v) {
  return WeakScalar::real(v);
}

inline bool is_float(const Operand& t) {
  return is_floating(t.dtype());
}
// Every dim known (eager operands always; symbolic ones unless a dim is kUnknownDim).
bool fully_known(const Shape& s);
// `g` as `dt` (no op when it already is).
Operand cast_to(const Operand& g, DType dt);
// The gradient of input `x` from `g`, a gradient of the op's broadcast result: summed back to
// x's shape (sum_to_like, skipped when the shapes are known to agree) and cast to x's dtype;
// nullopt for a non-float x, which no gradient reaches.
std::optional<Operand> unbroadcast(const Operand& g, const Operand& x);
// broadcast_like(g, x, attrs): a reduction's gradient (shape of its result) expanded back to the
// reduced input's shape; the reduction's axes/has_axes/keepdims say which axes to reinsert.
Operand expand_reduced(const Operand& g, const Operand& x, const OpAttrs& reduction);
// Attrs of reduce_* over `axes` with keepdims.
OpAttrs reduce_attrs(const OpAttrs& from);

}  // namespace xag::rt::autodiff
