// "test:0": a backend for tests that behaves like a device whose memory the host cannot touch,
// so placement and implicit copies can be tested without a GPU. Its buffer addresses lie in a
// range reserved with no access rights: any host code that reads a tensor on it without copying
// it first crashes instead of silently reading data. The bytes themselves live in host blocks
// only this backend reaches (through the copy functions). Ops run by copying their inputs out,
// calling the CPU kernels, and copying the result in; every input but 0-d host scalars must
// already be on test:0 (otherwise a copy was missing and run_op throws). Counters let tests check
// what moved.
//
// Registered only by enable_test_backend() / XAG_TEST_BACKEND=1 (runtime/backend/registry.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "runtime/backend/backend.h"

namespace xag::rt {

struct TestBackendStats {
  int64_t allocations = 0, deallocations = 0;
  int64_t live_buffers = 0;
  int64_t to_device = 0, to_host = 0, on_device = 0;  // copies by direction
  int64_t ops = 0;  // run_op calls (fused programs arrive as their steps: no run_fused)

  // (name, value) of every counter, for the bindings' dict.
  std::vector<std::pair<const char*, int64_t>> fields() const {
    return {{"allocations", allocations},
            {"deallocations", deallocations},
            {"live_buffers", live_buffers},
            {"to_device", to_device},
            {"to_host", to_host},
            {"on_device", on_device},
            {"ops", ops}};
  }
};

class TestBackend final : public Backend {
 public:
  TestBackend();
  ~TestBackend() override;
  void* allocate(size_t bytes) override;
  void deallocate(void* p, size_t bytes) noexcept override;
  void copy_from_host(void* dst, const void* host_src, size_t bytes) override;
  void copy_to_host(void* host_dst, const void* src, size_t bytes) override;
  void copy_on_device(void* dst, const void* src, size_t bytes) override;
  void run_op(const OpCall& call, Tensor& out) override;
  // Whole-loop runs (Backend::run_loop) go to `loop_runner` when a test sets it (none: the
  // executor's host-driven loop), so the device-loop hand-off is tested without a GPU.
  bool run_loop(const LoopPlan& plan, std::vector<Tensor>& state,
                const std::function<bool()>& stop) override {
    return loop_runner && loop_runner(plan, state, stop);
  }
  std::function<bool(const LoopPlan&, std::vector<Tensor>&, const std::function<bool()>&)>
      loop_runner;

  TestBackendStats stats() const;
  void reset_stats();
  // True when `p` is an address inside the reserved device range.
  bool owns(const void* p) const;

 private:
  size_t offset_of(const void* p) const;  // from base_
  // The host bytes behind device address `p` with at least `bytes` left in its block.
  unsigned char* shadow(const void* p, size_t bytes);
  Tensor to_host_copy(const Tensor& t);

  struct Block {
    size_t bytes;
    std::unique_ptr<unsigned char[]> data;
  };
  mutable std::mutex mu_;
  // The reserved range; blocks are keyed by their offset in it, handed out in address order.
  std::map<size_t, Block> blocks_;
  char* base_ = nullptr;
  size_t next_ = 0;
  TestBackendStats stats_;
};

// The process's test backend (not registered by this call: see enable_test_backend).
TestBackend& test_backend();

}  // namespace xag::rt
