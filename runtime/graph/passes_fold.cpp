// Constant folding: pure ops whose inputs are all constants are evaluated now with run() and
// become Const nodes. Small constants passed into Cond/While subgraphs are copied inside first,
// so folding continues there. Ops that fail (e.g. integer division by zero) are left alone: the
// error is raised when the graph runs, at the user's line.
#include <unordered_set>

#include "runtime/backend/placement.h"
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

// Replaces uses of params [first, ...) of `sg` whose node input (index + offset) is a small
// constant by copies of it placed after the params.
bool sink_into(Graph& sg, const Node& n, size_t first, size_t offset) {
  std::unordered_set<Value, ValueHash> used;  // filled at the first candidate
  passes::GraphEdit edit(sg);
  const size_t count = sg.params().size();
  for (size_t i = first; i < count; ++i) {
    const Value& in = n.inputs[i + offset];
    const Value p = sg.params()[i];
    if (!passes::is_const(in) || in.node->value.num_elements() > kMaxSunkElements) continue;
    if (used.empty()) used = passes::used_values(sg);
    if (!used.count(p)) continue;
    auto k = passes::const_node(in.node->value, in.node->loc);
    edit.replace(p, edit.insert(count, std::move(k))->out(0));
  }
  return edit.commit();
}

bool sink_constants(Node& n) {
  size_t first = 0, offset = 0;
  if (n.kind == NodeKind::Cond) {
    offset = 1;  // input 0 is the predicate
  } else if (n.kind == NodeKind::While) {
    first = static_cast<size_t>(n.num_loop_vars);  // loop variables change; captures do not
  } else {
    return false;
  }
  bool changed = false;
  for (auto& sg : n.subgraphs) changed |= sink_into(*sg, n, first, offset);
  return changed;
}

bool fold_graph(Graph& g) {
  bool changed = false;
  const DeviceScope on_host(kCpuDevice);  // compile-time work, whatever ag.device is around
  passes::GraphEdit edit(g);
  auto& nodes = g.mutable_nodes();
  for (size_t i = 0; i < nodes.size(); ++i) {
    Node& n = *nodes[i];
    edit.resolve_inputs(n);
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
    auto k = passes::const_node(r.copy(), n.loc);
    edit.replace(n.out(0), edit.insert(i, std::move(k))->out(0));
    edit.remove(&n);
  }
  return edit.commit() || changed;
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
