// The CUDA backend's op dispatcher: each row of op_kinds.def to its kernel family, or to the
// declared host fallback (coverage.h). Element-wise ops convert operands to the compute dtype of
// dtype_rules.h (the same as the CPU's) and launch the kernel of the row's functor.
#include "runtime/backend/cuda/cuda_ops.h"

#include <cstring>
#include <vector>

#include "runtime/backend/cpu_backend.h"
#include "runtime/backend/cuda/coverage.h"
#include "runtime/backend/cuda/cuda_status.h"
#include "runtime/core/errors.h"
#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/elementwise.h"

namespace xag::rt::cuda {

ScalarValue scalar_value(const Tensor& t) {
  ScalarValue v{};
  switch (t.dtype()) {
    case DType::Bool:
      v.b = t.item<bool>();
      break;
    case DType::Int32:
      v.i32 = t.item<int32_t>();
      break;
    case DType::Int64:
      v.i64 = t.item<int64_t>();
      break;
    case DType::Float32:
      v.f32 = t.item<float>();
      break;
    case DType::Float64:
      v.f64 = t.item<double>();
      break;
    case DType::String:
      string_unsupported();  // placement keeps string ops on the host
  }
  return v;
}

void run_on_host(CudaBackend& b, const OpCall& call, Tensor& out) {
  std::vector<Tensor> host(call.n);
  for (size_t i = 0; i < call.n; ++i)
    if (call.in[i].defined()) host[i] = call.in[i].host();
  OpCall c = call;
  c.in = host.data();
  Tensor result = Tensor::empty(out.dtype(), out.shape());
  run_cpu_op(c, result);
  b.copy_from_host(out.raw_data(), result.raw_data(), result.nbytes());
}

Tensor to_dtype(CudaBackend& b, const Tensor& t, DType dt) {
  if (t.dtype() == dt) return t;
  if (t.on_host()) return t.cast(dt);  // a 0-d scalar
  Tensor r = b.empty(dt, t.shape());
  if (t.num_elements()) {
    check(launch_cast(t.dtype(), t.raw_data(), dt, r.raw_data(), t.num_elements(), b.stream()),
          "cast", b.name());
  }
  return r;
}

Tensor device_indices(CudaBackend& b, const Tensor& t) {
  Tensor idx = to_dtype(b, t, DType::Int64);
  return idx.on_host() ? idx.to(b.id()) : idx;
}

void around_axis(const Shape& s, int axis, int64_t* outer, int64_t* inner) {
  *outer = *inner = 1;
  for (int d = 0; d < axis; ++d) *outer *= s[d];
  for (int d = axis + 1; d < s.rank(); ++d) *inner *= s[d];
}

EwOperand operand(const Tensor& t, const Shape& shape) {
  EwOperand o;
  if (t.on_host()) {
    o.value = scalar_value(t);
    return o;
  }
  o.data = t.raw_data();
  o.dense = t.shape() == shape;
  if (!o.dense) o.plan = broadcast_plan(t.shape(), shape);
  return o;
}

namespace {

// Integer division, modulo and powers report bad values through a device flag of their own,
// read at the next synchronization (CudaBackend::check_faults), not after each op.
bool can_fault(OpKind op, DType ct) {
  const auto traits = elementwise_traits(op);
  return traits && traits->can_fault && !is_floating(ct);
}

void fill(CudaBackend& b, const Tensor& value, Tensor& out) {
  const Tensor v = value.host().cast(out.dtype());
  check(launch_fill(out.raw_data(), out.dtype(), scalar_value(v), out.num_elements(), b.stream()),
        "fill", b.name());
}

// Returns false for the host fallback.
bool run_kernel(CudaBackend& b, const OpCall& c, Tensor& out) {
  const Tensor* in = c.in;
  const OpKind op = c.op;
  const OpAttrs& a = *c.attrs;
  switch (op_category(op)) {
    case OpCategory::Unary:
      unary_into(b, op, in[0], out, c);
      return true;
    case OpCategory::Logical:
      if (c.n == 1) {
        unary_into(b, op, in[0], out, c);
        return true;
      }
      [[fallthrough]];
    case OpCategory::Binary:
    case OpCategory::Compare:
      binary_into(b, op, in[0], in[1], out, c);
      return true;
    case OpCategory::Reduce:
      return reduce_op(b, c, out);
    case OpCategory::Linalg:
      return matmul(b, in[0], in[1], out);
    case OpCategory::Nn:
      return softmax(b, c, out);
    default:
      break;
  }
  switch (op) {
    case OpKind::Where: {
      const Tensor cond = to_dtype(b, in[0], DType::Bool);
      const Tensor x = to_dtype(b, in[1], out.dtype()), y = to_dtype(b, in[2], out.dtype());
      const Shape& s = out.shape();
      check(launch_where(operand(cond, s), operand(x, s), operand(y, s), out.dtype(),
                         out.raw_data(), out.num_elements(), b.stream()),
            "where", b.name());
      return true;
    }
    case OpKind::ClipByValue: {
      Tensor lo = b.empty(out.dtype(), broadcast_shapes(in[0].shape(), in[1].shape(), "clip"));
      binary_into(b, OpKind::Maximum, to_dtype(b, in[0], out.dtype()),
                  to_dtype(b, in[1], out.dtype()), lo, c);
      binary_into(b, OpKind::Minimum, lo, to_dtype(b, in[2], out.dtype()), out, c);
      return true;
    }
    case OpKind::Cast: {
      const Tensor r = to_dtype(b, in[0], out.dtype());
      if (r.on_host())
        b.copy_from_host(out.raw_data(), r.raw_data(), r.nbytes());
      else
        b.copy_on_device(out.raw_data(), r.raw_data(), r.nbytes());
      return true;
    }
    case OpKind::Transpose:
      strided_copy(b, in[0], transpose_plan(in[0].shape(), a.perm), out);
      return true;
    case OpKind::GetItem:
      strided_copy(b, in[0], slice_plan(in[0].shape(), *c.plan), out);
      return true;
    case OpKind::BroadcastLike:
      strided_copy(b, in[0], broadcast_like_plan(in[0].shape(), a, out.shape()), out);
      return true;
    case OpKind::SumToLike:
      return sum_to_like(b, in[0], out);
    case OpKind::Concat:
    case OpKind::Stack:
      return concat(b, c, op == OpKind::Stack, out);
    case OpKind::Gather:
      return gather(b, c, out);
    case OpKind::GetItemGrad:
      return getitem_grad(b, c, out);
    case OpKind::GatherGrad:
      return gather_grad(b, c, out);
    case OpKind::OneHot:
      return one_hot(b, c, out);
    case OpKind::RandomUniform:
    case OpKind::RandomNormal:
      return random(b, c, out);
    case OpKind::Zeros:
    case OpKind::ZerosLike:
      check(cudaMemsetAsync(out.raw_data(), 0, out.nbytes(), b.stream()), "zeros", b.name());
      return true;
    case OpKind::Ones:
    case OpKind::OnesLike:
      fill(b, Tensor::scalar(true), out);
      return true;
    case OpKind::Fill:
      fill(b, in[c.n - 1], out);
      return true;
    default:
      throw InternalError(std::string("gpu: no CUDA kernel for op ") + op_name(op));
  }
}

bool any_empty(const OpCall& c, const Tensor& out) {
  if (out.num_elements() == 0) return true;
  for (size_t i = 0; i < c.n; ++i)
    if (c.in[i].defined() && c.in[i].num_elements() == 0) return true;
  return false;
}

}  // namespace

void unary_into(CudaBackend& b, OpKind op, const Tensor& x0, Tensor& out, const OpCall& call) {
  const DType ct = compute_dtype(op, x0.dtype());
  const Tensor x = to_dtype(b, x0, ct);
  int* fault = can_fault(op, ct) ? b.defer_fault_check(call, out) : b.fault_flag();
  check(launch_unary(op, ct, operand(x, out.shape()), out.raw_data(), out.num_elements(), fault,
                     b.stream()),
        op_name(op), b.name());
}

void binary_into(CudaBackend& b, OpKind op, const Tensor& x0, const Tensor& y0, Tensor& out,
                 const OpCall& call) {
  const DType ct = compute_dtype(op, x0.dtype(), y0.dtype());
  const Tensor x = to_dtype(b, x0, ct), y = to_dtype(b, y0, ct);
  int* fault = can_fault(op, ct) ? b.defer_fault_check(call, out) : b.fault_flag();
  check(launch_binary(op, ct, operand(x, out.shape()), operand(y, out.shape()), out.raw_data(),
                      out.num_elements(), fault, b.stream()),
        op_name(op), b.name());
}

void run_cuda_op(CudaBackend& b, const OpCall& c, Tensor& out) {
  b.activate();
  try {
    // Empty tensors cost nothing on the host and keep the CPU's exact results and errors.
    if (cuda_coverage(c.op).path != CudaPath::Kernel || any_empty(c, out) ||
        !run_kernel(b, c, out)) {
      run_on_host(b, c, out);
    }
  } catch (const OutOfMemoryError& e) {
    throw OutOfMemoryError(std::string(op_name(c.op)) + ": " + e.what());
  } catch (const DeviceError& e) {
    throw DeviceError(std::string(op_name(c.op)) + ": " + e.what());
  }
}

}  // namespace xag::rt::cuda

namespace xag::rt::cuda {

void CudaBackend::run_op(const OpCall& call, Tensor& out) {
  run_cuda_op(*this, call, out);
}

}  // namespace xag::rt::cuda
