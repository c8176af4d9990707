// Eager execution: infer the result's spec, get an output buffer (reused when allowed), then run
// the op on its device's backend. Ops whose output shape depends on input values (range, shapes
// given as tensors, subscripts with tensor indices) resolve it here before allocating.
//
// Placement (runtime/backend/placement.h): with every input on the host and no device scope
// anywhere, an op goes straight to the CPU kernels; otherwise run_placed copies the inputs to the
// placed device first and runs it there.
#include <cstring>
#include <vector>

#include "runtime/backend/cpu_backend.h"
#include "runtime/backend/placement.h"
#include "runtime/backend/registry.h"
#include "runtime/cpu/kernels.h"
#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/ops.h"
#include "runtime/ops/slice_plan.h"
#include "runtime/ops/strings_ops.h"

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
  const Tensor v = t.host().cast(DType::Int64);
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

// `out` keeps its storage when it already matches, is on `dev` and nobody else can observe the
// write.
bool can_reuse(const Tensor& out, const TensorSpec& spec, const Tensor* in, size_t n,
               DeviceId dev) {
  if (!out.defined() || out.dtype() != spec.dtype || out.shape() != spec.shape) return false;
  if (out.device() != dev || !out.is_exclusively_owned()) return false;
  for (size_t i = 0; i < n; ++i)
    if (&in[i] == &out || out.shares_buffer_with(in[i])) return false;
  return true;
}

Tensor fresh_on(DeviceId dev, const TensorSpec& spec) {
  return dev == kCpuDevice ? Tensor::empty(spec.dtype, spec.shape)
                           : backend(dev).empty(spec.dtype, spec.shape);
}

// Runs `c` (inputs on `dev`) into `out` (allocated on `dev`): the CPU kernels without a virtual
// call, other devices through their backend.
void execute(DeviceId dev, const OpCall& c, Tensor& out) {
  if (dev == kCpuDevice) return run_cpu_op(c, out);
  backend(dev).run_op(c, out);
}

// getitem resolves its subscript against the concrete shape and index values directly (no
// separate inference pass): it is the hot op of loops like `for i in range(n): x[i]`.
void run_getitem(DeviceId dev, const Tensor* in, size_t n, const OpAttrs& a, Tensor& out) {
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
  const bool reuse = can_reuse(out, spec, in, n, dev);
  if (!reuse) fresh = fresh_on(dev, spec);
  OpCall c{op, in, n, &a, &spec, &plan};
  execute(dev, c, reuse ? out : fresh);
  if (!reuse) out = std::move(fresh);
}

// Every defined input is on `dev`. Inlined into both callers: run_into's copy, with `dev` the
// constant kCpuDevice, is the CPU path without a call or device tests.
[[gnu::always_inline]] inline void run_on(DeviceId dev, OpKind op, const Tensor* in, size_t n,
                                          const OpAttrs& a, Tensor& out) {
  if (op == OpKind::GetItem) {
    for (size_t i = 0; i < n; ++i)
      if (!in[i].defined()) op_error(op, "input " + std::to_string(i) + " is an undefined tensor");
    return run_getitem(dev, in, n, a, out);
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
    case OpKind::StopGradient:
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
      spec.shape = Shape{cpu::range_length(in[0].host(), in[1].host(), in[2].host())};
      break;
    default:
      break;
  }
  for (int64_t d : spec.shape) {
    if (d < 0) op_error(op, "negative dimensions are not allowed: " + spec.shape.to_string());
  }
  const OpCall c{op, in, n, &a, &spec, nullptr};
  if (can_reuse(out, spec, in, n, dev)) return execute(dev, c, out);
  Tensor fresh = fresh_on(dev, spec);
  execute(dev, c, fresh);
  out = std::move(fresh);
}

// Off the fast path: the op runs on the placed device, its inputs copied there where they are
// elsewhere (the implicit copies where devices meet).
[[gnu::noinline]] void run_placed(OpKind op, const Tensor* in, size_t n, const OpAttrs& a,
                                  Tensor& out) {
  DeviceId dev = placed_device();
  if (dev != kCpuDevice && touches_strings(op, in, n)) dev = kCpuDevice;  // strings stay on host
  std::vector<Tensor> moved;
  const Tensor* on = inputs_on(dev, in, n, moved);
  if (dev == kCpuDevice) {
    if (n == 2 && on[0].defined() && on[1].defined() && cpu::binary_scalar(op, on[0], on[1], out))
      return;
    if (n == 1 && on[0].defined() && cpu::unary_scalar(op, on[0], a, out)) return;
  }
  run_on(dev, op, on, n, a, out);
}

}  // namespace

void run_into(OpKind op, const Tensor* in, size_t n, const OpAttrs& a, Tensor& out) {
  // The placement check (needs_placement) is spelled out for the two common arities, sharing
  // their test of n with the scalar fast paths: one OR of device ids and one compare.
  const unsigned scopes = detail::offhost_scopes();
  if (n == 2) {
    if (__builtin_expect((scopes | in[0].device() | in[1].device()) != 0, 0))
      return run_placed(op, in, n, a, out);
    // Scalar arithmetic and comparisons (the bulk of staged loop counters) skip inference.
    if (in[0].defined() && in[1].defined() && cpu::binary_scalar(op, in[0], in[1], out)) return;
  } else if (n == 1) {
    if (__builtin_expect((scopes | in[0].device()) != 0, 0)) return run_placed(op, in, n, a, out);
    if (in[0].defined() && cpu::unary_scalar(op, in[0], a, out)) return;
  } else if (needs_placement(in, n)) {
    return run_placed(op, in, n, a, out);
  }
  run_on(kCpuDevice, op, in, n, a, out);
}

Tensor run(OpKind op, const Tensor* in, size_t n, const OpAttrs& a) {
  Tensor out;
  run_into(op, in, n, a, out);
  return out;
}

}  // namespace xag::rt
