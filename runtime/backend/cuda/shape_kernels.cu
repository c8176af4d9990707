// Data-movement kernels: dtype conversion (the CPU's convert<>), fill, strided gather (transpose,
// getitem, broadcasting), gather along an axis, and where.
#include "runtime/backend/cuda/ew_common.cuh"
#include "runtime/core/convert.h"

namespace xag::rt::cuda {

namespace {

template <class S, class D>
__global__ void cast_kernel(const S* src, D* dst, int64_t n) {
  XAG_GRID_STRIDE(i, n) {
    dst[i] = convert<D>(src[i]);
  }
}

template <class T>
__global__ void fill_kernel(T* dst, ScalarValue v, int64_t n) {
  const T x = scalar_as<T>(v);
  XAG_GRID_STRIDE(i, n) {
    dst[i] = x;
  }
}

template <class U>
__global__ void strided_copy_kernel(const U* src, StridedPlan plan, U* dst, int64_t n) {
  XAG_GRID_STRIDE(i, n) {
    dst[i] = src[plan.source(i)];
  }
}

template <class U>
__global__ void strided_scatter_kernel(const U* src, StridedPlan plan, U* dst, int64_t n) {
  XAG_GRID_STRIDE(i, n) {
    dst[plan.source(i)] = src[i];
  }
}

template <class U>
__global__ void gather_kernel(const U* params, const int64_t* idx, U* out, int64_t len,
                              int64_t num_idx, int64_t inner, int64_t n, int* bad_flag,
                              int64_t* bad_index) {
  XAG_GRID_STRIDE(i, n) {
    int64_t o, k, t;
    if (gathered_row(idx, i, len, num_idx, inner, &o, &k, &t, bad_flag, bad_index))
      out[i] = params[(o * len + k) * inner + t];
  }
}

template <class U>
__global__ void where_kernel(EwOperand c, EwOperand x, EwOperand y, U* out, int64_t n) {
  XAG_GRID_STRIDE(i, n) {
    out[i] = load<bool>(c, i) ? load<U>(x, i) : load<U>(y, i);
  }
}

// Calls fn(U{}) with an unsigned type of `elem_size` bytes.
template <class Fn>
bool with_width(size_t elem_size, Fn&& fn) {
  switch (elem_size) {
    case 1:
      fn(uint8_t{});
      return true;
    case 4:
      fn(uint32_t{});
      return true;
    case 8:
      fn(uint64_t{});
      return true;
    default:
      return false;
  }
}

}  // namespace

cudaError_t launch_cast(DType from, const void* src, DType to, void* dst, int64_t n,
                        cudaStream_t stream) {
  dispatch_dtype(from, [&](auto s) {
    dispatch_dtype(to, [&](auto d) {
      using S = decltype(s);
      using D = decltype(d);
      cast_kernel<S, D><<<grid_for(n), kThreads, 0, stream>>>(static_cast<const S*>(src),
                                                              static_cast<D*>(dst), n);
    });
  });
  return cudaGetLastError();
}

cudaError_t launch_fill(void* dst, DType dt, ScalarValue value, int64_t n, cudaStream_t stream) {
  dispatch_dtype(dt, [&](auto tag) {
    using T = decltype(tag);
    fill_kernel<T><<<grid_for(n), kThreads, 0, stream>>>(static_cast<T*>(dst), value, n);
  });
  return cudaGetLastError();
}

cudaError_t launch_strided_copy(const void* src, const StridedPlan& plan, void* dst,
                                size_t elem_size, cudaStream_t stream) {
  const int64_t n = plan.num_elements();
  const bool ok = with_width(elem_size, [&](auto tag) {
    using U = decltype(tag);
    strided_copy_kernel<U><<<grid_for(n), kThreads, 0, stream>>>(static_cast<const U*>(src), plan,
                                                                 static_cast<U*>(dst), n);
  });
  return ok ? cudaGetLastError() : cudaErrorInvalidValue;
}

cudaError_t launch_strided_scatter(const void* src, const StridedPlan& plan, void* dst,
                                   size_t elem_size, cudaStream_t stream) {
  const int64_t n = plan.num_elements();
  const bool ok = with_width(elem_size, [&](auto tag) {
    using U = decltype(tag);
    strided_scatter_kernel<U><<<grid_for(n), kThreads, 0, stream>>>(static_cast<const U*>(src),
                                                                    plan, static_cast<U*>(dst), n);
  });
  return ok ? cudaGetLastError() : cudaErrorInvalidValue;
}

cudaError_t launch_gather(const void* params, const int64_t* idx, void* out, int64_t outer,
                          int64_t len, int64_t num_idx, int64_t inner, size_t elem_size,
                          int* bad_flag, int64_t* bad_index, cudaStream_t stream) {
  const int64_t n = outer * num_idx * inner;
  const bool ok = with_width(elem_size, [&](auto tag) {
    using U = decltype(tag);
    gather_kernel<U><<<grid_for(n), kThreads, 0, stream>>>(static_cast<const U*>(params), idx,
                                                           static_cast<U*>(out), len, num_idx,
                                                           inner, n, bad_flag, bad_index);
  });
  return ok ? cudaGetLastError() : cudaErrorInvalidValue;
}

cudaError_t launch_where(const EwOperand& cond, const EwOperand& x, const EwOperand& y, DType dt,
                         void* out, int64_t n, cudaStream_t stream) {
  // Selection moves bits: one instantiation per width, scalars keep their dtype's bit pattern.
  const bool ok = with_width(dtype_size(dt), [&](auto tag) {
    using U = decltype(tag);
    where_kernel<U><<<grid_for(n), kThreads, 0, stream>>>(cond, x, y, static_cast<U*>(out), n);
  });
  return ok ? cudaGetLastError() : cudaErrorInvalidValue;
}

}  // namespace xag::rt::cuda
