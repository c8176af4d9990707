#include "runtime/backend/placement.h"

namespace xag::rt {

namespace detail {
[[gnu::visibility("hidden")]] std::atomic<int> g_offhost_scopes{0};
}  // namespace detail

namespace {
thread_local DeviceId t_placed = kCpuDevice;
}  // namespace

DeviceId placed_device() {
  return t_placed;
}

DeviceScope::DeviceScope(DeviceId device) : previous_(t_placed), offhost_(device != kCpuDevice) {
  t_placed = device;
  if (offhost_) detail::g_offhost_scopes.fetch_add(1, std::memory_order_relaxed);
}

DeviceScope::~DeviceScope() {
  t_placed = previous_;
  if (offhost_) detail::g_offhost_scopes.fetch_sub(1, std::memory_order_relaxed);
}

namespace {
bool must_move(const Tensor& t, DeviceId device) {
  return t.defined() && t.device() != device && !(t.on_host() && t.rank() == 0);
}
}  // namespace

const Tensor* inputs_on(DeviceId device, const Tensor* in, size_t n, std::vector<Tensor>& moved) {
  size_t first = n;
  for (size_t i = 0; i < n; ++i) {
    if (must_move(in[i], device)) {
      first = i;
      break;
    }
  }
  if (first == n) return in;
  moved.assign(in, in + n);
  for (size_t i = first; i < n; ++i)
    if (must_move(moved[i], device)) moved[i] = moved[i].to(device);
  return moved.data();
}

}  // namespace xag::rt
