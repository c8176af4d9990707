#include "runtime/autodiff/rules_util.h"

namespace xag::rt::autodiff {

bool fully_known(const Shape& s) {
  for (int64_t d : s)
    if (d < 0) return false;
  return true;
}

Operand cast_to(const Operand& g, DType dt) {
  if (g.dtype() == dt) return g;
  return apply(OpKind::Cast, {g}, OpAttrs::with_dtype(dt));
}

std::optional<Operand> unbroadcast(const Operand& g, const Operand& x) {
  if (!is_float(x)) return std::nullopt;
  // Equal static shapes only prove equal run-time shapes when no dim is unknown.
  const bool same = fully_known(x.shape()) && x.shape() == g.shape();
  Operand r = same ? g : apply(OpKind::SumToLike, {g, x});
  return cast_to(r, x.dtype());
}

OpAttrs reduce_attrs(const OpAttrs& from) {
  OpAttrs a;
  a.axes = from.axes;
  a.has_axes = from.has_axes;
  a.keepdims = from.keepdims;
  return a;
}

Operand expand_reduced(const Operand& g, const Operand& x, const OpAttrs& reduction) {
  return apply(OpKind::BroadcastLike, {g, x}, reduce_attrs(reduction));
}

}  // namespace xag::rt::autodiff
