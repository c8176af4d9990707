// Evaluation of FusedElementwise programs: one pass over memory in blocks of kFusedBlock
// elements, every step computed into small stack buffers, blocks split across threads.
#pragma once

#include <cstddef>

#include "runtime/core/tensor.h"
#include "runtime/graph/fused.h"

namespace xag::rt::exec {

inline constexpr int kFusedBlock = 256;

// Computes `prog` over `inputs` (each of the result's shape or a scalar) into `out`, reusing
// out's buffer when it is exclusively owned and of the right dtype and shape.
void run_fused(const FusedProgram& prog, const Tensor* inputs, size_t n, Tensor& out);

}  // namespace xag::rt::exec
