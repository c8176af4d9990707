// Device loops: a staged While whose condition and body can run on a GPU as one CUDA graph with
// a conditional WHILE node (device_loop.h), so the loop never returns to the host per iteration.
// This file is the plain-C++ half, built and tested without CUDA: the decision "capturable or
// not, and why" over the While node, and the loop as a flat list of steps independent of the
// Graph (the executor keeps the plan; the graph may be destroyed after compile()).
//
// A loop is capturable when every node of its condition and body is an op with a CUDA kernel
// (coverage.h), a constant or a fused element-wise program, and every shape is known from the
// input shapes alone. Not capturable, with the reason: print/assert, lists and TensorArrays,
// variables, nested cond/while, ops that run on the host, ops whose result shape depends on a
// tensor's value, random ops, maximum_iterations, loop state whose shape changes.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/core/tensor.h"
#include "runtime/graph/graph.h"

namespace xag::rt {

struct FusedProgram;

// One step: values[out] = op(values[in...]). Values are numbered: the k loop variables, then
// the c captures (loop-invariant inputs), then one per step in order.
struct LoopStep {
  enum class Kind : uint8_t { Op, Fused, Const };
  Kind kind = Kind::Op;
  OpKind op = OpKind::Identity;
  OpAttrs attrs;
  std::shared_ptr<const FusedProgram> fused;
  Tensor value;  // Const
  std::vector<int32_t> in;
};

// What a backend keeps per plan (an instantiated CUDA graph per input signature); destroyed
// with the plan, so a graph never outlives the program that owns the loop.
class LoopCache {
 public:
  virtual ~LoopCache() = default;
};

struct LoopPlan {
  int32_t num_vars = 0;
  int32_t num_captures = 0;
  std::vector<LoopStep> steps;  // the condition's steps, then the body's
  size_t num_cond_steps = 0;
  int32_t pred = -1;             // the condition's result
  std::vector<int32_t> results;  // the body's k results
  SourceLoc loc;                 // the While node's (errors and cancellation name it)

  // Backend state, created on first use under `mu` (runs of one loop on a device serialize).
  mutable std::mutex mu;
  mutable std::unique_ptr<LoopCache> cache;
  // Why the last device run fell back to the host-driven loop ("" when it did not).
  mutable std::string fallback;

  int32_t num_values() const {
    return num_vars + num_captures + static_cast<int32_t>(steps.size());
  }
};

struct LoopPlanResult {
  std::shared_ptr<const LoopPlan> plan;  // null when not capturable
  std::string reason;                    // why not (empty when capturable)
};

// The plan of a While node, or why it cannot be captured.
LoopPlanResult plan_device_loop(const Node& while_node);

// Runs steps [begin, end) of `plan` with the ops dispatcher (run_into / run_fused_into on the
// current placement); values[0 .. k+c) are set by the caller. The CUDA backend runs one
// iteration under stream capture this way; tests run whole loops with it on the CPU.
void run_loop_steps(const LoopPlan& plan, size_t begin, size_t end, std::vector<Tensor>& values);

}  // namespace xag::rt
