#include "runtime/backend/registry.h"

#include <cstdlib>
#include <mutex>

#include "runtime/backend/cpu_backend.h"
#include "runtime/backend/test_backend.h"
#ifdef XAG_HAVE_CUDA
#include "runtime/backend/cuda/register.h"
#endif

namespace xag::rt {

namespace detail {
// Written only under g_mu before an id is handed out; read without a lock afterwards (an id
// reaches a tensor only after its backend is in the table).
Backend* g_backends[kMaxDevices] = {};

Backend& missing_backend(DeviceId id) {
  throw InternalError("no backend is registered for device id " + std::to_string(id));
}
}  // namespace detail

namespace {

std::mutex g_mu;
bool g_listed[kMaxDevices] = {};  // shown by device_names/find_backend
int g_count = 0;

void show_test_backend(bool enabled) {
  static const DeviceId id = register_backend(&test_backend());
  std::lock_guard<std::mutex> lk(g_mu);
  g_listed[id] = enabled;
}

// The CPU, and the test backend when XAG_TEST_BACKEND=1, before anything else runs.
int init_registry() {
  static CpuBackend cpu;
  register_backend(&cpu);
#ifdef XAG_HAVE_CUDA
  cuda::register_cuda_backends();  // "gpu:N" only where a GPU is present at run time
#endif
  const char* env = std::getenv("XAG_TEST_BACKEND");
  if (env && env[0] == '1') show_test_backend(true);
  return 0;
}

void ensure_init() {
  static const int once = init_registry();
  (void)once;
}

[[maybe_unused]] const int g_static_init = (ensure_init(), 0);

}  // namespace

DeviceId register_backend(Backend* b) {
  std::lock_guard<std::mutex> lk(g_mu);
  for (int i = 0; i < g_count; ++i) {
    if (detail::g_backends[i]->name() == b->name()) {
      throw InvalidArgumentError("a backend named '" + b->name() + "' is already registered");
    }
  }
  if (g_count >= kMaxDevices) throw InvalidArgumentError("too many backends registered");
  b->id_ = static_cast<DeviceId>(g_count);
  detail::g_backends[g_count] = b;
  g_listed[g_count] = true;
  return static_cast<DeviceId>(g_count++);
}

Backend& cpu_backend() {
  ensure_init();
  return *detail::g_backends[kCpuDevice];
}

Backend* find_backend(std::string_view name) {
  ensure_init();
  std::lock_guard<std::mutex> lk(g_mu);
  for (int i = 0; i < g_count; ++i)
    if (g_listed[i] && detail::g_backends[i]->name() == name) return detail::g_backends[i];
  return nullptr;
}

DeviceId device_id(std::string_view name) {
  if (Backend* b = find_backend(name)) return b->id();
  std::string known;
  for (const std::string& n : device_names()) known += (known.empty() ? "'" : ", '") + n + "'";
  throw InvalidArgumentError("device '" + std::string(name) +
                             "' is not available (devices: " + known + ")");
}

std::vector<std::string> device_names() {
  ensure_init();
  std::lock_guard<std::mutex> lk(g_mu);
  std::vector<std::string> out;
  for (int i = 0; i < g_count; ++i)
    if (g_listed[i]) out.push_back(detail::g_backends[i]->name());
  return out;
}

const std::string& device_name(DeviceId id) {
  return backend(id).name();
}

void enable_test_backend(bool enabled) {
  ensure_init();
  show_test_backend(enabled);
}

}  // namespace xag::rt
