// Host side of the rows construct_kernels.cu covers: argmax/argmin, one_hot, gather_grad and
// random draws. Each returns false to ask for the host fallback (bool gather_grad).
#include "runtime/backend/cuda/cuda_ops.h"
#include "runtime/backend/cuda/cuda_status.h"
#include "runtime/cpu/kernels.h"

namespace xag::rt::cuda {

bool arg_reduce(CudaBackend& b, const OpCall& c, Tensor& out) {
  const Tensor& x = c.in[0];
  if (x.on_host()) return false;  // a 0-d scalar: the host answers 0
  const OpAttrs& a = *c.attrs;
  // Rows along the reduced axis, contiguous: the axis moved last (a strided copy) unless it is.
  Tensor rows_first = x;
  int64_t cols = x.num_elements();
  if (a.has_axis) {
    const int axis = normalize_axis(a.axis, x.rank(), op_name(c.op));
    cols = x.shape()[axis];
    if (axis != x.rank() - 1) {
      AxisList perm;
      for (int d = 0; d < x.rank(); ++d)
        if (d != axis) perm.push_back(d);
      perm.push_back(axis);
      Shape moved;
      for (int64_t d : perm) moved.push_back(x.shape()[static_cast<int>(d)]);
      rows_first = b.empty(x.dtype(), moved);
      strided_copy(b, x, transpose_plan(x.shape(), perm), rows_first);
    }
  }
  check(launch_arg_reduce(c.op, x.dtype(), rows_first.raw_data(),
                          static_cast<int64_t*>(out.raw_data()), out.num_elements(), cols,
                          b.stream()),
        op_name(c.op), b.name());
  return true;
}

bool one_hot(CudaBackend& b, const OpCall& c, Tensor& out) {
  const OpAttrs& a = *c.attrs;
  const Tensor idx = device_indices(b, c.in[0]);
  const Shape& is = c.in[0].shape();
  const int64_t ax = a.has_axis ? a.axis : -1;
  const int axis = ax == -1 ? is.rank() : normalize_axis(ax, is.rank() + 1, "one_hot");
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= is[d];
  for (int d = axis; d < is.rank(); ++d) inner *= is[d];
  // on/off converted on the host exactly as the CPU kernel converts them.
  const ScalarValue on = scalar_value(Tensor::scalar<double>(a.value_b).cast(out.dtype()));
  const ScalarValue off = scalar_value(Tensor::scalar<double>(a.value_a).cast(out.dtype()));
  check(launch_one_hot(static_cast<const int64_t*>(idx.raw_data()), out.raw_data(),
                       dtype_size(out.dtype()), on, off, outer, a.depth, inner, b.stream()),
        "one_hot", b.name());
  return true;
}

bool gather_grad(CudaBackend& b, const OpCall& c, Tensor& out) {
  const Tensor& dy = c.in[0];
  if (dy.on_host() || dy.dtype() == DType::Bool) return false;
  const Shape& xs = out.shape();
  const int axis = normalize_axis(c.attrs->axis, xs.rank(), "gather_grad");
  int64_t outer, inner;
  around_axis(xs, axis, &outer, &inner);
  const Tensor idx = device_indices(b, c.in[1]);
  if (dy.num_elements() != outer * idx.num_elements() * inner) return false;  // the CPU raises
  check(cudaMemsetAsync(out.raw_data(), 0, out.nbytes(), b.stream()), "gather_grad", b.name());
  check(launch_gather_grad(dy.dtype(), dy.raw_data(), static_cast<const int64_t*>(idx.raw_data()),
                           out.raw_data(), outer, xs[axis], idx.num_elements(), inner,
                           b.fault_flag(), b.fault_value(), b.stream()),
        "gather_grad", b.name());
  int flag = 0;
  int64_t bad = 0;
  b.read_fault(&flag, &bad);
  return flag == 0;  // a bad index: the host fallback raises the CPU's message
}

bool random(CudaBackend& b, const OpCall& c, Tensor& out) {
  const OpAttrs& a = *c.attrs;
  // The seed as the CPU draws it (an unseeded draw takes the next of the process's sequence).
  const uint64_t seed = cpu::random_seed(a);
  check(launch_random(c.op, out.dtype(), out.raw_data(), out.num_elements(), seed, a.value_a,
                      a.value_b, b.stream()),
        op_name(c.op), b.name());
  return true;
}

}  // namespace xag::rt::cuda
