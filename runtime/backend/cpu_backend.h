// The CPU backend: host memory and the kernels of runtime/cpu. Device id 0, always registered.
// The eager dispatcher calls run_cpu_op directly (no virtual call) for ops placed on the CPU.
#pragma once

#include "runtime/backend/backend.h"

namespace xag::rt {

// Runs `call` with the CPU kernels (inputs and `out` in host memory).
void run_cpu_op(const OpCall& call, Tensor& out);

class CpuBackend final : public Backend {
 public:
  CpuBackend() : Backend("cpu") {}
  bool host_memory() const override { return true; }
  void* allocate(size_t bytes) override;
  void deallocate(void* p, size_t bytes) noexcept override;
  void copy_from_host(void* dst, const void* host_src, size_t bytes) override;
  void copy_to_host(void* host_dst, const void* src, size_t bytes) override;
  void copy_on_device(void* dst, const void* src, size_t bytes) override;
  void run_op(const OpCall& call, Tensor& out) override { run_cpu_op(call, out); }
  bool run_fused(const FusedProgram& prog, const Tensor* in, size_t n, Tensor& out) override;
};

}  // namespace xag::rt
