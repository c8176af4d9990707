// Launchers of the CUDA kernels (*.cu), called by cuda_ops.cpp. Host-side declarations only: no
// CUDA types but the stream, so plain C++ includes this. Each launcher queues its kernel on
// `stream` and returns cudaGetLastError() of the launch (the caller names the op in the error).
// Inputs are contiguous device buffers already converted to the kernel's dtype, except operands
// of element-wise kernels, which may be host scalars or broadcast through a StridedPlan.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "runtime/backend/cuda/strided_plan.h"
#include "runtime/core/dtype.h"
#include "runtime/ops/ops.h"

namespace xag::rt::cuda {

// One value of any dtype, passed to a kernel by value (a 0-d host tensor).
union ScalarValue {
  bool b;
  int32_t i32;
  int64_t i64;
  float f32;
  double f64;
};
ScalarValue scalar_value(const Tensor& host_scalar);  // converted to its own dtype's field

// An element-wise operand: `data` on the device read through `plan` (dense: plan ignored, read
// at the output index), or, with data null, the scalar `value`.
struct EwOperand {
  const void* data = nullptr;
  ScalarValue value{};
  bool dense = true;
  StridedPlan plan;
};

// Unary / binary element-wise ops in compute dtype `ct` (operands converted already). `fault`
// is a device int (zeroed by the caller) that faulting functors set.
cudaError_t launch_unary(OpKind op, DType ct, const EwOperand& x, void* out, int64_t n, int* fault,
                         cudaStream_t stream);
cudaError_t launch_binary(OpKind op, DType ct, const EwOperand& a, const EwOperand& b, void* out,
                          int64_t n, int* fault, cudaStream_t stream);
// where(cond, x, y): cond bool, x and y of `dt`.
cudaError_t launch_where(const EwOperand& cond, const EwOperand& x, const EwOperand& y, DType dt,
                         void* out, int64_t n, cudaStream_t stream);
cudaError_t launch_cast(DType from, const void* src, DType to, void* dst, int64_t n,
                        cudaStream_t stream);
cudaError_t launch_fill(void* dst, DType dt, ScalarValue value, int64_t n, cudaStream_t stream);
// dst[i] = src[plan.source(i)] for elements of `elem_size` bytes (1, 4 or 8).
cudaError_t launch_strided_copy(const void* src, const StridedPlan& plan, void* dst,
                                size_t elem_size, cudaStream_t stream);
// dst[plan.source(i)] = src[i]: the inverse of a strided copy whose plan selects each
// position at most once (getitem_grad writes dy where getitem read it).
cudaError_t launch_strided_scatter(const void* src, const StridedPlan& plan, void* dst,
                                   size_t elem_size, cudaStream_t stream);
// out[o, j, i] = params[o, idx[j], i] (idx int64, negative from the end). A bad index sets
// *bad_flag to 1 and *bad_index to it; nothing is read out of bounds.
cudaError_t launch_gather(const void* params, const int64_t* idx, void* out, int64_t outer,
                          int64_t len, int64_t num_idx, int64_t inner, size_t elem_size,
                          int* bad_flag, int64_t* bad_index, cudaStream_t stream);
// A reduction of each of `rows` contiguous rows of `cols` elements of `in_dt` into out[row]
// (`out_dt`): a block per row, warp-shuffle then shared-memory tree.
cudaError_t launch_reduce(OpKind op, DType in_dt, const void* src, DType out_dt, void* dst,
                          int64_t rows, int64_t cols, cudaStream_t stream);
// Softmax over each contiguous row (float dtypes).
cudaError_t launch_softmax(DType dt, const void* src, void* dst, int64_t rows, int64_t cols,
                           cudaStream_t stream);

// argmax/argmin of each of `rows` contiguous rows of `cols` elements into dst[row] (int64):
// the CPU's first-occurrence and NaN rules (runtime/ops/reduce_math.h).
cudaError_t launch_arg_reduce(OpKind op, DType dt, const void* src, int64_t* dst, int64_t rows,
                              int64_t cols, cudaStream_t stream);
// out[a, k, t] = idx[a, t] == k ? on : off over (outer, depth, inner); on/off in out's dtype.
cudaError_t launch_one_hot(const int64_t* idx, void* out, size_t elem_size, ScalarValue on,
                           ScalarValue off, int64_t outer, int64_t depth, int64_t inner,
                           cudaStream_t stream);
// out (zeroed by the caller) [o, idx[j], t] += dy[o, j, t]; bad indices as launch_gather.
// cudaErrorInvalidValue for bool (no byte atomics).
cudaError_t launch_gather_grad(DType dt, const void* dy, const int64_t* idx, void* out,
                               int64_t outer, int64_t len, int64_t num_idx, int64_t inner,
                               int* bad_flag, int64_t* bad_index, cudaStream_t stream);
// A random_uniform / random_normal draw of `seed` (runtime/ops/random_math.h) into out.
cudaError_t launch_random(OpKind op, DType dt, void* out, int64_t n, uint64_t seed, double a,
                          double b, cudaStream_t stream);

}  // namespace xag::rt::cuda
