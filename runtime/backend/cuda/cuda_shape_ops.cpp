// Reductions, softmax and the data-movement ops of the CUDA backend: index plans
// (strided_plan.h) turned into strided copies, row reductions over reordered inputs, concat as
// 2-D copies.
#include <vector>

#include "runtime/backend/cuda/cuda_ops.h"
#include "runtime/backend/cuda/cuda_status.h"
#include "runtime/core/errors.h"

namespace xag::rt::cuda {

void strided_copy(CudaBackend& b, const Tensor& x, const StridedPlan& plan, Tensor& out) {
  if (plan.contiguous() && plan.offset == 0) {
    b.copy_on_device(out.raw_data(), x.raw_data(), out.nbytes());
    return;
  }
  check(launch_strided_copy(x.raw_data(), plan, out.raw_data(), dtype_size(x.dtype()), b.stream()),
        "strided copy", b.name());
}

bool reduce_into(CudaBackend& b, OpKind op, const Tensor& x, const bool* reduced, Tensor& out) {
  if (x.on_host()) return false;  // a 0-d scalar: nothing to fold
  const StridedPlan order = reduce_order_plan(x.shape(), reduced);
  Tensor rows_first = x;
  if (!order.contiguous()) {
    rows_first = b.empty(x.dtype(), x.shape());
    strided_copy(b, x, order, rows_first);
  }
  const int64_t rows = out.num_elements();
  const int64_t cols = x.num_elements() / rows;
  check(launch_reduce(op, x.dtype(), rows_first.raw_data(), out.dtype(), out.raw_data(), rows, cols,
                      b.stream()),
        op_name(op), b.name());
  return true;
}

bool reduce_op(CudaBackend& b, const OpCall& c, Tensor& out) {
  if (c.op == OpKind::ArgMax || c.op == OpKind::ArgMin) return arg_reduce(b, c, out);
  const Tensor& x = c.in[0];
  const OpAttrs& a = *c.attrs;
  bool reduced[Shape::kMaxRank] = {};
  for (int d = 0; d < x.rank(); ++d) reduced[d] = !a.has_axes;
  for (int64_t ax : a.axes) reduced[normalize_axis(ax, x.rank(), op_name(c.op))] = true;
  return reduce_into(b, c.op, x, reduced, out);
}

bool sum_to_like(CudaBackend& b, const Tensor& dy, Tensor& out) {
  if (dy.shape() == out.shape()) {
    b.copy_on_device(out.raw_data(), dy.raw_data(), out.nbytes());
    return true;
  }
  const Shape& xs = out.shape();
  const int lead = dy.rank() - xs.rank();
  if (lead < 0) return false;  // the CPU kernel raises
  bool reduced[Shape::kMaxRank] = {};
  for (int d = 0; d < dy.rank(); ++d) {
    if (d < lead) {
      reduced[d] = true;
      continue;
    }
    const int64_t o = xs[d - lead];
    if (o != 1 && o != dy.shape()[d]) return false;  // the CPU kernel raises
    reduced[d] = o == 1 && dy.shape()[d] != 1;
  }
  return reduce_into(b, OpKind::ReduceSum, dy, reduced, out);
}

bool softmax(CudaBackend& b, const OpCall& c, Tensor& out) {
  const Tensor x = to_dtype(b, c.in[0], out.dtype());
  if (x.on_host()) return false;
  const OpAttrs& a = *c.attrs;
  const int axis = normalize_axis(a.has_axis ? a.axis : -1, x.rank(), "softmax");
  const int last = x.rank() - 1;
  const int64_t cols = x.shape()[axis];
  const int64_t rows = x.num_elements() / cols;
  if (axis == last) {
    check(launch_softmax(out.dtype(), x.raw_data(), out.raw_data(), rows, cols, b.stream()),
          "softmax", b.name());
    return true;
  }
  // Move the axis last, softmax the rows, move it back.
  AxisList perm, back;
  for (int d = 0; d < x.rank(); ++d)
    if (d != axis) perm.push_back(d);
  perm.push_back(axis);
  back.resize(x.rank(), 0);
  for (int d = 0; d < x.rank(); ++d) back[static_cast<int>(perm[d])] = d;
  const StridedPlan fwd = transpose_plan(x.shape(), perm);
  Shape moved;
  for (int d = 0; d < fwd.rank; ++d) moved.push_back(fwd.shape[d]);
  Tensor t = b.empty(x.dtype(), moved), s = b.empty(x.dtype(), moved);
  strided_copy(b, x, fwd, t);
  check(launch_softmax(out.dtype(), t.raw_data(), s.raw_data(), rows, cols, b.stream()), "softmax",
        b.name());
  strided_copy(b, s, transpose_plan(moved, back), out);
  return true;
}

bool concat(CudaBackend& b, const OpCall& c, bool stack, Tensor& out) {
  const Shape& os = out.shape();
  const int axis = normalize_axis(c.attrs->axis, os.rank(), stack ? "stack" : "concat");
  const size_t es = dtype_size(out.dtype());
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= os[d];
  for (int d = axis + 1; d < os.rank(); ++d) inner *= os[d];
  const size_t out_row = static_cast<size_t>(os[axis] * inner) * es;
  size_t col = 0;
  for (size_t i = 0; i < c.n; ++i) {
    Tensor t = to_dtype(b, c.in[i], out.dtype());
    if (t.on_host()) t = t.to(b.id());
    const size_t block = static_cast<size_t>((stack ? 1 : t.shape()[axis]) * inner) * es;
    if (block) {
      check(cudaMemcpy2DAsync(static_cast<char*>(out.raw_data()) + col, out_row, t.raw_data(),
                              block, block, static_cast<size_t>(outer), cudaMemcpyDeviceToDevice,
                              b.stream()),
            stack ? "stack" : "concat", b.name());
    }
    col += block;
  }
  return true;
}

bool getitem_grad(CudaBackend& b, const OpCall& c, Tensor& out) {
  const Tensor& dy = c.in[0];
  if (dy.on_host() || dy.dtype() != out.dtype()) return false;
  std::vector<int64_t> dyn;
  for (size_t i = 2; i < c.n; ++i) dyn.push_back(c.in[i].cast(DType::Int64).item<int64_t>());
  const SlicePlan plan = resolve_slices(c.in[1].shape(), c.attrs->slices, dyn.data(), dyn.size());
  if (plan.out_shape != dy.shape()) return false;  // the CPU kernel raises
  check(cudaMemsetAsync(out.raw_data(), 0, out.nbytes(), b.stream()), "getitem_grad", b.name());
  check(launch_strided_scatter(dy.raw_data(), slice_plan(c.in[1].shape(), plan), out.raw_data(),
                               dtype_size(dy.dtype()), b.stream()),
        "getitem_grad", b.name());
  return true;
}

bool gather(CudaBackend& b, const OpCall& c, Tensor& out) {
  const Tensor& params = c.in[0];
  if (params.on_host()) return false;
  const Shape& ps = params.shape();
  const int axis = normalize_axis(c.attrs->axis, ps.rank(), "gather");
  int64_t outer, inner;
  around_axis(ps, axis, &outer, &inner);
  const Tensor idx = device_indices(b, c.in[1]);
  check(launch_gather(params.raw_data(), static_cast<const int64_t*>(idx.raw_data()),
                      out.raw_data(), outer, ps[axis], idx.num_elements(), inner,
                      dtype_size(params.dtype()), b.fault_flag(), b.fault_value(), b.stream()),
        "gather", b.name());
  int flag = 0;
  int64_t bad = 0;
  b.read_fault(&flag, &bad);
  return flag == 0;  // a bad index: the host fallback raises the CPU's message
}

}  // namespace xag::rt::cuda
