// Eager execution: infer the result's spec, get an output buffer (reused when allowed), then call
// the op family's CPU kernel. Ops whose output shape depends on input values (range, shapes given
// as tensors, subscripts with tensor indices) resolve it here before allocating.
#include <cstring>
#include <vector>

#include "runtime/cpu/kernels.h"
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

// Shape given by an integer vector tensor (zeros(shape_tensor), reshape(x, shape_tensor)).
Shape shape_from_tensor(OpKind op, const Tensor& t) {
  const Tensor v = t.cast(DType::Int64);
  const int64_t* p = v.data<int64_t>();
  Shape s;
  for (int64_t i = 0; i < v.num_elements(); ++i) {
    if (p[i] < -1) op_error(op, "negative dimension " + std::to_string(p[i]) + " in shape");
    s.push_back(p[i]);
  }
  return s;
}

Shape concrete_reshape(const Tensor& x, Shape target) {
  int at = -1;
  int64_t known = 1;
  for (int i = 0; i < target.rank(); ++i) {
    if (target[i] == -1) {
      if (at >= 0) op_error(OpKind::Reshape, "can only specify one unknown dimension (-1)");
      at = i;
    } else {
      known *= target[i];
    }
  }
  const int64_t total = x.num_elements();
  if (at >= 0) {
    if (known == 0 || total % known != 0) {
      op_error(OpKind::Reshape, "cannot reshape a tensor of shape " + x.shape().to_string() +
                                    " into shape " + target_str(target));
    }
    target[at] = total / known;
  }
  if (target.num_elements() != total) {
    op_error(OpKind::Reshape, "cannot reshape a tensor of shape " + x.shape().to_string() + " (" +
                                  std::to_string(total) + " elements) into shape " +
                                  target_str(target));
  }
  return target;
}

// Leading indices followed by whole trailing dims select one contiguous block (x[t] on a batch of
// matrices): returns true with the block's element offset, so getitem can return a view.
bool contiguous_block(const Shape& in, const SlicePlan& plan, int64_t* offset) {
  bool kept[Shape::kMaxRank] = {};
  int prev = -1;
  for (int j = 0; j < plan.out_shape.rank(); ++j) {
    const int d = plan.src_dim[j];
    if (d < 0) continue;  // new axes do not move data
    if (d <= prev || plan.start[d] != 0 || plan.step[d] != 1 || plan.out_shape[j] != in[d])
      return false;
    prev = d;
    kept[d] = true;
  }
  int first_kept = in.rank();
  for (int d = 0; d < in.rank(); ++d) {
    if (kept[d]) {
      first_kept = d;
      break;
    }
  }
  for (int d = first_kept; d < in.rank(); ++d)
    if (!kept[d]) return false;
  int64_t stride = 1, off = 0;
  for (int d = in.rank() - 1; d >= 0; --d) {
    if (d < first_kept) off += plan.start[d] * stride;
    stride *= in[d];
  }
  *offset = off;
  return true;
}

// `out` keeps its storage when it already matches and nobody else can observe the write.
bool can_reuse(const Tensor& out, const TensorSpec& spec, const Tensor* in, size_t n) {
  if (!out.defined() || out.dtype() != spec.dtype || out.shape() != spec.shape) return false;
  if (!out.is_exclusively_owned()) return false;
  for (size_t i = 0; i < n; ++i)
    if (&in[i] == &out || out.shares_buffer_with(in[i])) return false;
  return true;
}

void execute(OpKind op, const Tensor* in, size_t n, const OpAttrs& a, const TensorSpec& spec,
             Tensor& out) {
  switch (op_category(op)) {
    case OpCategory::Unary:
      return cpu::unary(op, in[0], out);
    case OpCategory::Binary:
    case OpCategory::Compare:
      return cpu::binary(op, in[0], in[1], out);
    case OpCategory::Logical:
      if (n == 1) return cpu::logical_unary(op, in[0], out);
      return cpu::binary(op, in[0], in[1], out);
    case OpCategory::Reduce:
      if (op == OpKind::ArgMax || op == OpKind::ArgMin) return cpu::arg_reduce(op, in[0], a, out);
      return cpu::reduce(op, in[0], a, out);
    case OpCategory::Linalg:
      return cpu::matmul(in[0], in[1], out);
    case OpCategory::Nn:
      return cpu::softmax(in[0], normalize_axis(a.has_axis ? a.axis : -1, in[0].rank(), "softmax"),
                          out);
    case OpCategory::Random:
      return cpu::random(op, a, out);
    default:
      break;
  }
  switch (op) {
    case OpKind::Where:
      return cpu::where(in[0], in[1], in[2], out);
    case OpKind::ClipByValue: {
      // minimum(maximum(x, lo), hi) in the promoted dtype; NaN in x propagates like NumPy's clip.
      TensorSpec lo_spec{spec.dtype,
                         broadcast_shapes(in[0].shape(), in[1].shape(), "clip_by_value")};
      Tensor lo = Tensor::empty(lo_spec.dtype, lo_spec.shape);
      cpu::binary(OpKind::Maximum, in[0].cast(spec.dtype), in[1].cast(spec.dtype), lo);
      return cpu::binary(OpKind::Minimum, lo, in[2].cast(spec.dtype), out);
    }
    case OpKind::Cast:
      return cpu::cast(in[0], out);
    case OpKind::Transpose:
      return cpu::transpose(in[0], a, out);
    case OpKind::Concat:
      return cpu::concat(in, n, a.axis, false, out);
    case OpKind::Stack:
      return cpu::concat(in, n, a.axis, true, out);
    case OpKind::Gather:
      return cpu::gather(in[0], in[1], a.axis, out);
    case OpKind::Size:
      *out.data<int32_t>() = static_cast<int32_t>(in[0].num_elements());
      return;
    case OpKind::ShapeOf:
      for (int i = 0; i < in[0].rank(); ++i)
        out.data<int32_t>()[i] = static_cast<int32_t>(in[0].shape()[i]);
      return;
    case OpKind::Zeros:
    case OpKind::ZerosLike:
      std::memset(out.raw_data(), 0, out.nbytes());
      return;
    case OpKind::Ones:
    case OpKind::OnesLike:
      return cpu::fill(Tensor::scalar(true), out);
    case OpKind::Fill:
      return cpu::fill(in[n - 1], out);
    case OpKind::Range:
      return cpu::range(in[0], in[1], in[2], out);
    case OpKind::OneHot:
      return cpu::one_hot(in[0], a, out);
    default:
      throw InternalError(std::string("run: no CPU kernel for op ") + op_name(op));
  }
}

// getitem resolves its subscript against the concrete shape and index values directly (no
// separate inference pass): it is the hot op of loops like `for i in range(n): x[i]`.
void run_getitem(const Tensor* in, size_t n, const OpAttrs& a, Tensor& out) {
  const OpKind op = OpKind::GetItem;
  if (n < 1) op_error(op, "needs the tensor to index");
  for (size_t i = 1; i < n; ++i) {
    if (!is_integer(in[i].dtype()) || in[i].rank() != 0) {
      op_error(op, "a tensor index must be an integer scalar, got " +
                       describe(in[i].dtype(), in[i].shape()));
    }
  }
  TensorSpec spec{in[0].dtype(), Shape{}};
  int64_t dyn_small[8];
  std::vector<int64_t> dyn_big;
  int64_t* dyn = dyn_small;
  if (n - 1 > 8) {
    dyn_big.resize(n - 1);
    dyn = dyn_big.data();
  }
  for (size_t i = 1; i < n; ++i) dyn[i - 1] = in[i].item<int64_t>();
  const SlicePlan plan = resolve_slices(in[0].shape(), a.slices, dyn, n - 1);
  spec.shape = plan.out_shape;
  int64_t offset;
  if (contiguous_block(in[0].shape(), plan, &offset)) {
    out = in[0].view(spec.shape, offset);  // x[i], x[t] on batches: no copy
    return;
  }
  Tensor fresh;
  const bool reuse = can_reuse(out, spec, in, n);
  if (!reuse) fresh = Tensor::empty(spec.dtype, spec.shape);
  cpu::getitem(in[0], plan, reuse ? out : fresh);
  if (!reuse) out = std::move(fresh);
  return;
}

}  // namespace

void run_into(OpKind op, const Tensor* in, size_t n, const OpAttrs& a, Tensor& out) {
  // Scalar arithmetic and comparisons (the bulk of staged loop counters) skip inference.
  if (n == 2 && in[0].defined() && in[1].defined() && cpu::binary_scalar(op, in[0], in[1], out))
    return;
  if (n == 1 && in[0].defined() && cpu::unary_scalar(op, in[0], a, out)) return;
  if (op == OpKind::GetItem) {
    for (size_t i = 0; i < n; ++i)
      if (!in[i].defined()) op_error(op, "input " + std::to_string(i) + " is an undefined tensor");
    return run_getitem(in, n, a, out);
  }
  TensorSpec small[4];
  std::vector<TensorSpec> big;
  TensorSpec* specs = small;
  if (n > 4) {
    big.resize(n);
    specs = big.data();
  }
  for (size_t i = 0; i < n; ++i) {
    if (!in[i].defined()) {
      op_error(op, "input " + std::to_string(i) + " is an undefined tensor");
    }
    specs[i] = {in[i].dtype(), in[i].shape()};
  }
  TensorSpec spec = infer(op, specs, n, a);

  // Views and value-dependent shapes.
  switch (op) {
    case OpKind::Identity:
      out = in[0];
      return;
    case OpKind::Reshape:
      out =
          in[0].reshaped(concrete_reshape(in[0], n == 2 ? shape_from_tensor(op, in[1]) : a.shape));
      return;
    case OpKind::Zeros:
    case OpKind::Ones:
    case OpKind::RandomUniform:
    case OpKind::RandomNormal:
      if (n == 1) spec.shape = shape_from_tensor(op, in[0]);
      break;
    case OpKind::Fill:
      if (n == 2) spec.shape = shape_from_tensor(op, in[0]);
      break;
    case OpKind::Range:
      spec.shape = Shape{cpu::range_length(in[0], in[1], in[2])};
      break;
    default:
      break;
  }
  for (int64_t d : spec.shape) {
    if (d < 0) op_error(op, "negative dimensions are not allowed: " + spec.shape.to_string());
  }
  if (can_reuse(out, spec, in, n)) {
    execute(op, in, n, a, spec, out);
    return;
  }
  Tensor fresh = Tensor::empty(spec.dtype, spec.shape);
  execute(op, in, n, a, spec, fresh);
  out = std::move(fresh);
}

Tensor run(OpKind op, const Tensor* in, size_t n, const OpAttrs& a) {
  Tensor out;
  run_into(op, in, n, a, out);
  return out;
}

}  // namespace xag::rt
