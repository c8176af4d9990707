// Staged While loops on the GPU as CUDA graphs with a conditional WHILE node (CUDA 12.4+): the
// body graph is filled by stream capture of one iteration's kernels (the body's ops, the
// write-back of the loop variables into fixed buffers, the condition's ops, and a condition
// kernel that sets the node's value and checks a host-mapped stop flag), instantiated once per
// loop and input signature and cached on the plan (loop_plan.h). Per run: the state is copied
// into the fixed buffers, the condition is evaluated once on the host side (a loop that does
// not start launches nothing), the graph is launched and the host waits, polling for
// interrupts; an interrupt sets the mapped flag and the loop ends after the current iteration.
//
// Falls back (CudaBackend::run_loop returns false, the executor runs its host-driven loop, and
// plan.fallback says why) when the driver is older than 12.4, XAG_CUDA_GRAPHS=0, the loop's
// state changes shape, or capture fails (an op synchronized or ran on the host).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/backend/cuda/cuda_backend.h"
#include "runtime/backend/cuda/loop_plan.h"

namespace xag::rt::cuda {

bool run_device_loop(CudaBackend& b, const LoopPlan& plan, std::vector<Tensor>& state,
                     const std::function<bool()>& stop);

// "" when this driver runs conditional nodes, else why not ("driver 12.2 < 12.4").
std::string conditional_nodes_unsupported();

}  // namespace xag::rt::cuda
