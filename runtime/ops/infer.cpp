// Static dtype/shape inference, one rule per op. The CPU kernels run the same rules on concrete
// shapes (run() calls infer() first), so the graph and eager mode cannot disagree.
#include <cmath>
#include <string>

#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/ops.h"
#include "runtime/ops/slice_plan.h"

namespace xag::rt {

namespace {

// A reshape target as the user wrote it: -1 stays -1 (Shape::to_string would print None).
std::string target_str(const Shape& s) {
  std::string out = "(";
  for (int i = 0; i < s.rank(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + (s.rank() == 1 ? ",)" : ")");
}

void check_arity(OpKind op, size_t n) {
  const int arity = op_arity(op);
  if (arity >= 0 && static_cast<size_t>(arity) != n) {
    op_error(op, "expects " + std::to_string(arity) + " input" + (arity == 1 ? "" : "s") +
                     ", got " + std::to_string(n));
  }
}

void check_int_dtype(OpKind op, const TensorSpec& s, const char* what) {
  if (!is_integer(s.dtype)) {
    op_error(op,
             std::string(what) + " must be an integer tensor, got " + describe(s.dtype, s.shape));
  }
}

void check_scalar(OpKind op, const TensorSpec& s, const char* what) {
  if (s.shape.rank() != 0) {
    op_error(op, std::string(what) + " must be a scalar, got " + describe(s.dtype, s.shape));
  }
}

// Axes of a reduction, normalized and flagged; throws on out-of-range or repeated axes.
void reduce_axes(OpKind op, const OpAttrs& a, int rank, bool* reduced) {
  for (int i = 0; i < rank; ++i) reduced[i] = !a.has_axes;
  if (!a.has_axes) return;
  for (int64_t ax : a.axes) {
    const int k = normalize_axis(ax, rank, op_name(op));
    if (reduced[k]) op_error(op, "duplicate value in 'axis': " + std::to_string(ax));
    reduced[k] = true;
  }
}

Shape reduced_shape(OpKind op, const Shape& in, const OpAttrs& a) {
  bool reduced[Shape::kMaxRank];
  reduce_axes(op, a, in.rank(), reduced);
  Shape out;
  for (int i = 0; i < in.rank(); ++i) {
    if (!reduced[i])
      out.push_back(in[i]);
    else if (a.keepdims)
      out.push_back(1);
  }
  return out;
}

TensorSpec infer_matmul(OpKind op, const TensorSpec& a, const TensorSpec& b) {
  if (a.shape.rank() == 0 || b.shape.rank() == 0) {
    op_error(op, "operands must have at least one dimension, got shapes " + a.shape.to_string() +
                     " and " + b.shape.to_string() + " (use multiply for scalars)");
  }
  Shape sa = a.shape, sb = b.shape;
  const bool vec_a = sa.rank() == 1, vec_b = sb.rank() == 1;
  if (vec_a) sa.insert(0, 1);
  if (vec_b) sb.push_back(1);
  const int64_t ka = sa[sa.rank() - 1], kb = sb[sb.rank() - 2];
  if (ka >= 0 && kb >= 0 && ka != kb) {
    op_error(op, "shapes " + a.shape.to_string() + " and " + b.shape.to_string() +
                     " are not aligned: " + std::to_string(ka) +
                     " (last dim of the first) != " + std::to_string(kb) + " (" +
                     (vec_b ? "dim 0" : "second-to-last dim") + " of the second)");
  }
  Shape ba(sa.data(), sa.rank() - 2), bb(sb.data(), sb.rank() - 2);
  auto batch = try_broadcast_shapes(ba, bb);
  if (!batch) {
    op_error(op, "batch dimensions of shapes " + a.shape.to_string() + " and " +
                     b.shape.to_string() + " cannot be broadcast together");
  }
  Shape out = *batch;
  if (!vec_a) out.push_back(sa[sa.rank() - 2]);
  if (!vec_b) out.push_back(sb[sb.rank() - 1]);
  return {promote(a.dtype, b.dtype), out};
}

// random_normal makes floats; random_uniform also integers in [value_a, value_b) (TensorFlow's
// minval/maxval), which must then be a non-empty range of that dtype.
void check_random(OpKind op, DType dt, const OpAttrs& a) {
  const bool ints = op == OpKind::RandomUniform && (dt == DType::Int32 || dt == DType::Int64);
  if (!is_floating(dt) && !ints) {
    op_error(op, std::string("dtype must be float32 or float64") +
                     (op == OpKind::RandomUniform ? ", int32 or int64" : "") + ", got " +
                     dtype_name(dt));
  }
  if (!ints) return;
  // maxval is exclusive: 2^31 is fine for int32; for int64 the largest double below 2^63.
  const double lo = dt == DType::Int32 ? -2147483648.0 : -9223372036854775808.0;
  const double hi = dt == DType::Int32 ? 2147483648.0 : 9223372036854774784.0;
  if (a.value_a != std::floor(a.value_a) || a.value_b != std::floor(a.value_b) || a.value_a < lo ||
      a.value_b > hi) {
    op_error(op, std::string("minval and maxval must be ") + dtype_name(dt) + " values, got " +
                     std::to_string(a.value_a) + " and " + std::to_string(a.value_b));
  }
  if (!(a.value_a < a.value_b)) {
    op_error(op, "need minval < maxval for an integer dtype, got " +
                     std::to_string(static_cast<int64_t>(a.value_a)) +
                     " >= " + std::to_string(static_cast<int64_t>(a.value_b)));
  }
}

// Shape from attrs, or from an int vector input (dims then unknown until run time).
Shape shape_arg(OpKind op, const TensorSpec* shape_input, const OpAttrs& a) {
  if (!shape_input) {
    for (int64_t d : a.shape)
      if (d < 0) op_error(op, "negative dimensions are not allowed: " + a.shape.to_string());
    return a.shape;
  }
  check_int_dtype(op, *shape_input, "shape");
  if (shape_input->shape.rank() > 1) {
    op_error(op, "shape must be a vector of ints, got " +
                     describe(shape_input->dtype, shape_input->shape));
  }
  const int64_t r = shape_input->shape.rank() == 0 ? 1 : shape_input->shape[0];
  if (r < 0) op_error(op, "the length of the shape vector must be known when the graph is built");
  Shape s;
  for (int64_t i = 0; i < r; ++i) s.push_back(kUnknownDim);
  return s;
}

Shape reshape_target(OpKind op, const Shape& in, const Shape& target) {
  Shape out = target;
  int infer_at = -1;
  int64_t known = 1;
  for (int i = 0; i < out.rank(); ++i) {
    if (out[i] == -1) {
      if (infer_at >= 0) op_error(op, "can only specify one unknown dimension (-1)");
      infer_at = i;
    } else if (out[i] < 0) {
      op_error(op, "invalid target shape " + target_str(target));
    } else {
      known *= out[i];
    }
  }
  const int64_t total = in.num_elements();
  if (total < 0) return out;  // -1 stays unknown until run time
  if (infer_at >= 0) {
    if (known == 0 || total % known != 0) {
      op_error(op, "cannot reshape a tensor of shape " + in.to_string() + " into shape " +
                       target_str(target));
    }
    out[infer_at] = total / known;
  } else if (known != total) {
    op_error(op, "cannot reshape a tensor of shape " + in.to_string() + " (" +
                     std::to_string(total) + " elements) into shape " + target_str(target));
  }
  return out;
}

TensorSpec infer_concat(OpKind op, const TensorSpec* in, size_t n, const OpAttrs& a) {
  if (n == 0) op_error(op, "needs at least one tensor");
  const bool stack = op == OpKind::Stack;
  const int rank = in[0].shape.rank();
  if (!stack && rank == 0) op_error(op, "zero-dimensional tensors cannot be concatenated");
  Shape common = in[0].shape;
  const int out_rank = stack ? rank + 1 : rank;
  const int axis = normalize_axis(a.axis, out_rank, op_name(op));
  int64_t axis_total = 0;
  for (size_t i = 0; i < n; ++i) {
    const Shape& s = in[i].shape;
    if (s.rank() != rank) {
      op_error(op, "all inputs must have the same rank; input 0 has shape " +
                       in[0].shape.to_string() + " and input " + std::to_string(i) + " has shape " +
                       s.to_string());
    }
    for (int d = 0; d < rank; ++d) {
      if (!stack && d == axis) continue;
      if (common[d] >= 0 && s[d] >= 0 && common[d] != s[d]) {
        op_error(op, std::string(stack ? "all inputs must have the same shape"
                                       : "dimensions off the concatenation axis must match") +
                         "; input 0 has shape " + in[0].shape.to_string() + " and input " +
                         std::to_string(i) + " has shape " + s.to_string());
      }
      if (common[d] < 0) common[d] = s[d];
    }
    if (!stack) axis_total = (axis_total < 0 || s[axis] < 0) ? kUnknownDim : axis_total + s[axis];
  }
  Shape out = common;
  if (stack)
    out.insert(axis, static_cast<int64_t>(n));
  else
    out[axis] = axis_total;
  return {result_dtype(op, in, n, a), out};
}

TensorSpec infer_gather(OpKind op, const TensorSpec& params, const TensorSpec& idx,
                        const OpAttrs& a) {
  check_int_dtype(op, idx, "indices");
  if (params.shape.rank() == 0) op_error(op, "params must have at least one dimension");
  const int axis = normalize_axis(a.axis, params.shape.rank(), op_name(op));
  Shape out;
  for (int d = 0; d < axis; ++d) out.push_back(params.shape[d]);
  for (int64_t d : idx.shape) out.push_back(d);
  for (int d = axis + 1; d < params.shape.rank(); ++d) out.push_back(params.shape[d]);
  return {result_dtype(op, &params, 1, a), out};
}

TensorSpec infer_getitem(OpKind op, const TensorSpec* in, size_t n, const OpAttrs& a) {
  if (n < 1) op_error(op, "needs the tensor to index");
  for (size_t i = 1; i < n; ++i) {
    check_int_dtype(op, in[i], "a tensor index");
    check_scalar(op, in[i], "a tensor index");
  }
  SlicePlan plan = resolve_slices(in[0].shape, a.slices, nullptr, n - 1);
  return {result_dtype(op, in, n, a), plan.out_shape};
}

// The gradient helpers' checks: `got` (what the op is given) must be `want` where both are known.
void check_same_dims(OpKind op, const Shape& got, const Shape& want, const char* what) {
  bool ok = got.rank() == want.rank();
  for (int d = 0; ok && d < got.rank(); ++d) ok = got[d] < 0 || want[d] < 0 || got[d] == want[d];
  if (!ok) {
    op_error(
        op, std::string(what) + " has shape " + got.to_string() + ", expected " + want.to_string());
  }
}

// `from` broadcasts to `to` (NumPy, right-aligned) where dims are known.
void check_broadcasts_to(OpKind op, const Shape& from, const Shape& to) {
  bool ok = from.rank() <= to.rank();
  for (int i = 1; ok && i <= from.rank(); ++i) {
    const int64_t f = from[from.rank() - i], t = to[to.rank() - i];
    ok = f == 1 || f < 0 || t < 0 || f == t;
  }
  if (!ok) {
    op_error(op, "shape " + from.to_string() + " does not broadcast to " + to.to_string());
  }
}

// sum_to_like, broadcast_like, getitem_grad, gather_grad: the result has the reference input's
// shape and the incoming gradient's dtype.
TensorSpec infer_grad_helper(OpKind op, const TensorSpec* in, size_t n, const OpAttrs& a) {
  const DType dt = result_dtype(op, in, n, a);
  switch (op) {
    case OpKind::SumToLike:
      check_broadcasts_to(op, in[1].shape, in[0].shape);
      return {dt, in[1].shape};
    case OpKind::BroadcastLike: {
      Shape g = in[0].shape;
      if (!a.keepdims) {
        const int rank = in[1].shape.rank();
        bool reduced[Shape::kMaxRank];
        reduce_axes(op, a, rank, reduced);
        int kept = 0;
        for (int d = 0; d < rank; ++d) kept += reduced[d] ? 0 : 1;
        if (g.rank() != kept) {
          op_error(op, "a gradient of shape " + g.to_string() + " cannot be the reduction of " +
                           in[1].shape.to_string() + " over the given axes");
        }
        for (int d = 0; d < rank; ++d)
          if (reduced[d]) g.insert(d, 1);
      }
      check_broadcasts_to(op, g, in[1].shape);
      return {dt, in[1].shape};
    }
    case OpKind::GetItemGrad: {
      if (n < 2) op_error(op, "needs the gradient and the indexed tensor");
      for (size_t i = 2; i < n; ++i) {
        check_int_dtype(op, in[i], "a tensor index");
        check_scalar(op, in[i], "a tensor index");
      }
      const SlicePlan plan = resolve_slices(in[1].shape, a.slices, nullptr, n - 2);
      check_same_dims(op, in[0].shape, plan.out_shape, "the gradient");
      return {dt, in[1].shape};
    }
    case OpKind::GatherGrad: {
      const TensorSpec want = infer_gather(op, in[2], in[1], a);
      check_same_dims(op, in[0].shape, want.shape, "the gradient");
      return {dt, in[2].shape};
    }
    default:
      throw InternalError(std::string("infer: not a gradient helper: ") + op_name(op));
  }
}
}  // namespace

TensorSpec infer(OpKind op, const TensorSpec* in, size_t n, const OpAttrs& a) {
  check_arity(op, n);
  switch (op_shape_rule(op)) {
    case ShapeRule::Same:
      return {result_dtype(op, in, n, a), in[0].shape};
    case ShapeRule::Broadcast: {
      const DType dt = result_dtype(op, in, n, a);  // dtype errors come first
      Shape s = in[0].shape;
      for (size_t i = 1; i < n; ++i) s = broadcast_shapes(s, in[i].shape, op_name(op));
      return {dt, s};
    }
    case ShapeRule::Reduce:
      return {result_dtype(op, in, n, a), reduced_shape(op, in[0].shape, a)};
    case ShapeRule::ArgReduce: {
      if (!a.has_axis) return {result_dtype(op, in, n, a), Shape{}};
      Shape s = in[0].shape;
      if (s.rank() == 0) {
        op_error(op, "axis " + std::to_string(a.axis) + " is out of bounds for a scalar");
      }
      s.erase(normalize_axis(a.axis, s.rank(), op_name(op)));
      return {result_dtype(op, in, n, a), s};
    }
    case ShapeRule::MatMul:
      return infer_matmul(op, in[0], in[1]);
    case ShapeRule::Custom:
      break;
  }
  switch (op) {
    case OpKind::Transpose: {
      const Shape& s = in[0].shape;
      if (a.perm.empty()) {
        Shape out;
        for (int i = s.rank() - 1; i >= 0; --i) out.push_back(s[i]);
        return {result_dtype(op, in, n, a), out};
      }
      if (a.perm.size() != s.rank()) {
        op_error(op, "perm has " + std::to_string(a.perm.size()) +
                         " entries but the tensor has shape " + s.to_string());
      }
      bool seen[Shape::kMaxRank] = {};
      Shape out;
      for (int64_t p : a.perm) {
        const int k = normalize_axis(p, s.rank(), op_name(op));
        if (seen[k]) op_error(op, "repeated axis in perm");
        seen[k] = true;
        out.push_back(s[k]);
      }
      return {result_dtype(op, in, n, a), out};
    }
    case OpKind::Reshape: {
      if (n < 1 || n > 2) op_error(op, "expects 1 or 2 inputs, got " + std::to_string(n));
      if (n == 2) return {result_dtype(op, in, n, a), shape_arg(op, &in[1], a)};
      return {result_dtype(op, in, n, a), reshape_target(op, in[0].shape, a.shape)};
    }
    case OpKind::Concat:
    case OpKind::Stack:
      return infer_concat(op, in, n, a);
    case OpKind::GetItem:
      return infer_getitem(op, in, n, a);
    case OpKind::Gather:
      return infer_gather(op, in[0], in[1], a);
    case OpKind::SumToLike:
    case OpKind::BroadcastLike:
    case OpKind::GetItemGrad:
    case OpKind::GatherGrad:
      return infer_grad_helper(op, in, n, a);
    case OpKind::Size:
    case OpKind::StringFormat:
      return {result_dtype(op, in, n, a), Shape{}};
    case OpKind::ShapeOf:
      return {result_dtype(op, in, n, a), Shape{in[0].shape.rank()}};
    case OpKind::Zeros:
    case OpKind::Ones:
    case OpKind::RandomUniform:
    case OpKind::RandomNormal: {
      if (n > 1) op_error(op, "expects 0 inputs or 1 shape tensor, got " + std::to_string(n));
      const DType dt = result_dtype(op, in, n, a);
      if (op_category(op) == OpCategory::Random) check_random(op, dt, a);
      return {dt, shape_arg(op, n == 1 ? &in[0] : nullptr, a)};
    }
    case OpKind::Fill: {
      if (n < 1 || n > 2)
        op_error(op, "expects (value) or (shape, value), got " + std::to_string(n) + " inputs");
      const TensorSpec& value = in[n - 1];
      check_scalar(op, value, "value");
      return {result_dtype(op, in, n, a), shape_arg(op, n == 2 ? &in[0] : nullptr, a)};
    }
    case OpKind::ZerosLike:
    case OpKind::OnesLike:
      return {result_dtype(op, in, n, a), in[0].shape};
    case OpKind::Range: {
      for (size_t i = 0; i < 3; ++i) {
        check_scalar(op, in[i], i == 0 ? "start" : i == 1 ? "limit" : "delta");
        if (in[i].dtype == DType::Bool) op_error(op, "bool arguments are not supported");
      }
      return {result_dtype(op, in, n, a), Shape{kUnknownDim}};
    }
    case OpKind::OneHot: {
      check_int_dtype(op, in[0], "indices");
      if (a.depth < 0) op_error(op, "depth must be non-negative, got " + std::to_string(a.depth));
      Shape s = in[0].shape;
      const int64_t ax = a.has_axis ? a.axis : -1;
      s.insert(ax == -1 ? s.rank() : normalize_axis(ax, s.rank() + 1, op_name(op)), a.depth);
      return {result_dtype(op, in, n, a), s};
    }
    case OpKind::Cumsum:
    case OpKind::ArgSort:
      if (in[0].shape.rank() == 0) op_error(op, "needs a tensor of rank >= 1, got a scalar");
      normalize_axis(scan_axis(op, a), in[0].shape.rank(), op_name(op));
      return {result_dtype(op, in, n, a), in[0].shape};
    case OpKind::Softmax:
      if (in[0].shape.rank() == 0) op_error(op, "needs a tensor of rank >= 1, got a scalar");
      normalize_axis(a.has_axis ? a.axis : -1, in[0].shape.rank(), op_name(op));
      return {result_dtype(op, in, n, a), in[0].shape};
    default:
      break;
  }
  throw InternalError(std::string("infer: no rule for op ") + op_name(op));
}

}  // namespace xag::rt
