// How the CUDA backend runs each op of op_kinds.def: a CUDA kernel, a view the dispatcher makes
// without calling the backend, or a declared host fallback (inputs copied to the host, the CPU
// kernel, the result copied back) with the reason. Plain C++: tests/runtime/cuda_plain_test.cpp
// walks the op table on the CPU and checks every row has a path, and every fallback a reason.
#pragma once

#include <cstdint>

#include "runtime/ops/ops.h"

namespace xag::rt::cuda {

enum class CudaPath : uint8_t {
  Kernel,        // runtime/backend/cuda/*.cu (or cuBLAS / cudaMemset)
  View,          // identity, stop_gradient, reshape: the dispatcher shares the buffer
  HostFallback,  // run_op copies to the host and back; `reason` says why
};

struct CudaCoverage {
  CudaPath path;
  const char* reason;  // empty for Kernel and View
};

CudaCoverage cuda_coverage(OpKind op);

}  // namespace xag::rt::cuda
