#include "runtime/backend/cuda/cuda_status.h"

#include "runtime/backend/cuda/lazy_libs.h"
#include "runtime/core/errors.h"

namespace xag::rt::cuda {

void check(cudaError_t e, const char* what, const std::string& device) {
  if (e == cudaSuccess) return;
  (void)cudaGetLastError();  // clear a non-sticky error so the next op starts clean
  const std::string msg = std::string(what) + " on " + device + ": " + cudaGetErrorName(e) + ": " +
                          cudaGetErrorString(e);
  if (e == cudaErrorMemoryAllocation) throw OutOfMemoryError("out of memory: " + msg);
  throw DeviceError(msg);
}

void check_cublas(cublasStatus_t s, const char* what, const std::string& device) {
  if (s == CUBLAS_STATUS_SUCCESS) return;
  const std::string msg = std::string(what) + " on " + device + ": cuBLAS " +
                          cublas_api().status_name(s) + ": " + cublas_api().status_string(s);
  if (s == CUBLAS_STATUS_ALLOC_FAILED) throw OutOfMemoryError("out of memory: " + msg);
  throw DeviceError(msg);
}

}  // namespace xag::rt::cuda
