#include "runtime/backend/cuda/cuda_backend.h"

#include <cstring>
#include <new>

#include "runtime/backend/cuda/cuda_ops.h"
#include "runtime/backend/cuda/cuda_status.h"
#include "runtime/backend/cuda/lazy_libs.h"
#include "runtime/backend/cuda/nvrtc_fused.h"
#include "runtime/core/errors.h"

namespace xag::rt::cuda {

void* CudaBackend::Raw::alloc(size_t bytes) {
  b_.activate();
  void* p = nullptr;
  if (cudaMalloc(&p, bytes) != cudaSuccess) {
    (void)cudaGetLastError();  // out of memory is not sticky: clear it
    return nullptr;
  }
  return p;
}

void CudaBackend::Raw::free(void* p) {
  b_.activate();
  cudaFree(p);
}

CudaBackend::CudaBackend(int ordinal)
    : Backend("gpu:" + std::to_string(ordinal)),
      ordinal_(ordinal),
      raw_(*this),
      allocator_(raw_),
      fused_(std::make_unique<FusedKernelCache>(*this)) {}

void CudaBackend::init_once() {
  check(cudaSetDevice(ordinal_), "selecting the device", name());
  check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "creating a stream", name());
  check(cudaMalloc(&fault_, 16), "allocating the fault flags", name());
  check(cudaMemset(fault_, 0, 16), "clearing the fault flags", name());
  check(cudaMalloc(reinterpret_cast<void**>(&fault_slots_), kFaultSlots * sizeof(int)),
        "allocating the fault flags", name());
  check(cudaMemset(fault_slots_, 0, kFaultSlots * sizeof(int)), "clearing the fault flags", name());
}

CudaBackend::~CudaBackend() {
  // Backends live for the process; at exit the driver may already be shutting down, so errors
  // are ignored here.
  fused_.reset();
  if (cublas_) cublas_api().destroy(cublas_);
  if (stream_) cudaStreamDestroy(stream_);
}

void CudaBackend::activate() {
  std::call_once(init_, [this] { init_once(); });  // a throw leaves it to the next call
  int current = -1;
  if (cudaGetDevice(&current) != cudaSuccess || current != ordinal_)
    check(cudaSetDevice(ordinal_), "selecting the device", name());
}

void* CudaBackend::allocate(size_t bytes) {
  void* p = allocator_.allocate(bytes);
  if (!p) throw std::bad_alloc();  // Backend::empty names the dtype, shape and device
  return p;
}

void CudaBackend::deallocate(void* p, size_t) noexcept {
  allocator_.deallocate(p);
}

void CudaBackend::copy_from_host(void* dst, const void* host_src, size_t bytes) {
  if (!bytes) return;
  activate();
  check(cudaMemcpyAsync(dst, host_src, bytes, cudaMemcpyHostToDevice, stream_),
        "copy to the device", name());
  // The host buffer may be freed as soon as this returns.
  check(cudaStreamSynchronize(stream_), "copy to the device", name());
}

void CudaBackend::copy_to_host(void* host_dst, const void* src, size_t bytes) {
  if (!bytes) return;
  activate();
  check(cudaMemcpyAsync(host_dst, src, bytes, cudaMemcpyDeviceToHost, stream_), "copy to the host",
        name());
  check(cudaStreamSynchronize(stream_), "copy to the host", name());
  check_faults();  // the stream is idle: reading the flags costs one small copy
}

void CudaBackend::copy_on_device(void* dst, const void* src, size_t bytes) {
  if (!bytes) return;
  activate();
  check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream_), "device copy", name());
}

bool CudaBackend::run_fused(const FusedProgram& prog, const Tensor* in, size_t n, Tensor& out) {
  return fused_->run(prog, in, n, out);
}

void CudaBackend::synchronize() {
  activate();
  check(cudaStreamSynchronize(stream_), "synchronize", name());
  check_faults();
}

int* CudaBackend::defer_fault_check(const OpCall& call, const Tensor& out) {
  PendingFault p{
      call.op, *call.attrs, {call.in, call.in + call.n}, TensorSpec{out.dtype(), out.shape()}};
  for (;;) {
    {
      std::lock_guard<std::mutex> lk(pending_mu_);
      if (pending_.size() < kFaultSlots) {
        pending_.push_back(std::move(p));
        return fault_slots_ + (pending_.size() - 1);
      }
    }
    check_faults();  // every flag in use: read them now (the only synchronization)
  }
}

void CudaBackend::check_faults() {
  std::vector<PendingFault> pending;
  {
    std::lock_guard<std::mutex> lk(pending_mu_);
    if (pending_.empty()) return;
    pending.swap(pending_);
  }
  int flags[kFaultSlots];
  const size_t bytes = pending.size() * sizeof(int);
  check(cudaMemcpyAsync(flags, fault_slots_, bytes, cudaMemcpyDeviceToHost, stream_),
        "reading faults", name());
  check(cudaStreamSynchronize(stream_), "reading faults", name());
  for (size_t i = 0; i < pending.size(); ++i) {
    if (!flags[i]) continue;
    check(cudaMemsetAsync(fault_slots_, 0, bytes, stream_), "clearing faults", name());
    // The first faulting call again on the host: the CPU kernel raises its exact error.
    const PendingFault& p = pending[i];
    OpCall c{p.op, p.in.data(), p.in.size(), &p.attrs, &p.spec, nullptr};
    Tensor scratch = empty(p.spec.dtype, p.spec.shape);
    run_on_host(*this, c, scratch);
    return;
  }
}

cublasHandle_t CudaBackend::cublas() {
  std::lock_guard<std::mutex> lk(cublas_mu_);
  if (!cublas_) {
    activate();
    check_cublas(cublas_api().create(&cublas_), "creating the cuBLAS handle", name());
    check_cublas(cublas_api().set_stream(cublas_, stream_), "binding cuBLAS to the stream", name());
  }
  return cublas_;
}

int* CudaBackend::fault_flag() {
  return static_cast<int*>(fault_);
}

int64_t* CudaBackend::fault_value() {
  return reinterpret_cast<int64_t*>(static_cast<char*>(fault_) + 8);
}

void CudaBackend::read_fault(int* flag, int64_t* value) {
  unsigned char host[16];
  check(cudaMemcpyAsync(host, fault_, 16, cudaMemcpyDeviceToHost, stream_), "reading faults",
        name());
  check(cudaStreamSynchronize(stream_), "reading faults", name());
  std::memcpy(flag, host, sizeof(int));
  std::memcpy(value, host + 8, sizeof(int64_t));
  if (*flag) check(cudaMemsetAsync(fault_, 0, 16, stream_), "clearing faults", name());
}

}  // namespace xag::rt::cuda
