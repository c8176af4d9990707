// The condition kernel of a device loop (device_loop.cpp): the last node of each iteration of
// the CUDA graph's WHILE body. It reads the loop's predicate on the device, and a host-mapped
// stop flag the host sets on an interrupt, and sets the conditional node's value for the next
// iteration: the loop never returns to the host to decide whether to go on.
#include <cuda_runtime.h>

#include "runtime/backend/cuda/loop_kernels.h"

namespace xag::rt::cuda {

namespace {

__device__ bool truth_of(const void* p, int dtype) {
  switch (static_cast<DType>(dtype)) {
    case DType::Bool:
      return *static_cast<const bool*>(p);
    case DType::Int32:
      return *static_cast<const int32_t*>(p) != 0;
    case DType::Int64:
      return *static_cast<const int64_t*>(p) != 0;
    case DType::Float32:
      return *static_cast<const float*>(p) != 0.0f;
    case DType::Float64:
      return *static_cast<const double*>(p) != 0.0;
  }
  return false;
}

__global__ void loop_condition_kernel(cudaGraphConditionalHandle handle, const void* pred,
                                      int dtype, bool host_value, const volatile int* stop) {
  bool go = pred ? truth_of(pred, dtype) : host_value;
  if (*stop) go = false;  // the host asked to stop: end after this iteration
  cudaGraphSetConditional(handle, go ? 1u : 0u);
}

}  // namespace

cudaError_t launch_loop_condition(cudaGraphConditionalHandle handle, const void* pred, DType dtype,
                                  bool host_value, const int* stop, cudaStream_t stream) {
  loop_condition_kernel<<<1, 1, 0, stream>>>(handle, pred, static_cast<int>(dtype), host_value,
                                             stop);
  return cudaGetLastError();
}

}  // namespace xag::rt::cuda
