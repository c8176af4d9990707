// The expression program of a FusedElementwise node: a chain of element-wise ops evaluated per
// element in one pass over memory (see runtime/exec/fused_eval.h), built by the fusion pass.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/core/dtype.h"
#include "runtime/core/shape.h"
#include "runtime/ops/ops.h"

namespace xag::rt {

// One op of the program. Operands name registers: 0..num_inputs-1 are the node's inputs, then
// register num_inputs + i holds the result of step i.
struct FusedStep {
  OpKind op = OpKind::Identity;
  int16_t a = -1, b = -1, c = -1;
};

// Every register has `dtype` (fusion only joins ops whose inputs and output share one float
// dtype); the result is the last step's register. Inputs are the output's shape, scalars, or
// rows (see is_fused_row): a bias `(D,)` added to a `(B, D)` activation fuses with it.
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

// Maximum number of row inputs of one program (the evaluator keeps a block buffer per row).
inline constexpr int kMaxFusedRows = 4;

// True when `in` broadcasts to `out` by repetition along leading dims only: after dropping its
// leading 1s, `in`'s dims are `out`'s last dims, e.g. (256,) or (1, 256) into (64, 256). Such an
// input's element for output element i is in[i % in.num_elements()].
inline bool is_fused_row(const Shape& in, const Shape& out) {
  if (in.rank() > out.rank()) return false;  // broadcasting would add leading dims
  int lead = 0;
  while (lead < in.rank() && in[lead] == 1) ++lead;
  const int k = in.rank() - lead;
  for (int j = 0; j < k; ++j)
    if (in[lead + j] != out[out.rank() - k + j]) return false;
  return true;
}

}  // namespace xag::rt
