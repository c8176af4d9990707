// Helpers shared by the passes.
#include "runtime/graph/pass_util.h"

namespace xag::rt::passes {

void for_each_graph(Graph& g, const std::function<void(Graph&)>& fn) {
  for (auto& n : g.mutable_nodes())
    for (auto& sg : n->subgraphs) for_each_graph(*sg, fn);
  fn(g);
}

std::unordered_map<Value, int, ValueHash> count_uses(const Graph& g) {
  std::unordered_map<Value, int, ValueHash> uses;
  for (const auto& n : g.nodes())
    for (const Value& v : n->inputs) ++uses[v];
  for (const Value& v : g.outputs()) ++uses[v];
  return uses;
}

bool const_all_equal(const Value& v, double c) {
  if (!is_const(v)) return false;
  const Tensor& t = v.node->value;
  if (t.num_elements() == 0) return false;
  return dispatch_dtype(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = t.data<T>();
    for (int64_t i = 0; i < t.num_elements(); ++i)
      if (static_cast<double>(p[i]) != c) return false;
    return true;
  });
}

bool attrs_equal(const OpAttrs& a, const OpAttrs& b) {
  if (a.axes != b.axes || a.has_axes != b.has_axes || a.keepdims != b.keepdims ||
      a.perm != b.perm || a.axis != b.axis || a.has_axis != b.has_axis || a.dtype != b.dtype ||
      a.has_dtype != b.has_dtype || a.shape != b.shape || a.depth != b.depth ||
      a.value_a != b.value_a || a.value_b != b.value_b || a.seed != b.seed ||
      a.has_seed != b.has_seed || a.slices.size() != b.slices.size()) {
    return false;
  }
  for (size_t i = 0; i < a.slices.size(); ++i) {
    const SliceItem& x = a.slices[i];
    const SliceItem& y = b.slices[i];
    if (x.kind != y.kind || x.has_start != y.has_start || x.has_stop != y.has_stop ||
        x.has_step != y.has_step || x.start != y.start || x.stop != y.stop || x.step != y.step ||
        x.start_input != y.start_input || x.stop_input != y.stop_input ||
        x.step_input != y.step_input) {
      return false;
    }
  }
  return true;
}

size_t position(const Graph& g, const Node* n) {
  for (size_t i = 0; i < g.nodes().size(); ++i)
    if (g.nodes()[i].get() == n) return i;
  throw InternalError("pass: node not found in its graph");
}

Value insert_const(Graph& g, size_t pos, const Tensor& value, const SourceLoc& loc) {
  auto c = std::make_unique<Node>();
  c->kind = NodeKind::Const;
  c->value = value;
  c->loc = loc;
  c->outputs.push_back(Type::tensor(TensorSpec{value.dtype(), value.shape()}));
  return g.insert_node(std::move(c), pos)->out(0);
}

bool is_pure(const Node& n) {
  switch (n.kind) {
    case NodeKind::Op:
      return op_category(n.op) != OpCategory::Random;
    case NodeKind::Const:
    case NodeKind::ListNew:
    case NodeKind::ListPushBack:
    case NodeKind::ListGet:
    case NodeKind::ListSet:
    case NodeKind::ListSize:
    case NodeKind::ListStack:
    case NodeKind::FusedElementwise:
      return true;
    case NodeKind::Cond:
    case NodeKind::While:
      return !n.is_ordered();
    default:
      return false;
  }
}

}  // namespace xag::rt::passes
