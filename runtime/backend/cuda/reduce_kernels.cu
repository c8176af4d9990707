// Row reductions and softmax. One block folds one row (grid-stride over rows): each thread folds
// a strided part of the row with the CPU's reduction functor (runtime/ops/reduce_math.h), then
// the block combines by warp shuffles and a shared-memory step: a tree, never atomics on one
// address. The caller has permuted the reduced axes to the end (a strided copy), so rows are
// contiguous.
#include "runtime/backend/cuda/ew_common.cuh"
#include "runtime/core/convert.h"
#include "runtime/ops/reduce_visit.h"

namespace xag::rt::cuda {

namespace {

constexpr int kWarp = 32;

// The block's fold of every thread's `acc` (valid in thread 0).
template <class F, class A>
__device__ A block_fold(A acc) {
  __shared__ A partial[kThreads / kWarp];
  const F f{};
  for (int d = kWarp / 2; d > 0; d /= 2) acc = f(acc, shuffle_down(acc, d));
  const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp;
  if (lane == 0) partial[warp] = acc;
  __syncthreads();
  if (warp == 0) {
    acc = lane < kThreads / kWarp ? partial[lane] : F::template identity<A>();
    for (int d = kWarp / 2; d > 0; d /= 2) acc = f(acc, shuffle_down(acc, d));
  }
  __syncthreads();  // `partial` is reused by the next row
  return acc;
}

// The result converted to the output dtype (a switch per row, not a kernel per dtype pair).
template <class A>
__device__ void store(void* dst, DType dt, int64_t r, A v) {
  switch (dt) {
    case DType::Bool:
      static_cast<bool*>(dst)[r] = convert<bool>(v);
      break;
    case DType::Int32:
      static_cast<int32_t*>(dst)[r] = convert<int32_t>(v);
      break;
    case DType::Int64:
      static_cast<int64_t*>(dst)[r] = convert<int64_t>(v);
      break;
    case DType::Float32:
      static_cast<float*>(dst)[r] = convert<float>(v);
      break;
    case DType::Float64:
      static_cast<double*>(dst)[r] = convert<double>(v);
      break;
    case DType::String:  // never reduced (string ops run on the host)
      break;
  }
}

template <class F, class T>
__global__ void reduce_kernel(const T* src, void* dst, DType out_dt, int64_t rows, int64_t cols) {
  using A = typename F::template Acc<T>;
  const F f{};
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const T* row = src + r * cols;
    A acc = F::template identity<A>();
    for (int64_t j = threadIdx.x; j < cols; j += blockDim.x)
      acc = f(acc, F::template lift<A>(row[j]));
    acc = block_fold<F>(acc);
    if (threadIdx.x == 0) store(dst, out_dt, r, F::finalize(acc, cols));
  }
}

struct MaxOf {
  template <class A>
  __device__ static A identity() {
    return -std::numeric_limits<A>::infinity();
  }
  template <class A>
  __device__ A operator()(A a, A b) const {
    return math::Maximum{}(a, b);
  }
};
struct SumOf {
  template <class A>
  __device__ static A identity() {
    return A(0);
  }
  template <class A>
  __device__ A operator()(A a, A b) const {
    return a + b;
  }
};

// exp(x - max) / sum, in the row's float dtype (as the CPU kernel).
template <class T>
__global__ void softmax_kernel(const T* src, T* dst, int64_t rows, int64_t cols) {
  __shared__ T shared;
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const T* row = src + r * cols;
    T* out = dst + r * cols;
    T mx = MaxOf::identity<T>();
    for (int64_t j = threadIdx.x; j < cols; j += blockDim.x) mx = MaxOf{}(mx, row[j]);
    mx = block_fold<MaxOf>(mx);
    if (threadIdx.x == 0) shared = mx;
    __syncthreads();
    mx = shared;
    T sum = 0;
    for (int64_t j = threadIdx.x; j < cols; j += blockDim.x) {
      const T e = math::Exp{}(row[j] - mx);
      out[j] = e;
      sum += e;
    }
    sum = block_fold<SumOf>(sum);
    if (threadIdx.x == 0) shared = sum;
    __syncthreads();
    sum = shared;
    for (int64_t j = threadIdx.x; j < cols; j += blockDim.x) out[j] = out[j] / sum;
    __syncthreads();
  }
}

unsigned row_grid(int64_t rows) {
  return static_cast<unsigned>(rows < 65535 ? (rows > 0 ? rows : 1) : 65535);
}

}  // namespace

cudaError_t launch_reduce(OpKind op, DType in_dt, const void* src, DType out_dt, void* dst,
                          int64_t rows, int64_t cols, cudaStream_t stream) {
  bool launched = false;
  visit_reduce(op, [&](auto red) {
    using F = typename decltype(red)::Fn;
    if constexpr (!F::kArg) {
      dispatch_dtype(in_dt, [&](auto tin) {
        using T = decltype(tin);
        reduce_kernel<F, T><<<row_grid(rows), kThreads, 0, stream>>>(static_cast<const T*>(src),
                                                                     dst, out_dt, rows, cols);
        launched = true;
      });
    }
  });
  return launched ? cudaGetLastError() : cudaErrorInvalidValue;
}

cudaError_t launch_softmax(DType dt, const void* src, void* dst, int64_t rows, int64_t cols,
                           cudaStream_t stream) {
  if (dt == DType::Float32) {
    softmax_kernel<float><<<row_grid(rows), kThreads, 0, stream>>>(
        static_cast<const float*>(src), static_cast<float*>(dst), rows, cols);
  } else if (dt == DType::Float64) {
    softmax_kernel<double><<<row_grid(rows), kThreads, 0, stream>>>(
        static_cast<const double*>(src), static_cast<double*>(dst), rows, cols);
  } else {
    return cudaErrorInvalidValue;
  }
  return cudaGetLastError();
}

}  // namespace xag::rt::cuda
