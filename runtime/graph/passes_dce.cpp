// Dead code elimination: drops pure nodes whose results nobody uses, then the capture params of
// Cond/While subgraphs that no longer read them (and the matching node inputs). Side effects and
// variable reads stay: they are roots.
#include <unordered_set>

#include "runtime/graph/pass_util.h"
#include "runtime/graph/passes.h"

namespace xag::rt {

namespace {

bool param_used(const Graph& g, const Value& p) {
  for (const auto& n : g.nodes())
    for (const Value& v : n->inputs)
      if (v == p) return true;
  for (const Value& v : g.outputs())
    if (v == p) return true;
  return false;
}

// Removes params [first, ...) of the node's subgraphs that no subgraph uses; `input_offset` maps
// param i to node input i + input_offset.
bool prune_params(Node& n, size_t first, size_t input_offset) {
  bool changed = false;
  const size_t count = n.subgraphs[0]->params().size();
  for (size_t i = count; i-- > first;) {
    bool used = false;
    for (const auto& sg : n.subgraphs) used = used || param_used(*sg, sg->params()[i]);
    if (used) continue;
    for (auto& sg : n.subgraphs) {
      const Node* ph = sg->params()[i].node;
      sg->remove_nodes_if([&](const Node& x) { return &x == ph; });
    }
    n.inputs.erase(n.inputs.begin() + static_cast<std::ptrdiff_t>(i + input_offset));
    changed = true;
  }
  return changed;
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
