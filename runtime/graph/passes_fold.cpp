// Constant folding: pure ops whose inputs are all constants are evaluated now with run() and
// become Const nodes. Small constants passed into Cond/While subgraphs are copied inside first,
// so folding continues there. Ops that fail (e.g. integer division by zero) are left alone: the
// error is raised when the graph runs, at the user's line.
#include <unordered_set>

#include "runtime/graph/pass_util.h"
#include "runtime/graph/passes.h"

namespace xag::rt {

namespace {

// Results larger than this stay computed at run time (a folded zeros((10000, 10000)) would
// bloat the graph).
constexpr int64_t kMaxFoldedElements = int64_t{1} << 16;
// Constants up to this size are copied into subgraphs that receive them.
constexpr int64_t kMaxSunkElements = 16;

bool foldable(const Node& n) {
  if (n.kind != NodeKind::Op || !passes::is_pure(n)) return false;
  for (const Value& v : n.inputs)
    if (!passes::is_const(v)) return false;
  const Shape& s = n.outputs[0].spec.shape;
  return !s.is_fully_defined() || s.num_elements() <= kMaxFoldedElements;
}

// Replaces uses of subgraph param `p` by a copy of constant `c` placed after the params.
bool sink(Graph& sg, const Value& p, const Value& c) {
  bool used = false;
  for (const auto& n : sg.nodes())
    for (const Value& v : n->inputs) used = used || v == p;
  for (const Value& v : sg.outputs()) used = used || v == p;
  if (!used) return false;
  const Value k = passes::insert_const(sg, sg.params().size(), c.node->value, c.node->loc);
  sg.replace_all_uses(p, k);
  return true;
}

bool sink_constants(Node& n) {
  bool changed = false;
  size_t first = 0, offset = 0;
  if (n.kind == NodeKind::Cond) {
    offset = 1;  // input 0 is the predicate
  } else if (n.kind == NodeKind::While) {
    first = static_cast<size_t>(n.num_loop_vars);  // loop variables change; captures do not
  } else {
    return false;
  }
  const size_t count = n.subgraphs[0]->params().size();
  for (size_t i = first; i < count; ++i) {
    const Value& in = n.inputs[i + offset];
    if (!passes::is_const(in) || in.node->value.num_elements() > kMaxSunkElements) continue;
    for (auto& sg : n.subgraphs) changed |= sink(*sg, sg->params()[i], in);
  }
  return changed;
}

bool fold_graph(Graph& g) {
  bool changed = false;
  std::unordered_set<const Node*> dead;
  auto& nodes = g.mutable_nodes();
  for (size_t i = 0; i < nodes.size(); ++i) {
    Node& n = *nodes[i];
    if (!n.subgraphs.empty()) changed |= sink_constants(n);
    if (!foldable(n)) continue;
    std::vector<Tensor> args;
    for (const Value& v : n.inputs) args.push_back(v.node->value);
    Tensor r;
    try {
      r = run(n.op, args.data(), args.size(), n.attrs);
    } catch (const InvalidArgumentError&) {
      continue;
    }
    if (r.num_elements() > kMaxFoldedElements) continue;
    // Own storage: run() may return a view of a constant input (identity, reshape).
    const Value k = passes::insert_const(g, i, r.copy(), n.loc);
    ++i;  // `n` moved one position down
    g.replace_all_uses(n.out(0), k);
    dead.insert(&n);
    changed = true;
  }
  if (!dead.empty()) g.remove_nodes_if([&](const Node& n) { return dead.count(&n) > 0; });
  return changed;
}

}  // namespace

bool fold_constants(Graph& graph) {
  bool changed = false;
  // Sinking into a subgraph happens while visiting its parent, after the subgraph was visited:
  // repeat so the sunk constants fold too.
  for (int round = 0; round < 4; ++round) {
    bool any = false;
    passes::for_each_graph(graph, [&](Graph& g) { any |= fold_graph(g); });
    changed |= any;
    if (!any) break;
  }
  return changed;
}

}  // namespace xag::rt
