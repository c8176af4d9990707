// Graph-to-graph optimizations, run from an explicit ordered list. Each pass rewrites a graph in
// place (recursing into Cond/While subgraphs), returns whether it changed anything, and keeps
// side effects, their order and the graph's results unchanged.
#pragma once

#include <string>
#include <vector>

#include "runtime/graph/graph.h"

namespace xag::rt {

// Evaluates pure nodes whose inputs are all constants (not random, not side effects) and
// replaces them with Const nodes.
bool fold_constants(Graph& graph);
// Merges identical pure nodes (same kind, op, attrs, inputs); constants with equal values too.
bool eliminate_common_subexpressions(Graph& graph);
// Removes pure nodes whose results are unused (side effects always stay).
bool eliminate_dead_code(Graph& graph);
// Applies the pattern -> rewrite table (x+0, x*1, --x, cast to same dtype, ...).
bool simplify_algebra(Graph& graph);
// Replaces chains of element-wise float ops by FusedElementwise nodes.
bool fuse_elementwise(Graph& graph);

struct Pass {
  const char* name;
  bool (*run)(Graph&);
};
using PassList = std::vector<Pass>;

// The default pipeline; the order and its reasons are documented in passes.cpp.
const PassList& default_passes();
// Runs the passes in order on `graph`. With `verify_each`, Graph::verify() runs after every
// pass (tests turn it on). Returns the names of the passes that changed the graph.
std::vector<std::string> run_passes(Graph& graph, const PassList& passes = default_passes(),
                                    bool verify_each = false);

}  // namespace xag::rt
