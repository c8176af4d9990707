// Gradients of the reductions and softmax. A reduction's gradient has its result's shape;
// expand_reduced() (broadcast_like) spreads it back over the reduced axes using the input as the
// shape reference, so none of these reads a dim that may be unknown while tracing.
#include "runtime/autodiff/rules_util.h"

namespace xag::rt::autodiff {

InputGrads grad_ReduceSum(const OpCall& c, const Operand& dy) {
  const Operand& x = c.inputs[0];
  if (!is_float(x)) return {std::nullopt};
  return {cast_to(expand_reduced(dy, x, c.attrs), x.dtype())};
}

InputGrads grad_ReduceMean(const OpCall& c, const Operand& dy) {
  const Operand& x = c.inputs[0];
  if (!is_float(x)) return {std::nullopt};
  const Operand g = expand_reduced(dy, x, c.attrs);
  const Shape &xs = x.shape(), &ys = c.output.shape();
  if (fully_known(xs) && fully_known(ys)) {
    // Elements per result value, known now: one constant.
    const int64_t n_out = ys.num_elements();
    const double count =
        n_out == 0 ? 0.0 : static_cast<double>(xs.num_elements()) / static_cast<double>(n_out);
    return {div(g, real(count))};
  }
  const Operand nx = cast_to(op(OpKind::Size, {x}), dy.dtype());
  const Operand ny = cast_to(op(OpKind::Size, {c.output}), dy.dtype());
  return {div(g, div(nx, ny))};
}

namespace {

// reduce_max / reduce_min: the gradient goes to the positions that attain the result, split
// evenly among ties (TensorFlow).
InputGrads extremum(const OpCall& c, const Operand& dy) {
  const Operand& x = c.inputs[0];
  if (!is_float(x)) return {std::nullopt};
  const Operand hit =
      cast_to(op(OpKind::Equal, {x, expand_reduced(c.output, x, c.attrs)}), x.dtype());
  const Operand ties = op(OpKind::ReduceSum, {hit}, reduce_attrs(c.attrs));
  return {mul(hit, expand_reduced(div(dy, ties), x, c.attrs))};
}

}  // namespace

InputGrads grad_ReduceMax(const OpCall& c, const Operand& dy) {
  return extremum(c, dy);
}

InputGrads grad_ReduceMin(const OpCall& c, const Operand& dy) {
  return extremum(c, dy);
}

InputGrads grad_ReduceProd(const OpCall& c, const Operand& dy) {
  // d prod / d x_i is the product of the other elements: prod / x_i where x_i != 0. At a zero it
  // is the product of the non-zero elements when x_i is the only zero of its group, else 0;
  // computing it that way keeps 0/0 out of the result.
  const Operand& x = c.inputs[0];
  if (!is_float(x)) return {std::nullopt};
  const OpAttrs ra = reduce_attrs(c.attrs);
  const Operand is_zero = op(OpKind::Equal, {x, real(0.0)});
  const Operand nonzero = select(is_zero, real(1.0), x);
  const Operand prod_nonzero = op(OpKind::ReduceProd, {nonzero}, ra);
  const Operand zeros = op(OpKind::ReduceSum, {cast_to(is_zero, x.dtype())}, ra);
  const Operand at_zero = select(op(OpKind::Equal, {zeros, real(1.0)}), prod_nonzero, real(0.0));
  const Operand others = select(is_zero, expand_reduced(at_zero, x, c.attrs),
                                div(expand_reduced(c.output, x, c.attrs), nonzero));
  return {mul(expand_reduced(dy, x, c.attrs), others)};
}

InputGrads grad_Softmax(const OpCall& c, const Operand& dy) {
  // y * (dy - sum(dy * y, axis)).
  const Operand& x = c.inputs[0];
  if (!is_float(x)) return {std::nullopt};
  const Operand& y = c.output;
  const OpAttrs along = OpAttrs::with_axes({c.attrs.has_axis ? c.attrs.axis : -1}, true);
  const Operand s = op(OpKind::ReduceSum, {mul(dy, y)}, along);
  return {cast_to(mul(y, sub(dy, s)), x.dtype())};
}

}  // namespace xag::rt::autodiff
