// Bindings of runtime/backend: the device registry (ag.list_devices), the per-thread placement
// that ag.device sets, and the test backend's hooks (tests only).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "pybind_common.h"
#include "runtime/backend/placement.h"
#include "runtime/backend/registry.h"
#include "runtime/backend/test_backend.h"
#ifdef XAG_HAVE_CUDA
#include "runtime/backend/cuda/register.h"
#endif

namespace xag::py {

void bind_devices(py::module_& m) {
  m.def("list_devices", &rt::device_names);
  // `with ag.device(name):` places this thread's ops on a device until exit (nests).
  bind_scope<rt::DeviceScope, std::string>(
      m, "_DeviceScope",
      [](auto& scope, const std::string& name) { scope.emplace(rt::device_id(name)); });
  // A copy of an eager tensor on another device (the tensor itself when already there).
  m.def("_to_device", [](py::handle t, const std::string& name) {
    PyTensor* p = tensor_ptr(t);
    if (!p || p->symbolic()) throw rt::InvalidArgumentError("_to_device: not an eager tensor");
    return wrap(p->value.to(rt::device_id(name)));
  });

  // GPUs the CUDA runtime sees, asked directly (0 in builds without CUDA): tests compare
  // list_devices() with it.
  m.def("_cuda_device_count", [] {
#ifdef XAG_HAVE_CUDA
    return rt::cuda::cuda_device_count();
#else
    return 0;
#endif
  });

  // ---- test backend (never listed unless a test enables it) ----
  m.def("_enable_test_backend", &rt::enable_test_backend, py::arg("enabled") = true);
  m.def("_test_backend_stats",
        [] { return py::dict(py::cast(rt::test_backend().stats().fields())); });
  m.def("_reset_test_backend_stats", [] { rt::test_backend().reset_stats(); });
}

}  // namespace xag::py
