// CUDA C source for a fused element-wise program (runtime/graph/fused.h): one kernel that runs
// every step per element with the same functors as the CPU (runtime/ops/scalar_math.h, handed to
// NVRTC as a header with runtime/core/host_device.h and small std shims over libcu++). Plain
// C++: tests/runtime/cuda_plain_test.cpp checks the text on the CPU, and in CUDA builds
// compiles it with NVRTC (which needs no GPU).
//
// Kernel ABI (what nvrtc_fused.cpp passes): for each input k, `const T* p_k, long long s_k,
// T v_k` (p_k null: the scalar v_k; s_k 0: a broadcast 0-d device tensor, 1: full size), then
// `T* out, long long n`.
#pragma once

#include <string>
#include <vector>

#include "runtime/graph/fused.h"

namespace xag::rt::cuda {

inline constexpr const char* kFusedKernelName = "xag_fused";

// The source, or an empty string when the program has a step this generator cannot express
// (then the backend runs the steps as ops).
std::string fused_kernel_source(const FusedProgram& prog);

// The headers the source includes, as (name, text) pairs for nvrtcCreateProgram.
struct SourceHeader {
  const char* name;
  const char* text;
};
std::vector<SourceHeader> fused_kernel_headers();

// The functor struct of an element-wise op ("Add" for OpKind::Add), or null for other ops.
const char* functor_name(OpKind op);

}  // namespace xag::rt::cuda
