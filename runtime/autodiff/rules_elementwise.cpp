// Gradients of the element-wise ops: unary math, binary arithmetic (TensorFlow's conventions at
// kinks: maximum/minimum pass the gradient to x on ties, relu passes none at 0) and the
// selections where / clip_by_value. Binary rules compute on the broadcast result and let
// unbroadcast() sum each input's share back to its shape and dtype.
#include "runtime/autodiff/rules_util.h"

namespace xag::rt::autodiff {

namespace {

const Operand& x0(const OpCall& c) {
  return c.inputs[0];
}
const Operand& x1(const OpCall& c) {
  return c.inputs[1];
}

// A unary rule's result: d(op)/dx computed by `f` for a float input; none for int/bool ones.
template <class F>
InputGrads unary(const OpCall& c, F&& f) {
  if (!is_float(x0(c))) return {std::nullopt};
  return {cast_to(f(), x0(c).dtype())};
}

}  // namespace

InputGrads grad_Abs(const OpCall& c, const Operand& dy) {
  return unary(c, [&] { return mul(dy, op(OpKind::Sign, {x0(c)})); });
}

InputGrads grad_Neg(const OpCall& c, const Operand& dy) {
  return unary(c, [&] { return neg(dy); });
}

InputGrads grad_Exp(const OpCall& c, const Operand& dy) {
  return unary(c, [&] { return mul(dy, c.output); });
}

InputGrads grad_Log(const OpCall& c, const Operand& dy) {
  return unary(c, [&] { return div(dy, x0(c)); });
}

InputGrads grad_Sqrt(const OpCall& c, const Operand& dy) {
  return unary(c, [&] { return div(mul(dy, real(0.5)), c.output); });
}

InputGrads grad_Square(const OpCall& c, const Operand& dy) {
  return unary(c, [&] { return mul(dy, mul(x0(c), real(2.0))); });
}

InputGrads grad_Sin(const OpCall& c, const Operand& dy) {
  return unary(c, [&] { return mul(dy, op(OpKind::Cos, {x0(c)})); });
}

InputGrads grad_Cos(const OpCall& c, const Operand& dy) {
  return unary(c, [&] { return neg(mul(dy, op(OpKind::Sin, {x0(c)}))); });
}

InputGrads grad_Tanh(const OpCall& c, const Operand& dy) {
  // 1 - tanh(x)^2, from the result.
  return unary(c, [&] { return mul(dy, sub(real(1.0), op(OpKind::Square, {c.output}))); });
}

InputGrads grad_Sigmoid(const OpCall& c, const Operand& dy) {
  return unary(c, [&] { return mul(dy, mul(c.output, sub(real(1.0), c.output))); });
}

InputGrads grad_Relu(const OpCall& c, const Operand& dy) {
  return unary(c, [&] { return select(op(OpKind::Greater, {x0(c), real(0.0)}), dy, real(0.0)); });
}

InputGrads grad_Add(const OpCall& c, const Operand& dy) {
  return {unbroadcast(dy, x0(c)), unbroadcast(dy, x1(c))};
}

InputGrads grad_Sub(const OpCall& c, const Operand& dy) {
  return {unbroadcast(dy, x0(c)), is_float(x1(c)) ? unbroadcast(neg(dy), x1(c)) : std::nullopt};
}

InputGrads grad_Mul(const OpCall& c, const Operand& dy) {
  InputGrads g(2);
  if (is_float(x0(c))) g[0] = unbroadcast(mul(dy, x1(c)), x0(c));
  if (is_float(x1(c))) g[1] = unbroadcast(mul(dy, x0(c)), x1(c));
  return g;
}

InputGrads grad_TrueDiv(const OpCall& c, const Operand& dy) {
  // d/dx = dy / y; d/dy = -dy * x / y^2 = -(dy / y) * out.
  const Operand dx = div(dy, x1(c));
  InputGrads g(2);
  if (is_float(x0(c))) g[0] = unbroadcast(dx, x0(c));
  if (is_float(x1(c))) g[1] = unbroadcast(neg(mul(dx, c.output)), x1(c));
  return g;
}

InputGrads grad_Mod(const OpCall& c, const Operand& dy) {
  // x mod y = x - floor(x / y) * y, floor's derivative being zero almost everywhere.
  InputGrads g(2);
  g[0] = unbroadcast(dy, x0(c));
  if (is_float(x1(c)))
    g[1] = unbroadcast(neg(mul(dy, op(OpKind::FloorDiv, {x0(c), x1(c)}))), x1(c));
  return g;
}

InputGrads grad_Pow(const OpCall& c, const Operand& dy) {
  const Operand &x = x0(c), &y = x1(c);
  InputGrads g(2);
  if (is_float(x)) g[0] = unbroadcast(mul(mul(dy, y), op(OpKind::Pow, {x, sub(y, real(1.0))})), x);
  if (is_float(y)) {
    // dy * log(x) * x^y where x > 0, else 0 (TensorFlow); log only sees positive values so no
    // NaN leaks through the select into a second derivative.
    const Operand pos = op(OpKind::Greater, {x, real(0.0)});
    const Operand log_x = op(OpKind::Log, {select(pos, x, real(1.0))});
    g[1] = unbroadcast(select(pos, mul(mul(dy, c.output), log_x), real(0.0)), y);
  }
  return g;
}

namespace {

// maximum (x >= y) and minimum (x <= y): x takes the gradient where `x_wins`, y elsewhere.
InputGrads pick(const OpCall& c, const Operand& dy, OpKind x_wins_test) {
  const Operand x_wins = op(x_wins_test, {x0(c), x1(c)});
  return {is_float(x0(c)) ? unbroadcast(select(x_wins, dy, real(0.0)), x0(c)) : std::nullopt,
          is_float(x1(c)) ? unbroadcast(select(x_wins, real(0.0), dy), x1(c)) : std::nullopt};
}

}  // namespace

InputGrads grad_Maximum(const OpCall& c, const Operand& dy) {
  return pick(c, dy, OpKind::GreaterEqual);
}

InputGrads grad_Minimum(const OpCall& c, const Operand& dy) {
  return pick(c, dy, OpKind::LessEqual);
}

InputGrads grad_Where(const OpCall& c, const Operand& dy) {
  const Operand& cond = c.inputs[0];
  const Operand &x = c.inputs[1], &y = c.inputs[2];
  return {std::nullopt, is_float(x) ? unbroadcast(select(cond, dy, real(0.0)), x) : std::nullopt,
          is_float(y) ? unbroadcast(select(cond, real(0.0), dy), y) : std::nullopt};
}

InputGrads grad_ClipByValue(const OpCall& c, const Operand& dy) {
  // clip_by_value(x, lo, hi) = minimum(maximum(x, lo), hi): the two rules above, composed.
  const Operand &x = c.inputs[0], &lo = c.inputs[1], &hi = c.inputs[2];
  const Operand above_lo = op(OpKind::GreaterEqual, {x, lo});
  const Operand m = op(OpKind::Maximum, {x, lo});
  const Operand below_hi = op(OpKind::LessEqual, {m, hi});
  const Operand dm = select(below_hi, dy, real(0.0));
  return {is_float(x) ? unbroadcast(select(above_lo, dm, real(0.0)), x) : std::nullopt,
          is_float(lo) ? unbroadcast(select(above_lo, real(0.0), dm), lo) : std::nullopt,
          is_float(hi) ? unbroadcast(select(below_hi, real(0.0), dy), hi) : std::nullopt};
}

}  // namespace xag::rt::autodiff
