// The executor's entry point for fused element-wise programs: on the CPU (every input on the host,
// no device scope) exec's evaluator; elsewhere the placed backend's run_fused, or, when it has no
// fused kernels, the program's steps run one by one as ops on that backend.
#pragma once

#include <cstddef>

#include "runtime/core/tensor.h"
#include "runtime/graph/fused.h"

namespace xag::rt {

void run_fused_into(const FusedProgram& prog, const Tensor* in, size_t n, Tensor& out);

}  // namespace xag::rt
