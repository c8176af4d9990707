// Data movement: transpose, concat/stack, subscripts and gather. All produce contiguous outputs
// through strided_copy / block memcpy.
#include <cstring>
#include <string>

#include "runtime/core/convert.h"
#include "runtime/cpu/kernels.h"
#include "runtime/cpu/loops.h"
#include "runtime/ops/dtype_rules.h"

namespace xag::rt::cpu {

void transpose(const Tensor& x, const OpAttrs& attrs, Tensor& out) {
  const Shape& s = x.shape();
  int64_t in_st[Shape::kMaxRank], view_st[Shape::kMaxRank];
  contiguous_strides(s, in_st);
  for (int i = 0; i < s.rank(); ++i) {
    const int src = attrs.perm.empty() ? s.rank() - 1 - i
                                       : normalize_axis(attrs.perm[i], s.rank(), "transpose");
    view_st[i] = in_st[src];
  }
  strided_copy(x.raw_data(), view_st, out.shape(), out.raw_data(), dtype_size(x.dtype()));
}

void concat(const Tensor* in, size_t n, int64_t axis_attr, bool stack, Tensor& out) {
  const Shape& os = out.shape();
  const int axis = normalize_axis(axis_attr, os.rank(), stack ? "stack" : "concat");
  const size_t es = dtype_size(out.dtype());
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= os[d];
  for (int d = axis + 1; d < os.rank(); ++d) inner *= os[d];
  char* dst = static_cast<char*>(out.raw_data());
  const int64_t out_row = os[axis] * inner * static_cast<int64_t>(es);
  int64_t col = 0;  // byte offset of this input's block within an output row
  for (size_t i = 0; i < n; ++i) {
    const Tensor t = in[i].cast(out.dtype());
    const int64_t len = stack ? 1 : t.shape()[axis];
    const int64_t block = len * inner * static_cast<int64_t>(es);
    const char* src = static_cast<const char*>(t.raw_data());
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(dst + o * out_row + col, src + o * block, block);
    col += block;
  }
}

void getitem(const Tensor& x, const SlicePlan& plan, Tensor& out) {
  const Shape& s = x.shape();
  int64_t st[Shape::kMaxRank];
  contiguous_strides(s, st);
  const size_t es = dtype_size(x.dtype());
  int64_t base = 0;
  for (int d = 0; d < s.rank(); ++d) base += plan.start[d] * st[d];
  int64_t view_st[Shape::kMaxRank];
  for (int j = 0; j < plan.out_shape.rank(); ++j) {
    const int d = plan.src_dim[j];
    view_st[j] = d < 0 ? 0 : plan.step[d] * st[d];
  }
  if (out.num_elements() == 0) return;
  strided_copy(static_cast<const char*>(x.raw_data()) + base * static_cast<int64_t>(es), view_st,
               out.shape(), out.raw_data(), es);
}

void gather(const Tensor& params, const Tensor& indices, int64_t axis_attr, Tensor& out) {
  const Shape& ps = params.shape();
  const int axis = normalize_axis(axis_attr, ps.rank(), "gather");
  int64_t outer = 1, inner = 1;
  const int64_t len = ps[axis];
  for (int d = 0; d < axis; ++d) outer *= ps[d];
  for (int d = axis + 1; d < ps.rank(); ++d) inner *= ps[d];
  const int64_t ni = indices.num_elements();
  const size_t es = dtype_size(params.dtype());
  const int64_t block = inner * static_cast<int64_t>(es);
  const char* src = static_cast<const char*>(params.raw_data());
  char* dst = static_cast<char*>(out.raw_data());
  const Tensor idx = indices.cast(DType::Int64);
  const int64_t* ip = idx.data<int64_t>();
  for (int64_t j = 0; j < ni; ++j) {
    if (ip[j] < -len || ip[j] >= len) {
      throw InvalidArgumentError("gather: index " + std::to_string(ip[j]) +
                                 " is out of bounds for axis " + std::to_string(axis) +
                                 " with size " + std::to_string(len) + " (params shape " +
                                 ps.to_string() + ")");
    }
  }
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t j = 0; j < ni; ++j) {
      const int64_t k = ip[j] < 0 ? ip[j] + len : ip[j];
      std::memcpy(dst + (o * ni + j) * block, src + (o * len + k) * block, block);
    }
  }
}

}  // namespace xag::rt::cpu
