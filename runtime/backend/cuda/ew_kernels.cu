// Element-wise kernels: one templated kernel per arity, instantiated for every Unary, Binary,
// Compare and Logical row from the SAME functor the CPU runs (runtime/ops/scalar_math.h), for
// the dtypes the row computes in. Operands broadcast through strided plans or come as scalars.
#include "runtime/backend/cuda/ew_common.cuh"
#include "runtime/ops/elementwise.h"

namespace xag::rt::cuda {

namespace {

template <class F, class T, class R>
__global__ void unary_kernel(EwOperand x, R* out, int64_t n, int* fault) {
  const math::FaultFlag flag{fault};
  XAG_GRID_STRIDE(i, n) {
    out[i] = math::call(F{}, flag, load<T>(x, i));
  }
}

template <class F, class T, class R>
__global__ void binary_kernel(EwOperand a, EwOperand b, R* out, int64_t n, int* fault) {
  const math::FaultFlag flag{fault};
  XAG_GRID_STRIDE(i, n) {
    out[i] = math::call(F{}, flag, load<T>(a, i), load<T>(b, i));
  }
}

}  // namespace

cudaError_t launch_unary(OpKind op, DType ct, const EwOperand& x, void* out, int64_t n, int* fault,
                         cudaStream_t stream) {
  bool launched = false;
  visit_elementwise(op, [&](auto e) {
    using E = decltype(e);
    using F = typename E::Fn;
    if constexpr (F::kArity == 1) {
      dispatch_dtype(ct, [&](auto tag) {
        using T = decltype(tag);
        if constexpr (E::template kComputes<T>) {
          using R = decltype(math::call(F{}, math::FaultFlag{nullptr}, T{}));
          unary_kernel<F, T, R>
              <<<grid_for(n), kThreads, 0, stream>>>(x, static_cast<R*>(out), n, fault);
          launched = true;
        }
      });
    }
  });
  return launched ? cudaGetLastError() : cudaErrorInvalidValue;
}

cudaError_t launch_binary(OpKind op, DType ct, const EwOperand& a, const EwOperand& b, void* out,
                          int64_t n, int* fault, cudaStream_t stream) {
  bool launched = false;
  visit_elementwise(op, [&](auto e) {
    using E = decltype(e);
    using F = typename E::Fn;
    if constexpr (F::kArity == 2) {
      dispatch_dtype(ct, [&](auto tag) {
        using T = decltype(tag);
        if constexpr (E::template kComputes<T>) {
          using R = decltype(math::call(F{}, math::FaultFlag{nullptr}, T{}, T{}));
          binary_kernel<F, T, R>
              <<<grid_for(n), kThreads, 0, stream>>>(a, b, static_cast<R*>(out), n, fault);
          launched = true;
        }
      });
    }
  });
  return launched ? cudaGetLastError() : cudaErrorInvalidValue;
}

}  // namespace xag::rt::cuda
