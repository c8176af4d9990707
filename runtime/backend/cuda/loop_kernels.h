// Launcher of the device loop's condition kernel (loop_kernels.cu); host-side declaration.
#pragma once

#include <cuda_runtime_api.h>

#include "runtime/core/dtype.h"

namespace xag::rt::cuda {

// Sets `handle` to truth(*pred) (pred: a device scalar of `dtype`; null: `host_value`), or to 0
// when *stop (device address of host-mapped memory) is set.
cudaError_t launch_loop_condition(cudaGraphConditionalHandle handle, const void* pred, DType dtype,
                                  bool host_value, const int* stop, cudaStream_t stream);

}  // namespace xag::rt::cuda
