// Kernels of the gradient helper ops (op_kinds.def: sum_to_like, broadcast_like, getitem_grad,
// gather_grad). Each writes a result of its reference tensor's shape; the shapes they work from
// are the tensors' own, so a graph with unknown dims runs them unchanged.
#include <cstring>
#include <string>
#include <vector>

#include "runtime/cpu/kernels.h"
#include "runtime/cpu/loops.h"
#include "runtime/ops/dtype_rules.h"

namespace xag::rt::cpu {

namespace {

// Element strides that read a contiguous tensor of shape `small` at the positions of `big`
// (NumPy broadcasting, right-aligned): 0 on the dims `small` lacks or has as 1.
void broadcast_strides(const Shape& small, const Shape& big, int64_t* st) {
  int64_t acc = 1;
  const int lead = big.rank() - small.rank();
  for (int d = big.rank() - 1; d >= 0; --d) {
    const int s = d - lead;
    if (s < 0) {
      st[d] = 0;
      continue;
    }
    st[d] = small[s] == 1 ? 0 : acc;
    acc *= small[s];
  }
}

// Calls fn(i, offset) for every element i of `shape` in row-major order, with its offset under
// `strides`.
template <class Fn>
void for_each_offset(const Shape& shape, const int64_t* strides, Fn&& fn) {
  const int64_t numel = shape.num_elements();
  const int rank = shape.rank();
  int64_t idx[Shape::kMaxRank] = {};
  int64_t off = 0;
  for (int64_t i = 0; i < numel; ++i) {
    fn(i, off);
    for (int d = rank - 1; d >= 0; --d) {
      off += strides[d];
      if (++idx[d] < shape[d]) break;
      off -= shape[d] * strides[d];
      idx[d] = 0;
    }
  }
}

void zero(Tensor& out) {
  if (out.nbytes()) std::memset(out.raw_data(), 0, out.nbytes());
}

}  // namespace

void sum_to_like(const Tensor& dy, Tensor& out) {
  if (dy.shape() == out.shape()) {
    if (out.nbytes()) std::memcpy(out.raw_data(), dy.raw_data(), out.nbytes());
    return;
  }
  // Inference checked the shapes against each other only where they were known.
  for (int i = 1; i <= out.rank(); ++i) {
    const int64_t o = out.shape()[out.rank() - i];
    if (i > dy.rank() || (o != 1 && o != dy.shape()[dy.rank() - i])) {
      throw InvalidArgumentError("sum_to_like: shape " + out.shape().to_string() +
                                 " does not broadcast to " + dy.shape().to_string());
    }
  }
  if (is_floating(dy.dtype())) {
    // The reduction kernel (vectorized, parallel): sum over the leading dims and the stretched
    // ones, keeping dims so the result has out's elements in out's order.
    OpAttrs sum;
    sum.has_axes = true;
    sum.keepdims = true;
    Shape kept = dy.shape();
    const int lead = dy.rank() - out.rank();
    for (int d = 0; d < dy.rank(); ++d) {
      if (d < lead || (out.shape()[d - lead] == 1 && dy.shape()[d] != 1)) {
        sum.axes.push_back(d);
        kept[d] = 1;
      }
    }
    Tensor tmp = Tensor::empty(dy.dtype(), kept);
    reduce(OpKind::ReduceSum, dy, sum, tmp);
    if (out.nbytes()) std::memcpy(out.raw_data(), tmp.raw_data(), out.nbytes());
    return;
  }
  zero(out);
  int64_t st[Shape::kMaxRank];
  broadcast_strides(out.shape(), dy.shape(), st);
  dispatch_dtype(dy.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* src = dy.data<T>();
    T* dst = out.data<T>();
    for_each_offset(dy.shape(), st,
                    [&](int64_t i, int64_t off) { dst[off] = static_cast<T>(dst[off] + src[i]); });
  });
}

Shape broadcast_like_shape(const Shape& g, const OpAttrs& attrs, const Shape& target) {
  Shape expanded = g;
  if (!attrs.keepdims) {
    for (int d = 0; d < target.rank(); ++d) {
      bool reduced = !attrs.has_axes;
      for (int64_t ax : attrs.axes)
        reduced |= normalize_axis(ax, target.rank(), "broadcast_like") == d;
      if (reduced) expanded.insert(d, 1);
    }
  }
  for (int i = 1; i <= expanded.rank(); ++i) {
    const int64_t e = expanded[expanded.rank() - i];
    if (i > target.rank() || (e != 1 && e != target[target.rank() - i])) {
      throw InvalidArgumentError("broadcast_like: shape " + expanded.to_string() +
                                 " does not broadcast to " + target.to_string());
    }
  }
  return expanded;
}

void broadcast_like(const Tensor& g, const OpAttrs& attrs, Tensor& out) {
  const Shape& target = out.shape();
  const Shape expanded = broadcast_like_shape(g.shape(), attrs, target);
  int64_t st[Shape::kMaxRank];
  broadcast_strides(expanded, target, st);
  if (out.num_elements() == 0) return;
  strided_copy(g.raw_data(), st, target, out.raw_data(), dtype_size(g.dtype()));
}

void getitem_grad(const Tensor* in, size_t n, const OpAttrs& attrs, Tensor& out) {
  const Tensor& dy = in[0];
  const Shape& xs = in[1].shape();
  std::vector<int64_t> dyn;
  for (size_t i = 2; i < n; ++i) dyn.push_back(in[i].cast(DType::Int64).item<int64_t>());
  const SlicePlan plan = resolve_slices(xs, attrs.slices, dyn.data(), dyn.size());
  if (plan.out_shape != dy.shape()) {
    throw InvalidArgumentError("getitem_grad: the gradient has shape " + dy.shape().to_string() +
                               ", the subscript selects " + plan.out_shape.to_string());
  }
  zero(out);
  int64_t st[Shape::kMaxRank];
  contiguous_strides(xs, st);
  int64_t base = 0;
  for (int d = 0; d < xs.rank(); ++d) base += plan.start[d] * st[d];
  int64_t view_st[Shape::kMaxRank];
  for (int j = 0; j < plan.out_shape.rank(); ++j) {
    const int d = plan.src_dim[j];
    view_st[j] = d < 0 ? 0 : plan.step[d] * st[d];
  }
  // A basic subscript selects each position at most once, so writing (not adding) is exact.
  const size_t es = dtype_size(dy.dtype());
  const char* src = static_cast<const char*>(dy.raw_data());
  char* dst = static_cast<char*>(out.raw_data());
  const int rank = plan.out_shape.rank();
  if (rank == 0) {
    std::memcpy(dst + base * static_cast<int64_t>(es), src, es);
    return;
  }
  // Row by row over the last output dim: one memcpy per row where it is contiguous in x.
  const int64_t inner = plan.out_shape[rank - 1], inner_st = view_st[rank - 1];
  const Shape rows(plan.out_shape.data(), static_cast<size_t>(rank - 1));
  const auto bytes = static_cast<int64_t>(es);
  for_each_offset(rows, view_st, [&](int64_t r, int64_t off) {
    char* d = dst + (base + off) * bytes;
    const char* s = src + r * inner * bytes;
    if (inner_st == 1) {
      std::memcpy(d, s, static_cast<size_t>(inner * bytes));
    } else {
      for (int64_t k = 0; k < inner; ++k) std::memcpy(d + k * inner_st * bytes, s + k * bytes, es);
    }
  });
}

void gather_grad(const Tensor& dy, const Tensor& indices, int64_t axis_attr, Tensor& out) {
  const Shape& xs = out.shape();
  const int axis = normalize_axis(axis_attr, xs.rank(), "gather_grad");
  int64_t outer = 1, inner = 1;
  const int64_t len = xs[axis];
  for (int d = 0; d < axis; ++d) outer *= xs[d];
  for (int d = axis + 1; d < xs.rank(); ++d) inner *= xs[d];
  const int64_t ni = indices.num_elements();
  if (dy.num_elements() != outer * ni * inner) {
    throw InvalidArgumentError("gather_grad: the gradient has shape " + dy.shape().to_string() +
                               ", which does not match the gathered shape");
  }
  const Tensor idx = indices.cast(DType::Int64);
  const int64_t* ip = idx.data<int64_t>();
  for (int64_t j = 0; j < ni; ++j) {
    if (ip[j] < -len || ip[j] >= len) {
      throw InvalidArgumentError("gather_grad: index " + std::to_string(ip[j]) +
                                 " is out of bounds for axis " + std::to_string(axis) +
                                 " with size " + std::to_string(len));
    }
  }
  zero(out);
  dispatch_dtype(dy.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* src = dy.data<T>();
    T* dst = out.data<T>();
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t j = 0; j < ni; ++j) {
        const int64_t k = ip[j] < 0 ? ip[j] + len : ip[j];
        T* d = dst + (o * len + k) * inner;
        const T* s = src + (o * ni + j) * inner;
        for (int64_t t = 0; t < inner; ++t) d[t] = static_cast<T>(d[t] + s[t]);
      }
    }
  });
}

}  // namespace xag::rt::cpu
