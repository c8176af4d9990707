#include "runtime/backend/cuda/register.h"

#include <cuda_runtime_api.h>

#include <exception>

#include "runtime/backend/cuda/cuda_backend.h"
#include "runtime/backend/registry.h"

namespace xag::rt::cuda {

namespace {
// A function-local static: the registry probes during static initialization, possibly before
// a namespace-scope string of this file would be constructed.
std::string& message() {
  static std::string m = "not probed";
  return m;
}
}  // namespace

int register_cuda_backends() {
  int count = 0;
  // No driver (libcuda absent) or no GPU: an error code, never an abort.
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    (void)cudaGetLastError();
    message() =
        std::string("cudaGetDeviceCount: ") + cudaGetErrorName(e) + ": " + cudaGetErrorString(e);
    return 0;
  }
  int registered = 0;
  for (int i = 0; i < count; ++i) {
    try {
      register_backend(new CudaBackend(i));  // lives for the process, like the registry
      ++registered;
    } catch (const std::exception& ex) {
      message() = std::string("gpu:") + std::to_string(i) + " unusable: " + ex.what();
    }
  }
  if (registered == count) message() = std::to_string(count) + " CUDA device(s)";
  return registered;
}

std::string cuda_probe_message() {
  return message();
}

int cuda_device_count() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    (void)cudaGetLastError();
    return 0;
  }
  return count;
}

}  // namespace xag::rt::cuda
