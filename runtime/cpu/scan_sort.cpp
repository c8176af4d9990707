// Scans and sorting along one axis: cumsum and argsort. Both walk the input as
// (outer, n, inner) blocks, the axis being the middle one, so any axis needs no transpose.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <type_traits>
#include <vector>

#include "runtime/cpu/kernels.h"
#include "runtime/ops/dtype_rules.h"

namespace xag::rt::cpu {

namespace {

struct AxisBlocks {
  int64_t outer = 1, n = 1, inner = 1;
};

AxisBlocks blocks(const Shape& s, int axis) {
  AxisBlocks b;
  for (int d = 0; d < axis; ++d) b.outer *= s[d];
  b.n = s[axis];
  for (int d = axis + 1; d < s.rank(); ++d) b.inner *= s[d];
  return b;
}

// The type a sum is carried in: integers wrap like the element-wise ops, so they add as unsigned
// (no undefined behaviour on overflow).
template <class T, bool = std::is_integral_v<T>>
struct Wrapping {
  using type = T;
};
template <class T>
struct Wrapping<T, true> {
  using type = std::make_unsigned_t<T>;
};

}  // namespace

void cumsum(const Tensor& x, int axis, Tensor& out) {
  const Tensor v = x.cast(out.dtype());  // bool counts as int32
  const AxisBlocks b = blocks(v.shape(), axis);
  dispatch_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      using Acc = typename Wrapping<T>::type;
      const T* p = v.data<T>();
      T* o = out.data<T>();
      // Row k of each block is row k - 1 of the output plus row k of the input: every pass
      // walks contiguous memory whatever the axis.  Float sums run in order, as TensorFlow's.
      for (int64_t a = 0; a < b.outer; ++a) {
        const T* src = p + a * b.n * b.inner;
        T* dst = o + a * b.n * b.inner;
        if (b.inner == 1) {  // the last axis: a running sum in a register
          Acc acc = 0;
          for (int64_t k = 0; k < b.n; ++k)
            dst[k] = static_cast<T>(acc += static_cast<Acc>(src[k]));
          continue;
        }
        for (int64_t k = 0; k < b.n; ++k) {
          for (int64_t i = 0; i < b.inner; ++i) {
            const int64_t at = k * b.inner + i;
            dst[at] = k == 0 ? src[at]
                             : static_cast<T>(static_cast<Acc>(dst[at - b.inner]) +
                                              static_cast<Acc>(src[at]));
          }
        }
      }
    }
  });
}

void argsort(const Tensor& x, int axis, Tensor& out) {
  const AxisBlocks b = blocks(x.shape(), axis);
  if (b.n > std::numeric_limits<int32_t>::max())
    op_error(OpKind::ArgSort, "the sorted axis is longer than an int32 index can count");
  std::vector<int32_t> idx(static_cast<size_t>(b.n));
  int32_t* o = out.data<int32_t>();
  dispatch_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = x.data<T>();
    for (int64_t a = 0; a < b.outer; ++a) {
      for (int64_t i = 0; i < b.inner; ++i) {
        const T* row = p + a * b.n * b.inner + i;
        auto less = [&](int32_t l, int32_t r) {
          const T u = row[l * b.inner], w = row[r * b.inner];
          if constexpr (std::is_floating_point_v<T>) {
            if (std::isnan(u)) return false;  // NaN after everything, ties kept in order
            if (std::isnan(w)) return true;
          }
          return u < w;
        };
        std::iota(idx.begin(), idx.end(), 0);
        std::stable_sort(idx.begin(), idx.end(), less);
        int32_t* dst = o + a * b.n * b.inner + i;
        for (int64_t k = 0; k < b.n; ++k) dst[k * b.inner] = idx[static_cast<size_t>(k)];
      }
    }
  });
}

}  // namespace xag::rt::cpu
