// Placement: which device ops run on. An ag.device scope (DeviceScope) sets it per thread; without
// one ops run on the CPU. Inputs on another device than the op's are copied there first (the
// implicit copies of TensorFlow), so the CPU kernels only ever see host tensors.
//
// The eager hot path pays one branch for all this: needs_placement() ORs the inputs' device ids
// with a process-wide count of scopes that place ops off the host; zero means "CPU, nothing to
// copy" and the op goes straight to the CPU kernels.
#pragma once

#include <atomic>
#include <cstddef>
#include <vector>

#include "runtime/core/tensor.h"

namespace xag::rt {

namespace detail {
// Number of live DeviceScopes (all threads) whose device is not the CPU. Hidden: read with one
// PC-relative load (no GOT) inside the module the runtime is linked into.
[[gnu::visibility("hidden")]] extern std::atomic<int> g_offhost_scopes;
inline unsigned offhost_scopes() {
  return static_cast<unsigned>(g_offhost_scopes.load(std::memory_order_relaxed));
}
}  // namespace detail

// The device ops on this thread are placed on (the innermost DeviceScope's, else the CPU).
DeviceId placed_device();

// Places the ops of this thread on `device` while it lives (nests; restores on destruction).
class DeviceScope {
 public:
  explicit DeviceScope(DeviceId device);
  ~DeviceScope();
  DeviceScope(const DeviceScope&) = delete;
  DeviceScope& operator=(const DeviceScope&) = delete;

 private:
  DeviceId previous_;
  bool offhost_;
};

// False when every input is on the host and no thread places ops elsewhere (the CPU fast path).
inline bool needs_placement(const Tensor* in, size_t n) {
  const unsigned scopes = detail::offhost_scopes();
  switch (n) {  // the common arities as one OR and one compare (a loop would get vectorized)
    case 2:
      return (scopes | in[0].device() | in[1].device()) != 0;
    case 1:
      return (scopes | in[0].device()) != 0;
    default:
      for (size_t i = 0; i < n; ++i)
        if (in[i].device() != kCpuDevice) return true;
      return scopes != 0;
  }
}

// Copies of `in[0..n)` on `device` into `moved` (only where an input is elsewhere; undefined
// entries stay undefined, 0-d host tensors stay on the host: backends take scalars by value) and
// returns a pointer to the inputs to use: `in` itself when nothing had to move.
const Tensor* inputs_on(DeviceId device, const Tensor* in, size_t n, std::vector<Tensor>& moved);

// A value entering a graph run placed on `device` (a parameter or constant): moved there once per
// run. 0-d values stay on the host, where the executor's scalar instructions read them, and so do
// string tensors.
inline void place_value(Tensor& t, DeviceId device) {
  if (t.rank() != 0 && t.device() != device && t.defined() && t.dtype() != DType::String)
    t = t.to(device);  // strings stay on the host (their ops run on the CPU)
}

}  // namespace xag::rt
