// Dead code elimination: drops pure nodes whose results nobody uses, then the capture params of
// Cond/While subgraphs that no longer read them (and the matching node inputs). Side effects and
// variable reads stay: they are roots.
#include <unordered_set>

#include "runtime/graph/pass_util.h"
#include "runtime/graph/passes.h"

namespace xag::rt {

namespace {

// Removes params [first, ...) of the node's subgraphs that no subgraph uses; `input_offset` maps
// param i to node input i + input_offset. One pass per subgraph whatever the number of params
// (a loop body can capture thousands of values of an unrolled Python loop).
bool prune_params(Node& n, size_t first, size_t input_offset) {
  const size_t count = n.subgraphs[0]->params().size();
  std::vector<bool> used(count, false);
  for (const auto& sg : n.subgraphs) {
    const auto u = passes::used_values(*sg);
    for (size_t i = first; i < count; ++i) used[i] = used[i] || u.count(sg->params()[i]) > 0;
  }
  std::unordered_set<const Node*> dead;
  for (const auto& sg : n.subgraphs)
    for (size_t i = first; i < count; ++i)
      if (!used[i]) dead.insert(sg->params()[i].node);
  if (dead.empty()) return false;
  for (auto& sg : n.subgraphs) sg->remove_nodes_if([&](const Node& x) { return dead.count(&x); });
  std::vector<Value> inputs;
  for (size_t j = 0; j < n.inputs.size(); ++j)
    if (j < input_offset + first || j >= input_offset + count || used[j - input_offset])
      inputs.push_back(n.inputs[j]);
  n.inputs = std::move(inputs);
  return true;
}

bool dce_graph(Graph& g) {
  bool changed = false;
  // Backward liveness over the node order (inputs always come earlier).
  std::unordered_set<const Node*> live;
  for (const Value& v : g.outputs()) live.insert(v.node);
  auto& nodes = g.mutable_nodes();
  for (size_t i = nodes.size(); i-- > 0;) {
    Node& n = *nodes[i];
    const bool root = n.kind == NodeKind::Placeholder || !passes::is_pure(n);
    if (!root && !live.count(&n)) continue;
    live.insert(&n);
    for (const Value& v : n.inputs) live.insert(v.node);
    for (const Node* d : n.control_deps) live.insert(d);
  }
  const size_t before = nodes.size();
  g.remove_nodes_if([&](const Node& n) { return !live.count(&n); });
  changed = nodes.size() != before;
  for (auto& n : nodes) {
    if (n->kind == NodeKind::Cond) changed |= prune_params(*n, 0, 1);
    if (n->kind == NodeKind::While) {
      const size_t k = static_cast<size_t>(n->num_loop_vars);
      changed |= prune_params(*n, k, 0);
    }
  }
  return changed;
}

}  // namespace

bool eliminate_dead_code(Graph& graph) {
  bool changed = false;
  // Pruning params of a subgraph can make values of its parent dead, and removing dead nodes in a
  // subgraph can leave params unused: one post-order sweep handles both directions for a level,
  // so repeat until nothing changes.
  for (int round = 0; round < 8; ++round) {
    bool any = false;
    passes::for_each_graph(graph, [&](Graph& g) { any |= dce_graph(g); });
    changed |= any;
    if (!any) break;
  }
  return changed;
}

}  // namespace xag::rt
