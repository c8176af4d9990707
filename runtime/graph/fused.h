// The expression program of a FusedElementwise node: a chain of element-wise ops evaluated per
// element in one pass over memory (see runtime/exec/fused_eval.h), built by the fusion pass.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/core/dtype.h"
#include "runtime/ops/ops.h"

namespace xag::rt {

// One op of the program. Operands name registers: 0..num_inputs-1 are the node's inputs, then
// register num_inputs + i holds the result of step i.
struct FusedStep {
  OpKind op = OpKind::Identity;
  int16_t a = -1, b = -1, c = -1;
};

// Every register has `dtype` (fusion only joins ops whose inputs and output share one float
// dtype); the result is the last step's register. Inputs are either the output's shape or
// scalars (broadcast).
struct FusedProgram {
  DType dtype = DType::Float32;
  int num_inputs = 0;
  std::vector<FusedStep> steps;
  // ReduceMax or ReduceMin: the node's output is the 0-d max/min over every element of the last
  // step's result, accumulated block by block (no temporary array). Identity: no reduction, the
  // output is the last step's array. Only max/min are fused: their result does not depend on
  // the order of accumulation, so it equals the unfused reduction exactly (a sum would not).
  OpKind reduce = OpKind::Identity;

  // "r2 = mul(r0, r1); r3 = add(r2, r1)".
  std::string to_string() const;
};

}  // namespace xag::rt
