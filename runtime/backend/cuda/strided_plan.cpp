#include "runtime/backend/cuda/strided_plan.h"

#include "runtime/core/errors.h"
#include "runtime/cpu/kernels.h"
#include "runtime/cpu/loops.h"

namespace xag::rt::cuda {

namespace {

StridedPlan with_shape(const Shape& s) {
  StridedPlan p;
  p.rank = s.rank();
  for (int d = 0; d < s.rank(); ++d) p.shape[d] = s[d];
  return p;
}

}  // namespace

int64_t StridedPlan::num_elements() const {
  int64_t n = 1;
  for (int d = 0; d < rank; ++d) n *= shape[d];
  return n;
}

bool StridedPlan::contiguous() const {
  int64_t acc = 1;
  for (int d = rank - 1; d >= 0; --d) {
    if (shape[d] != 1 && strides[d] != acc) return false;
    acc *= shape[d];
  }
  return true;
}

StridedPlan broadcast_plan(const Shape& in, const Shape& out) {
  StridedPlan p = with_shape(out);
  int64_t acc = 1;
  const int lead = out.rank() - in.rank();
  for (int d = out.rank() - 1; d >= 0; --d) {
    const int s = d - lead;
    if (s < 0) continue;  // stride 0
    p.strides[d] = in[s] == 1 ? 0 : acc;
    acc *= in[s];
  }
  return p;
}

StridedPlan transpose_plan(const Shape& in, const AxisList& perm) {
  int64_t st[Shape::kMaxRank];
  cpu::contiguous_strides(in, st);
  StridedPlan p;
  p.rank = in.rank();
  for (int i = 0; i < in.rank(); ++i) {
    const int src =
        perm.empty() ? in.rank() - 1 - i : normalize_axis(perm[i], in.rank(), "transpose");
    p.shape[i] = in[src];
    p.strides[i] = st[src];
  }
  return p;
}

StridedPlan slice_plan(const Shape& in, const SlicePlan& plan) {
  int64_t st[Shape::kMaxRank];
  cpu::contiguous_strides(in, st);
  StridedPlan p = with_shape(plan.out_shape);
  for (int d = 0; d < in.rank(); ++d) p.offset += plan.start[d] * st[d];
  for (int j = 0; j < plan.out_shape.rank(); ++j) {
    const int d = plan.src_dim[j];
    p.strides[j] = d < 0 ? 0 : plan.step[d] * st[d];
  }
  return p;
}

StridedPlan broadcast_like_plan(const Shape& g, const OpAttrs& attrs, const Shape& out) {
  return broadcast_plan(cpu::broadcast_like_shape(g, attrs, out), out);
}

StridedPlan reduce_order_plan(const Shape& in, const bool* reduced) {
  int64_t st[Shape::kMaxRank];
  cpu::contiguous_strides(in, st);
  StridedPlan p;
  for (int pass = 0; pass < 2; ++pass) {
    for (int d = 0; d < in.rank(); ++d) {
      if (reduced[d] != (pass == 1)) continue;
      p.shape[p.rank] = in[d];
      p.strides[p.rank] = st[d];
      ++p.rank;
    }
  }
  return p;
}

}  // namespace xag::rt::cuda
