// The registry of backends: id -> Backend (a table lookup, for tensors' 1-byte device ids) and
// name -> Backend (for ag.device). The CPU is id 0 and always present. Others register once at
// startup (a CUDA build registers "gpu:0", "gpu:1", ...) and stay for the process's lifetime.
//
// The test backend ("test:0", runtime/backend/test_backend.h) is compiled in but registered only
// on request: enable_test_backend() from tests, or the environment variable XAG_TEST_BACKEND=1.
// Users never see it otherwise.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/backend/backend.h"

namespace xag::rt {

inline constexpr int kMaxDevices = 32;

// Adds `backend` (the registry keeps it forever) and returns its id. Throws InvalidArgumentError
// when the name is taken or the table is full.
DeviceId register_backend(Backend* backend);

namespace detail {
extern Backend* g_backends[kMaxDevices];
Backend& missing_backend(DeviceId id);
}  // namespace detail

// The backend of a registered id (a tensor's device()).
inline Backend& backend(DeviceId id) {
  Backend* b = id < kMaxDevices ? detail::g_backends[id] : nullptr;
  return b ? *b : detail::missing_backend(id);
}
Backend& cpu_backend();

// The backend named `name` ("cpu", "gpu:0", "test:0"), or null when none is listed under it.
Backend* find_backend(std::string_view name);
// The id of listed device `name`; InvalidArgumentError naming the listed devices otherwise.
DeviceId device_id(std::string_view name);
// The names of the listed devices in id order, "cpu" first (ag.list_devices()).
std::vector<std::string> device_names();
// The name of a device id ("cpu", "test:0").
const std::string& device_name(DeviceId id);

// Registers and lists the test backend (idempotent); `enabled` false hides it from the listing
// and find_backend again (its id stays valid for tensors still on it). Tests only.
void enable_test_backend(bool enabled = true);

}  // namespace xag::rt
