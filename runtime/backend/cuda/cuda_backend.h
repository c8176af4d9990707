// The CUDA backend: one per GPU ("gpu:N"), registered at startup only when the CUDA runtime
// finds devices (register.h). Registering creates no CUDA context: the stream and the context
// come with the first use, so importing the module on a GPU machine stays cheap. Memory comes from
// a caching allocator over cudaMalloc; every op, copy and fused kernel is queued on one stream per
// device, so buffers freed by one op are safely reused by the next; copies to the host wait for the
// stream. Ops run through cuda_ops.cpp.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <memory>
#include <mutex>
#include <vector>

#include "runtime/backend/backend.h"
#include "runtime/backend/cuda/caching_allocator.h"

namespace xag::rt::cuda {

class FusedKernelCache;

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(int ordinal);
  ~CudaBackend() override;

  void* allocate(size_t bytes) override;
  void deallocate(void* p, size_t bytes) noexcept override;
  void copy_from_host(void* dst, const void* host_src, size_t bytes) override;
  void copy_to_host(void* host_dst, const void* src, size_t bytes) override;
  void copy_on_device(void* dst, const void* src, size_t bytes) override;
  void run_op(const OpCall& call, Tensor& out) override;
  bool run_fused(const FusedProgram& prog, const Tensor* in, size_t n, Tensor& out) override;
  void synchronize() override;
  bool run_loop(const LoopPlan& plan, std::vector<Tensor>& state,
                const std::function<bool()>& stop) override;

  int ordinal() const { return ordinal_; }
  cudaStream_t stream() const { return stream_; }
  // Makes this GPU current on the calling thread and, the first time, creates the stream and
  // fault flags (cheap afterwards; every entry point calls it).
  void activate();
  // The cuBLAS handle, created on first use and bound to stream().
  cublasHandle_t cublas();
  // A zeroed device int and int64 for kernels that report bad values (fault flags, bad indices),
  // and a read of them (waits for the stream).
  int* fault_flag();
  int64_t* fault_value();
  void read_fault(int* flag, int64_t* value);
  // Integer division, modulo and powers report bad values without a synchronization per op:
  // each such launch gets a device flag of its own and the call is remembered (its inputs kept
  // alive); check_faults(), at every copy to the host, synchronize() and loop launch, reads the
  // flags once and reruns the first faulting call on the host, which raises the CPU's error
  // naming the op.
  int* defer_fault_check(const OpCall& call, const Tensor& out);
  void check_faults();
  AllocatorStats allocator_stats() const { return allocator_.stats(); }
  CachingAllocator& allocator() { return allocator_; }

 private:
  class Raw final : public RawAllocator {
   public:
    explicit Raw(CudaBackend& b) : b_(b) {}
    void* alloc(size_t bytes) override;
    void free(void* p) override;

   private:
    CudaBackend& b_;
  };

  void init_once();

  int ordinal_;
  std::once_flag init_;
  cudaStream_t stream_ = nullptr;
  cublasHandle_t cublas_ = nullptr;
  std::mutex cublas_mu_;
  Raw raw_;
  CachingAllocator allocator_;
  void* fault_ = nullptr;  // int flag, then int64 value
  struct PendingFault {
    OpKind op;
    OpAttrs attrs;
    std::vector<Tensor> in;
    TensorSpec spec;
  };
  static constexpr size_t kFaultSlots = 64;
  int* fault_slots_ = nullptr;  // one int per pending check
  std::mutex pending_mu_;
  std::vector<PendingFault> pending_;
  std::unique_ptr<FusedKernelCache> fused_;
};

}  // namespace xag::rt::cuda
