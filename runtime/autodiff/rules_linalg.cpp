// Gradient of matmul (NumPy semantics: 1-D operands, 2-D, batched with broadcast batch dims).
// Vectors are lifted to matrices the way matmul itself does, the products taken on the lifted
// shapes, and each result summed over the batch dims its operand was broadcast along.
#include "runtime/autodiff/rules_util.h"

namespace xag::rt::autodiff {

namespace {

// t with a new axis at `pos` of its subscript (t[..., None, :] is {ellipsis, new_axis, all}).
Operand lift(const Operand& t, bool before_last) {
  OpAttrs at;
  at.slices = {SliceItem::ellipsis(), SliceItem::new_axis()};
  if (before_last) at.slices.push_back(SliceItem::all());
  return op(OpKind::GetItem, {t}, at);
}

// Swaps the last two axes (rank >= 2).
Operand transpose_last2(const Operand& t) {
  const int r = t.shape().rank();
  AxisList perm;
  for (int i = 0; i < r; ++i) perm.push_back(i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return op(OpKind::Transpose, {t}, OpAttrs::with_perm(perm));
}

}  // namespace

InputGrads grad_MatMul(const OpCall& c, const Operand& dy) {
  const Operand &a = c.inputs[0], &b = c.inputs[1];
  const bool vec_a = a.shape().rank() == 1, vec_b = b.shape().rank() == 1;
  // a (k) -> (1, k); b (k) -> (k, 1); dy gets the axes matmul dropped.
  const Operand A = vec_a ? lift(a, true) : a;
  const Operand B = vec_b ? lift(b, false) : b;
  Operand g = dy;
  if (vec_b) g = lift(g, false);
  if (vec_a) g = lift(g, true);
  InputGrads grads(2);
  if (is_float(a)) {
    Operand da = op(OpKind::MatMul, {g, transpose_last2(B)});  // (..., n, k)
    // For a vector, (..., 1, k) sums straight to (k): the lifted axis is a broadcast one.
    grads[0] = unbroadcast(da, a);
  }
  if (is_float(b)) {
    Operand db = op(OpKind::MatMul, {transpose_last2(A), g});  // (..., k, m)
    if (vec_b) {
      OpAttrs at;
      at.slices = {SliceItem::ellipsis(), SliceItem::index(0)};  // (..., k, 1) -> (..., k)
      db = op(OpKind::GetItem, {db}, at);
    }
    grads[1] = unbroadcast(db, b);
  }
  return grads;
}

}  // namespace xag::rt::autodiff
