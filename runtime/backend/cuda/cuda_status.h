// CUDA, cuBLAS and NVRTC status codes as exceptions that name the op and the device: out of
// memory is an OutOfMemoryError (MemoryError in Python), anything else a DeviceError
// (RuntimeError). Nothing here aborts: the process (and the Jupyter kernel) keeps running.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <stdexcept>
#include <string>

namespace xag::rt::cuda {

class DeviceError : public std::runtime_error {
 public:
  explicit DeviceError(const std::string& msg) : std::runtime_error(msg) {}
};

// Throws unless `e` is cudaSuccess: "<what> on <device>: <cuda error name>: <description>".
// A failed launch leaves the error sticky in the runtime; it is cleared so later ops can run.
void check(cudaError_t e, const char* what, const std::string& device);
void check_cublas(cublasStatus_t s, const char* what, const std::string& device);

}  // namespace xag::rt::cuda
