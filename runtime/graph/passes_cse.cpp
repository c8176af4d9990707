// Common subexpression elimination: within one graph, a pure node identical to an earlier one
// (same kind, op, attrs, inputs; for constants the same dtype, shape and bytes) is replaced by it.
#include <cstring>
#include <unordered_map>

#include "runtime/graph/pass_util.h"
#include "runtime/graph/passes.h"

namespace xag::rt {

namespace {

bool mergeable(const Node& n) {
  if (!passes::is_pure(n) || !n.subgraphs.empty()) return false;
  // A list update may take over its input list at run time; merging two would share one list.
  return n.kind != NodeKind::ListNew && n.kind != NodeKind::ListPushBack &&
         n.kind != NodeKind::ListSet && n.outputs.size() == 1;
}

bool same_const(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() &&
         std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()) == 0;
}

bool same(const Node& a, const Node& b) {
  if (a.kind != b.kind || a.inputs != b.inputs || a.outputs != b.outputs) return false;
  switch (a.kind) {
    case NodeKind::Const:
      return same_const(a.value, b.value);
    case NodeKind::Op:
      return a.op == b.op && passes::attrs_equal(a.attrs, b.attrs);
    case NodeKind::FusedElementwise:
      return a.fused == b.fused;
    default:
      return true;
  }
}

size_t hash_of(const Node& n) {
  size_t h = static_cast<size_t>(n.kind) * 1000003u + static_cast<size_t>(n.op);
  for (const Value& v : n.inputs) h = h * 31u + ValueHash()(v);
  if (n.kind == NodeKind::Const) {
    const auto* p = static_cast<const unsigned char*>(n.value.raw_data());
    for (size_t i = 0; i < std::min<size_t>(n.value.nbytes(), 64); ++i) h = h * 131u + p[i];
  }
  return h;
}

bool cse_graph(Graph& g) {
  std::unordered_multimap<size_t, Node*> seen;
  passes::GraphEdit edit(g);
  for (auto& np : g.mutable_nodes()) {
    Node& n = *np;
    // Inputs merged earlier in this sweep make this node identical to its twins.
    edit.resolve_inputs(n);
    if (!mergeable(n)) continue;
    const size_t h = hash_of(n);
    Node* match = nullptr;
    auto range = seen.equal_range(h);
    for (auto it = range.first; it != range.second && !match; ++it)
      if (same(*it->second, n)) match = it->second;
    if (match) {
      edit.replace(n.out(0), match->out(0));
      edit.remove(&n);
    } else {
      seen.emplace(h, &n);
    }
  }
  return edit.commit();
}

}  // namespace

bool eliminate_common_subexpressions(Graph& graph) {
  bool changed = false;
  passes::for_each_graph(graph, [&](Graph& g) { changed |= cse_graph(g); });
  return changed;
}

}  // namespace xag::rt
