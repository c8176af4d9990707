// where() and softmax.
#include <cmath>
#include <limits>

#include <Eigen/Core>

#include "runtime/cpu/kernels.h"
#include "runtime/cpu/loops.h"

namespace xag::rt::cpu {

void where(const Tensor& cond0, const Tensor& x0, const Tensor& y0, Tensor& out) {
  const Tensor cond = cond0.cast(DType::Bool);
  const Tensor x = x0.cast(out.dtype()), y = y0.cast(out.dtype());
  const Shape* ins[3] = {&cond.shape(), &x.shape(), &y.shape()};
  Broadcast<3> bc(out.shape(), ins);
  const int last = bc.rank - 1;
  dispatch_storage(out.dtype(), [&](auto tag) {  // strings are selected like numbers
    using T = decltype(tag);
    const bool* pc = cond.data<bool>();
    const T* px = x.data<T>();
    const T* py = y.data<T>();
    T* po = out.data<T>();
    const int64_t sc = bc.strides[0][last], sx = bc.strides[1][last], sy = bc.strides[2][last];
    bc.parallel_runs([&](const int64_t* off, int64_t o, int64_t n) {
      for (int64_t i = 0; i < n; ++i)
        po[o + i] = pc[off[0] + i * sc] ? px[off[1] + i * sx] : py[off[2] + i * sy];
    });
  });
}

void softmax(const Tensor& x0, int axis, Tensor& out) {
  const Shape& s = x0.shape();
  const Tensor x = x0.cast(out.dtype());
  int64_t outer = 1, inner = 1;
  const int64_t n = s[axis];
  for (int d = 0; d < axis; ++d) outer *= s[d];
  for (int d = axis + 1; d < s.rank(); ++d) inner *= s[d];
  dispatch_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      const T* p = x.data<T>();
      T* o = out.data<T>();
      if (inner == 1) {  // rows are contiguous: vectorized exp through Eigen
        parallel_for(outer, std::max<int64_t>(1, kParallelThreshold / (n ? n : 1)),
                     [&](int64_t b, int64_t e) {
                       for (int64_t r = b; r < e; ++r) {
                         Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>> in(p + r * n, n);
                         Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>> res(o + r * n, n);
                         if (n == 0) continue;
                         const T mx = in.maxCoeff();
                         res = (in - mx).exp();
                         res /= res.sum();
                       }
                     });
        return;
      }
      for (int64_t a = 0; a < outer; ++a) {
        for (int64_t i = 0; i < inner; ++i) {
          const T* col = p + a * n * inner + i;
          T* oc = o + a * n * inner + i;
          T mx = -std::numeric_limits<T>::infinity();
          for (int64_t k = 0; k < n; ++k) mx = std::max(mx, col[k * inner]);
          T sum = 0;
          for (int64_t k = 0; k < n; ++k) sum += (oc[k * inner] = std::exp(col[k * inner] - mx));
          for (int64_t k = 0; k < n; ++k) oc[k * inner] /= sum;
        }
      }
    }
  });
}

}  // namespace xag::rt::cpu
