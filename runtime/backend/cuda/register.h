// Registers one CUDA backend per GPU the CUDA runtime finds ("gpu:0", "gpu:1", ...). Without a
// driver or a device it registers nothing and says why in cuda_probe_message(); it never aborts.
// Called once by the registry at startup in builds with XAG_HAVE_CUDA.
#pragma once

#include <string>

namespace xag::rt::cuda {

// Returns the number of GPUs registered.
int register_cuda_backends();
// "2 CUDA device(s)" or why there is none ("cudaGetDeviceCount: cudaErrorNoDevice: ...").
std::string cuda_probe_message();
// How many devices the CUDA runtime sees now (0 without a driver or a device), asked directly
// rather than read from the registry, so tests can check the registry against it.
int cuda_device_count();

}  // namespace xag::rt::cuda
