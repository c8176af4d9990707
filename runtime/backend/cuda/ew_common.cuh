// Shared device helpers of the element-wise kernels: operand reads and launch geometry.
#pragma once

#include <cuda_runtime.h>

#include "runtime/backend/cuda/kernels.h"

namespace xag::rt::cuda {

template <class T>
__device__ __forceinline__ T scalar_as(const ScalarValue& v) {
  if constexpr (std::is_same_v<T, bool>)
    return v.b;
  else if constexpr (std::is_unsigned_v<T>) {  // raw bits (where moves values by width)
    T u;
    memcpy(&u, &v, sizeof(T));
    return u;
  } else if constexpr (std::is_same_v<T, int32_t>)
    return v.i32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return v.i64;
  else if constexpr (std::is_same_v<T, float>)
    return v.f32;
  else
    return v.f64;
}

template <class T>
__device__ __forceinline__ T load(const EwOperand& x, int64_t i) {
  if (!x.data) return scalar_as<T>(x.value);
  const T* p = static_cast<const T*>(x.data);
  return x.dense ? p[i] : p[x.plan.source(i)];
}

constexpr int kThreads = 256;

// A grid-stride launch: enough blocks to fill the GPU, not one per element.
inline unsigned grid_for(int64_t n) {
  const int64_t blocks = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(blocks < 4096 ? (blocks > 0 ? blocks : 1) : 4096);
}

// __shfl_down_sync over the full warp; bools travel as int.
template <class A>
__device__ __forceinline__ A shuffle_down(A v, int delta) {
  if constexpr (std::is_same_v<A, bool>)
    return __shfl_down_sync(0xffffffffu, static_cast<int>(v), delta) != 0;
  else
    return __shfl_down_sync(0xffffffffu, v, delta);
}

// Element i of a gather-shaped (outer, num_idx, inner) array: its outer and inner coordinates
// and the row idx[j] it maps to, counted from the end when negative. False (with the flag set
// and the index recorded) for an index out of [-len, len).
__device__ __forceinline__ bool gathered_row(const int64_t* idx, int64_t i, int64_t len,
                                             int64_t num_idx, int64_t inner, int64_t* o, int64_t* k,
                                             int64_t* t, int* bad_flag, int64_t* bad_index) {
  *t = i % inner;
  const int64_t j = (i / inner) % num_idx;
  *o = i / (inner * num_idx);
  *k = idx[j];
  if (*k < -len || *k >= len) {
    *bad_flag = 1;
    *bad_index = *k;
    return false;
  }
  if (*k < 0) *k += len;
  return true;
}

#define XAG_GRID_STRIDE(i, n)                                                            \
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < (n); \
       i += static_cast<int64_t>(gridDim.x) * blockDim.x)

}  // namespace xag::rt::cuda
