// The backend interface: where tensors live and ops run. One Backend object per device ("cpu",
// "gpu:0", ...), found by id or name in the registry. A backend owns memory that may not be host
// addressable: tensors on it carry its DeviceId, and everything that crosses devices goes through
// the copy functions below. Modelled on ggml-backend: buffers + copies + "compute this" +
// synchronize, with optional hooks a backend may leave to the generic code.
//
// Contract for implementers:
//   - allocate/deallocate: raw device buffers of at least `bytes` (64-byte aligned, byte offsets
//     inside a buffer are valid addresses: views point into buffers). 0-byte requests get a
//     valid, unique buffer.
//   - copies are synchronous from the caller's point of view (an asynchronous backend orders
//     them on its stream and waits before copy_to_host returns).
//   - run_op: every input is on this device (the dispatcher copies the others in first), except
//     0-d host tensors: scalars travel by value (a GPU kernel takes them as arguments), so
//     `x * 2` and loop counters cost no copy. `out` is already allocated here with the result's
//     dtype and shape (TensorSpec of infer()), or is an exclusively owned buffer of that dtype
//     and shape being reused.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "runtime/core/tensor.h"
#include "runtime/ops/ops.h"

namespace xag::rt {

struct FusedProgram;
struct SlicePlan;
struct LoopPlan;  // runtime/backend/cuda/loop_plan.h

// One op for a backend to run (see the contract above).
struct OpCall {
  OpKind op = OpKind::Identity;
  const Tensor* in = nullptr;
  size_t n = 0;
  const OpAttrs* attrs = nullptr;
  const TensorSpec* spec = nullptr;  // the result's dtype and (concrete) shape
  const SlicePlan* plan = nullptr;   // GetItem: the subscript resolved against in[0]'s shape
};

class Backend {
 public:
  explicit Backend(std::string name) : name_(std::move(name)) {}
  virtual ~Backend() = default;
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  // "cpu", "test:0", "gpu:0": what ag.list_devices() shows and ag.device() accepts.
  const std::string& name() const { return name_; }
  // Set by register_backend; tensors on this backend carry it.
  DeviceId id() const { return id_; }

  // ---- memory ----
  // True only for the CPU: its buffers are host memory and tensors on it are read directly.
  virtual bool host_memory() const { return false; }
  virtual void* allocate(size_t bytes) = 0;  // throws std::bad_alloc when out of memory
  virtual void deallocate(void* p, size_t bytes) noexcept = 0;

  // ---- copies (byte counts; `dst`/`src` without "host" are this backend's addresses) ----
  virtual void copy_from_host(void* dst, const void* host_src, size_t bytes) = 0;
  virtual void copy_to_host(void* host_dst, const void* src, size_t bytes) = 0;
  virtual void copy_on_device(void* dst, const void* src, size_t bytes) = 0;
  // Optional: a direct copy from another backend's buffer (peer access between GPUs). Returns
  // false when not supported; the caller then goes through the host.
  virtual bool copy_from_peer(void* dst, const Backend& from, const void* src, size_t bytes) {
    return false;
  }

  // ---- execution ----
  // Runs one op (contract above). Throws InvalidArgumentError for bad values found while running
  // (integer division by zero, out-of-range gather indices), like the CPU kernels.
  virtual void run_op(const OpCall& call, Tensor& out) = 0;
  // Optional: a fused element-wise program (runtime/graph/fused.h) as one kernel. Returns false
  // when not supported; the dispatcher then runs the program's steps as ops on this backend.
  // When true, `out` holds the result (reused when exclusively owned with the right spec).
  virtual bool run_fused(const FusedProgram& prog, const Tensor* in, size_t n, Tensor& out) {
    return false;
  }
  // Optional: runs a whole staged While on the device without returning to the host per
  // iteration (the CUDA backend: a graph with a conditional node). `state` holds the loop
  // variables then the captures (on this device or 0-d on the host); when it returns true the
  // first plan.num_vars entries hold the results. False: the caller runs its host-driven loop.
  // `stop` is polled while the loop runs; when it says true the loop stops at the end of an
  // iteration and this throws CancelledError.
  virtual bool run_loop(const LoopPlan& plan, std::vector<Tensor>& state,
                        const std::function<bool()>& stop) {
    return false;
  }
  // Optional for synchronous backends: waits until queued work and copies are done.
  virtual void synchronize() {}

  // An uninitialized tensor on this device. Host backends keep small tensors inline.
  Tensor empty(DType dtype, const Shape& shape);

 private:
  friend DeviceId register_backend(Backend* backend);
  std::string name_;
  DeviceId id_ = kCpuDevice;
};

}  // namespace xag::rt
