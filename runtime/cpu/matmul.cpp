// NumPy matmul through Eigen's GEMM on row-major maps of our buffers: 1-D operands get a unit dim
// (removed again from the result), batch dims broadcast. Large products split their rows across
// the thread pool; Eigen itself runs single-threaded here (no OpenMP).
#include <type_traits>

#include <Eigen/Core>

#include "runtime/core/interrupt.h"
#include "runtime/cpu/kernels.h"
#include "runtime/cpu/loops.h"

namespace xag::rt::cpu {

namespace {

template <class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// C[m x n] = A[m x k] * B[k x n], all row-major and contiguous.
template <class T>
void gemm(const T* a, const T* b, T* c, int64_t m, int64_t k, int64_t n) {
  if (k == 0) {
    for (int64_t i = 0; i < m * n; ++i) c[i] = T(0);
    return;
  }
  if constexpr (std::is_integral_v<T>) {
    // Integer products in unsigned arithmetic: wraps like NumPy, no signed-overflow UB.
    using U = std::make_unsigned_t<T>;
    for (int64_t i = 0; i < m; ++i) {
      U* row = reinterpret_cast<U*>(c + i * n);
      for (int64_t j = 0; j < n; ++j) row[j] = 0;
      for (int64_t p = 0; p < k; ++p) {
        const U av = U(a[i * k + p]);
        const T* brow = b + p * n;
        for (int64_t j = 0; j < n; ++j) row[j] += av * U(brow[j]);
      }
    }
  } else {
    Eigen::Map<const RowMat<T>> B(b, k, n);
    const int64_t flops = m * k * n;
    // Split rows only when each half still is a decent GEMM.
    const int64_t min_rows = flops >= (int64_t{1} << 18) ? 16 : m;
    parallel_for(m, min_rows, [&](int64_t r0, int64_t r1) {
      Eigen::Map<const RowMat<T>> A(a + r0 * k, r1 - r0, k);
      Eigen::Map<RowMat<T>> C(c + r0 * n, r1 - r0, n);
      C.noalias() = A * B;
    });
  }
}

}  // namespace

void matmul(const Tensor& a0, const Tensor& b0, Tensor& out) {
  const DType dt = out.dtype();
  // bool matmul computes in int32 then tests != 0 (NumPy: logical or of ands).
  const DType ct = dt == DType::Bool ? DType::Int32 : dt;
  const Tensor a = a0.cast(ct), b = b0.cast(ct);
  Shape sa = a.shape(), sb = b.shape();
  if (sa.rank() == 1) sa.insert(0, 1);
  if (sb.rank() == 1) sb.push_back(1);
  const int64_t m = sa[sa.rank() - 2], k = sa[sa.rank() - 1], n = sb[sb.rank() - 1];
  // Batch iteration: broadcast the batch shapes of a and b against each other.
  const Shape ba(sa.data(), sa.rank() - 2), bb(sb.data(), sb.rank() - 2);
  const Shape batch = broadcast_shapes(ba, bb, "matmul");
  // A batch of matrices times one matrix (a dense layer over a sequence): the batch's rows are
  // one contiguous (batch * m) x k matrix, so one GEMM does it, packing b once instead of once
  // per batch element, and with more rows per call.
  if (bb.rank() == 0 && ba.rank() > 0) {
    Shape folded{ba.num_elements() * m, k};
    return matmul(a.reshaped(folded), b, out);
  }
  const Shape* ins[2] = {&ba, &bb};
  Broadcast<2> bc(batch, ins);
  // Write through `out` itself: copying a handle of an inline (<= 8 byte) tensor copies its data.
  Tensor tmp;
  Tensor& result = ct == dt ? out : (tmp = Tensor::empty(ct, out.shape()));
  dispatch_dtype(ct, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      const T* pa = a.data<T>();
      const T* pb = b.data<T>();
      T* pc = result.data<T>();
      bc.for_each_run(0, bc.numel, [&](const int64_t* off, int64_t o, int64_t cnt) {
        const int64_t sa_ = bc.strides[0][bc.rank - 1], sb_ = bc.strides[1][bc.rank - 1];
        for (int64_t i = 0; i < cnt; ++i) {
          gemm<T>(pa + (off[0] + i * sa_) * m * k, pb + (off[1] + i * sb_) * k * n,
                  pc + (o + i) * m * n, m, k, n);
          check_interrupt();
        }
      });
    }
  });
  if (ct != dt) cast(result, out);
}

}  // namespace xag::rt::cpu
