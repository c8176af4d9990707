// The CPU backend: each op family's kernel from runtime/cpu (the switch the eager dispatcher used
// to hold), host memory, memcpy for copies, and exec's fused evaluator.
#include "runtime/backend/cpu_backend.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "runtime/cpu/kernels.h"
#include "runtime/exec/fused_eval.h"
#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/slice_plan.h"
#include "runtime/ops/strings_ops.h"

namespace xag::rt {

void run_cpu_op(const OpCall& c, Tensor& out) {
  const Tensor* in = c.in;
  const size_t n = c.n;
  const OpAttrs& a = *c.attrs;
  const OpKind op = c.op;
  if (__builtin_expect(c.spec->dtype == DType::String || (n && in[0].dtype() == DType::String),
                       0) &&
      run_string_op(c, out)) {
    return;
  }
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
    case OpKind::GetItem:
      return cpu::getitem(in[0], *c.plan, out);
    case OpKind::Where:
      return cpu::where(in[0], in[1], in[2], out);
    case OpKind::ClipByValue: {
      // minimum(maximum(x, lo), hi) in the promoted dtype; NaN in x propagates like NumPy's clip.
      const DType dt = c.spec->dtype;
      Tensor lo =
          Tensor::empty(dt, broadcast_shapes(in[0].shape(), in[1].shape(), "clip_by_value"));
      cpu::binary(OpKind::Maximum, in[0].cast(dt), in[1].cast(dt), lo);
      return cpu::binary(OpKind::Minimum, lo, in[2].cast(dt), out);
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
    case OpKind::SumToLike:
      return cpu::sum_to_like(in[0], out);
    case OpKind::BroadcastLike:
      return cpu::broadcast_like(in[0], a, out);
    case OpKind::GetItemGrad:
      return cpu::getitem_grad(in, n, a, out);
    case OpKind::GatherGrad:
      return cpu::gather_grad(in[0], in[1], a.axis, out);
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
    case OpKind::Cumsum:
    case OpKind::ArgSort:
      return (op == OpKind::Cumsum ? cpu::cumsum : cpu::argsort)(
          in[0], normalize_axis(scan_axis(op, a), in[0].rank(), op_name(op)), out);
    default:
      throw InternalError(std::string("run: no CPU kernel for op ") + op_name(op));
  }
}

void* CpuBackend::allocate(size_t bytes) {
  const size_t rounded = (bytes + Tensor::kAlignment - 1) / Tensor::kAlignment * Tensor::kAlignment;
  void* p = std::aligned_alloc(Tensor::kAlignment, rounded ? rounded : Tensor::kAlignment);
  if (!p) throw std::bad_alloc();
  return p;
}

void CpuBackend::deallocate(void* p, size_t) noexcept {
  std::free(p);
}

void CpuBackend::copy_from_host(void* dst, const void* host_src, size_t bytes) {
  if (bytes) std::memcpy(dst, host_src, bytes);
}

void CpuBackend::copy_to_host(void* host_dst, const void* src, size_t bytes) {
  if (bytes) std::memcpy(host_dst, src, bytes);
}

void CpuBackend::copy_on_device(void* dst, const void* src, size_t bytes) {
  if (bytes) std::memcpy(dst, src, bytes);
}

bool CpuBackend::run_fused(const FusedProgram& prog, const Tensor* in, size_t n, Tensor& out) {
  exec::run_fused(prog, in, n, out);
  return true;
}

}  // namespace xag::rt
