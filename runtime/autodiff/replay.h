// Replay: rebuilds the nodes of a branch or loop-body subgraph in the graph the builder is in
// now, with the subgraph's params bound to given values. The gradient of a Cond or While
// recomputes the forward branch (or one iteration of the body) this way next to its backward
// pass, instead of keeping every intermediate of the forward run (see grad_while.cpp for what
// a loop stores per iteration).
#pragma once

#include <unordered_map>
#include <vector>

#include "runtime/graph/builder.h"

namespace xag::rt::autodiff {

struct Replayed {
  std::vector<Value> outputs;  // the subgraph's results, rebuilt
  std::vector<Node*> nodes;    // the nodes made in the current graph, in program order
  // Each rebuilt value of those nodes -> the value of the replayed graph it recomputes.
  std::unordered_map<Value, Value, ValueHash> forward_of;
};

// Side effects (print, assert) are left out: they ran in the forward pass. A variable update
// stands for its value; updates by a delta throw StagingError (the variable has moved on).
// `substitutes` (values of g's top level -> values to use instead) skips the nodes all of whose
// outputs it names.
using ValueMap = std::unordered_map<Value, Value, ValueHash>;
Replayed replay(GraphBuilder& b, const Graph& g, const std::vector<Value>& args,
                const ValueMap& substitutes = {});

}  // namespace xag::rt::autodiff
