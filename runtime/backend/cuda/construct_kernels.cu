// Kernels of the rows that were host fallbacks: argmax/argmin (a block per row, each thread
// scanning a strided part, then warp shuffles and a shared-memory step carrying (value, index)),
// one_hot, gather_grad (a scatter-add: atomics on the gathered rows) and the counter-based random
// draws from the CPU's own per-element functions (runtime/ops/random_math.h).
#include <cstdint>

#include "runtime/backend/cuda/ew_common.cuh"
#include "runtime/core/convert.h"
#include "runtime/ops/random_math.h"
#include "runtime/ops/reduce_math.h"

namespace xag::rt::cuda {

namespace {

constexpr int kWarp = 32;
constexpr int64_t kNone = INT64_MAX;  // a thread that saw no element

// The better of two (value, index) candidates under the CPU's functor F (operator()(v, best):
// does v displace best?); neither better: the first index, as the CPU's scan keeps it.
template <class F, class T>
__device__ __forceinline__ void pick(T& best, int64_t& at, T v, int64_t i) {
  if (i == kNone) return;
  if (at == kNone || F{}(v, best) || (!F{}(best, v) && i < at)) {
    best = v;
    at = i;
  }
}

template <class F, class T>
__device__ void warp_pick(T& best, int64_t& at) {
  for (int d = kWarp / 2; d > 0; d /= 2) {
    const T v = shuffle_down(best, d);
    const int64_t i = shuffle_down(at, d);
    pick<F>(best, at, v, i);
  }
}

template <class F, class T>
__global__ void arg_kernel(const T* src, int64_t* dst, int64_t rows, int64_t cols) {
  __shared__ T pv[kThreads / kWarp];
  __shared__ int64_t pi[kThreads / kWarp];
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const T* row = src + r * cols;
    T best{};
    int64_t at = kNone;
    for (int64_t j = threadIdx.x; j < cols; j += blockDim.x) pick<F>(best, at, row[j], j);
    warp_pick<F>(best, at);
    const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp;
    if (lane == 0) {
      pv[warp] = best;
      pi[warp] = at;
    }
    __syncthreads();
    if (warp == 0) {
      best = lane < kThreads / kWarp ? pv[lane] : T{};
      at = lane < kThreads / kWarp ? pi[lane] : kNone;
      warp_pick<F>(best, at);
      if (lane == 0) dst[r] = at;
    }
    __syncthreads();  // pv/pi are reused by the next row
  }
}

// Raw bits of `U`'s width: on/off values keep their dtype's bit pattern.
template <class U>
__global__ void one_hot_kernel(const int64_t* idx, U* out, int64_t depth, int64_t inner,
                               ScalarValue on_value, ScalarValue off_value, int64_t n) {
  const U on = scalar_as<U>(on_value), off = scalar_as<U>(off_value);
  XAG_GRID_STRIDE(i, n) {
    const int64_t t = i % inner;
    const int64_t k = (i / inner) % depth;
    const int64_t a = i / (inner * depth);
    out[i] = idx[a * inner + t] == k ? on : off;  // out of range: all `off` (TensorFlow)
  }
}

template <class T>
__device__ __forceinline__ void add_at(T* p, T v) {
  if constexpr (std::is_same_v<T, int64_t>)
    atomicAdd(reinterpret_cast<unsigned long long*>(p), static_cast<unsigned long long>(v));
  else
    atomicAdd(p, v);
}

// out (zeroed) [o, idx[j], t] += dy[o, j, t]. A bad index sets the flag (the host then raises
// the CPU's error) and adds nothing.
template <class T>
__global__ void gather_grad_kernel(const T* dy, const int64_t* idx, T* out, int64_t len,
                                   int64_t num_idx, int64_t inner, int64_t n, int* bad_flag,
                                   int64_t* bad_index) {
  XAG_GRID_STRIDE(i, n) {
    int64_t o, k, t;
    if (gathered_row(idx, i, len, num_idx, inner, &o, &k, &t, bad_flag, bad_index))
      add_at(out + (o * len + k) * inner + t, dy[i]);
  }
}

template <class T>
__global__ void random_float_kernel(T* out, int64_t n, bool uniform, uint64_t seed, double a,
                                    double b) {
  XAG_GRID_STRIDE(i, n) {
    out[i] = math::random_float<T>(uniform, seed, i, a, b);
  }
}

template <class T>
__global__ void random_int_kernel(T* out, int64_t n, uint64_t seed, int64_t lo, uint64_t span) {
  XAG_GRID_STRIDE(i, n) {
    out[i] = math::random_int<T>(seed, i, lo, span);
  }
}

unsigned row_grid(int64_t rows) {
  return static_cast<unsigned>(rows < 65535 ? (rows > 0 ? rows : 1) : 65535);
}

}  // namespace

cudaError_t launch_arg_reduce(OpKind op, DType dt, const void* src, int64_t* dst, int64_t rows,
                              int64_t cols, cudaStream_t stream) {
  const bool max = op == OpKind::ArgMax;
  dispatch_dtype(dt, [&](auto tag) {
    using T = decltype(tag);
    if (max)
      arg_kernel<math::ArgMax, T>
          <<<row_grid(rows), kThreads, 0, stream>>>(static_cast<const T*>(src), dst, rows, cols);
    else
      arg_kernel<math::ArgMin, T>
          <<<row_grid(rows), kThreads, 0, stream>>>(static_cast<const T*>(src), dst, rows, cols);
  });
  return cudaGetLastError();
}

cudaError_t launch_one_hot(const int64_t* idx, void* out, size_t elem_size, ScalarValue on,
                           ScalarValue off, int64_t outer, int64_t depth, int64_t inner,
                           cudaStream_t stream) {
  const int64_t n = outer * depth * inner;
  auto go = [&](auto tag) {
    using U = decltype(tag);
    one_hot_kernel<U>
        <<<grid_for(n), kThreads, 0, stream>>>(idx, static_cast<U*>(out), depth, inner, on, off, n);
  };
  switch (elem_size) {
    case 1:
      go(uint8_t{});
      break;
    case 4:
      go(uint32_t{});
      break;
    case 8:
      go(uint64_t{});
      break;
    default:
      return cudaErrorInvalidValue;
  }
  return cudaGetLastError();
}

cudaError_t launch_gather_grad(DType dt, const void* dy, const int64_t* idx, void* out,
                               int64_t outer, int64_t len, int64_t num_idx, int64_t inner,
                               int* bad_flag, int64_t* bad_index, cudaStream_t stream) {
  const int64_t n = outer * num_idx * inner;
  bool ok = true;
  dispatch_dtype(dt, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) {
      ok = false;  // no byte atomics: the caller runs it on the host
    } else {
      gather_grad_kernel<T><<<grid_for(n), kThreads, 0, stream>>>(
          static_cast<const T*>(dy), idx, static_cast<T*>(out), len, num_idx, inner, n, bad_flag,
          bad_index);
    }
  });
  return ok ? cudaGetLastError() : cudaErrorInvalidValue;
}

cudaError_t launch_random(OpKind op, DType dt, void* out, int64_t n, uint64_t seed, double a,
                          double b, cudaStream_t stream) {
  bool ok = true;
  dispatch_dtype(dt, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      random_float_kernel<T><<<grid_for(n), kThreads, 0, stream>>>(
          static_cast<T*>(out), n, op == OpKind::RandomUniform, seed, a, b);
    } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      const int64_t lo = static_cast<int64_t>(a);
      const uint64_t span =
          static_cast<uint64_t>(static_cast<int64_t>(b)) - static_cast<uint64_t>(lo);
      random_int_kernel<T>
          <<<grid_for(n), kThreads, 0, stream>>>(static_cast<T*>(out), n, seed, lo, span);
    } else {
      ok = false;
    }
  });
  return ok ? cudaGetLastError() : cudaErrorInvalidValue;
}

}  // namespace xag::rt::cuda
