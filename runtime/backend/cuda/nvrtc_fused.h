// Fused element-wise programs on the GPU: the source of fused_source.h compiled by NVRTC into
// one kernel per distinct program (cached for the process, keyed by the program's text and
// dtype), loaded through the CUDA runtime's library API (no link against the driver library,
// so a machine without a GPU driver still loads the module).
#pragma once

#include <cuda_runtime_api.h>

#include <map>
#include <mutex>
#include <string>

#include "runtime/core/tensor.h"
#include "runtime/graph/fused.h"

namespace xag::rt::cuda {

class CudaBackend;

// Compiles `source` for GPU architecture `sm` (e.g. 90) to a cubin; throws DeviceError with
// NVRTC's log on failure. Needs no GPU (tests call it on the CPU).
std::string compile_cuda_source(const std::string& source, int sm);

class FusedKernelCache {
 public:
  explicit FusedKernelCache(CudaBackend& backend) : backend_(backend) {}
  ~FusedKernelCache();
  // Runs `prog` over `in` (on this GPU, or 0-d host scalars) into `out`; false when the program
  // cannot be generated (the caller runs its steps as ops).
  bool run(const FusedProgram& prog, const Tensor* in, size_t n, Tensor& out);
  size_t size() const;

 private:
  struct Entry {
    cudaLibrary_t library = nullptr;
    cudaKernel_t kernel = nullptr;  // null: not expressible, run the steps
  };
  const Entry& get(const FusedProgram& prog);

  CudaBackend& backend_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> cache_;
};

}  // namespace xag::rt::cuda
