// Gradients of the shape ops and of the gradient helpers themselves (so second derivatives flow
// through first ones). Offsets and sizes come from static shapes where they are known and from
// shape() at run time where a dim is unknown.
#include <vector>

#include "runtime/autodiff/rules_util.h"

namespace xag::rt::autodiff {

namespace {

// A dim that is either known now or an int32 scalar computed at run time.
struct Dim {
  int64_t known = 0;
  std::optional<Operand> tensor;  // set when not known now (the value then includes `known`)

  Dim plus(const Dim& o) const {
    Dim r;
    r.known = known + o.known;
    if (tensor && o.tensor)
      r.tensor = add(*tensor, *o.tensor);
    else if (tensor || o.tensor)
      r.tensor = add(tensor ? *tensor : *o.tensor, WeakScalar::integer(tensor ? o.known : known));
    return r;
  }
};

Dim dim_of(const Operand& x, int axis) {
  Dim d;
  if (x.shape()[axis] >= 0) {
    d.known = x.shape()[axis];
  } else {
    OpAttrs at;
    at.slices = {SliceItem::index(axis)};
    d.tensor = op(OpKind::GetItem, {op(OpKind::ShapeOf, {x})}, at);
  }
  return d;
}

// dy[..., start:stop, ...] along `axis`, the bounds constants or tensor inputs of the getitem.
Operand slice_along(const Operand& dy, int axis, const Dim& start, const Dim& stop) {
  OpAttrs at;
  at.slices.assign(static_cast<size_t>(axis), SliceItem::all());
  SliceItem s;
  std::vector<Input> in{dy};
  if (start.tensor) {
    s.start_input = static_cast<int8_t>(in.size());
    in.emplace_back(*start.tensor);
  } else {
    s.has_start = true;
    s.start = start.known;
  }
  if (stop.tensor) {
    s.stop_input = static_cast<int8_t>(in.size());
    in.emplace_back(*stop.tensor);
  } else {
    s.has_stop = true;
    s.stop = stop.known;
  }
  at.slices.push_back(s);
  return apply(OpKind::GetItem, in.data(), in.size(), at);
}

std::optional<Operand> as_input(const Operand& g, const Operand& x) {
  if (!is_float(x)) return std::nullopt;
  return cast_to(g, x.dtype());
}

}  // namespace

InputGrads grad_Transpose(const OpCall& c, const Operand& dy) {
  const Operand& x = c.inputs[0];
  if (c.attrs.perm.empty()) return {as_input(op(OpKind::Transpose, {dy}), x)};  // reversal
  const int rank = x.shape().rank();
  AxisList inverse;
  inverse.resize(static_cast<size_t>(rank));
  for (int i = 0; i < rank; ++i) inverse[normalize_axis(c.attrs.perm[i], rank, "transpose")] = i;
  return {as_input(op(OpKind::Transpose, {dy}, OpAttrs::with_perm(inverse)), x)};
}

InputGrads grad_Reshape(const OpCall& c, const Operand& dy) {
  const Operand& x = c.inputs[0];
  InputGrads g(c.inputs.size());
  if (!is_float(x)) return g;
  if (fully_known(x.shape())) {
    OpAttrs at;
    at.shape = x.shape();
    g[0] = op(OpKind::Reshape, {dy}, at);
  } else {
    g[0] = op(OpKind::Reshape, {dy, op(OpKind::ShapeOf, {x})});
  }
  return g;
}

InputGrads grad_Concat(const OpCall& c, const Operand& dy) {
  const int rank = dy.shape().rank();
  const int axis = normalize_axis(c.attrs.axis, rank, "concat");
  InputGrads g(c.inputs.size());
  Dim start;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    const Operand& x = c.inputs[i];
    const Dim stop = start.plus(dim_of(x, axis));
    if (is_float(x)) g[i] = cast_to(slice_along(dy, axis, start, stop), x.dtype());
    start = stop;
  }
  return g;
}

InputGrads grad_Stack(const OpCall& c, const Operand& dy) {
  const int axis = normalize_axis(c.attrs.axis, dy.shape().rank(), "stack");
  InputGrads g(c.inputs.size());
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    if (!is_float(c.inputs[i])) continue;
    OpAttrs at;
    at.slices.assign(static_cast<size_t>(axis), SliceItem::all());
    at.slices.push_back(SliceItem::index(static_cast<int64_t>(i)));
    g[i] = cast_to(op(OpKind::GetItem, {dy}, at), c.inputs[i].dtype());
  }
  return g;
}

InputGrads grad_GetItem(const OpCall& c, const Operand& dy) {
  // Tensor indices are integers: no gradient. x's gradient is dy written back at the subscript.
  InputGrads g(c.inputs.size());
  if (!is_float(c.inputs[0])) return g;
  std::vector<Input> in{dy};
  for (const Operand& t : c.inputs) in.emplace_back(t);
  g[0] = apply(OpKind::GetItemGrad, in.data(), in.size(), c.attrs);
  return g;
}

InputGrads grad_Gather(const OpCall& c, const Operand& dy) {
  const Operand &x = c.inputs[0], &indices = c.inputs[1];
  if (!is_float(x)) return {std::nullopt, std::nullopt};
  return {op(OpKind::GatherGrad, {dy, indices, x}, OpAttrs::with_axis(c.attrs.axis)), std::nullopt};
}

// ---- the gradient helpers (their reference inputs only lend a shape: no gradient) ----

InputGrads grad_SumToLike(const OpCall& c, const Operand& dy) {
  // Plain broadcasting back to the summed operand's shape: no axes to reinsert.
  const Operand& g0 = c.inputs[0];
  OpAttrs keep;
  keep.has_axes = true;
  keep.keepdims = true;
  return {as_input(op(OpKind::BroadcastLike, {dy, g0}, keep), g0), std::nullopt};
}

InputGrads grad_BroadcastLike(const OpCall& c, const Operand& dy) {
  // Sum over the reinserted axes, then over whatever plain broadcasting stretched.
  const Operand& g0 = c.inputs[0];
  if (!is_float(g0)) return {std::nullopt, std::nullopt};
  OpAttrs ra = reduce_attrs(c.attrs);
  const bool reduces = !ra.has_axes || !ra.axes.empty();
  const Operand r = reduces ? op(OpKind::ReduceSum, {dy}, ra) : dy;
  return {unbroadcast(r, g0), std::nullopt};
}

InputGrads grad_GetItemGrad(const OpCall& c, const Operand& dy) {
  InputGrads g(c.inputs.size());
  if (!is_float(c.inputs[0])) return g;
  std::vector<Input> in{dy};
  for (size_t i = 2; i < c.inputs.size(); ++i) in.emplace_back(c.inputs[i]);
  g[0] = apply(OpKind::GetItem, in.data(), in.size(), c.attrs);
  return g;
}

InputGrads grad_GatherGrad(const OpCall& c, const Operand& dy) {
  if (!is_float(c.inputs[0])) return {std::nullopt, std::nullopt, std::nullopt};
  return {op(OpKind::Gather, {dy, c.inputs[1]}, OpAttrs::with_axis(c.attrs.axis)), std::nullopt,
          std::nullopt};
}

}  // namespace xag::rt::autodiff
