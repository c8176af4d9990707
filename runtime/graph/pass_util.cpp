// Helpers shared by the passes.
#include "runtime/graph/pass_util.h"

#include <algorithm>

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

// Values read in `g` (node inputs and outputs).
std::unordered_set<Value, ValueHash> used_values(const Graph& g) {
  std::unordered_set<Value, ValueHash> used;
  for (const auto& n : g.nodes())
    for (const Value& v : n->inputs) used.insert(v);
  for (const Value& v : g.outputs()) used.insert(v);
  return used;
}

bool const_all_equal(const Value& v, double c) {
  if (!is_const(v)) return false;
  const Tensor& t = v.node->value;
  if (t.num_elements() == 0 || t.dtype() == DType::String) return false;
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
      a.has_seed != b.has_seed || a.text != b.text || a.slices.size() != b.slices.size()) {
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

std::unique_ptr<Node> const_node(const Tensor& value, const SourceLoc& loc) {
  auto c = std::make_unique<Node>();
  c->kind = NodeKind::Const;
  c->value = value;
  c->loc = loc;
  c->outputs.push_back(Type::tensor(TensorSpec{value.dtype(), value.shape()}));
  return c;
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

Value GraphEdit::resolve(Value v) const {
  if (replaced_.empty()) return v;
  for (auto it = replaced_.find(v); it != replaced_.end(); it = replaced_.find(v)) v = it->second;
  return v;
}

void GraphEdit::resolve_inputs(Node& n) const {
  if (replaced_.empty()) return;
  for (Value& in : n.inputs) in = resolve(in);
}

void GraphEdit::replace(Value from, Value to) {
  if (from != to) replaced_[from] = to;
}

Node* GraphEdit::insert(size_t pos, std::unique_ptr<Node> node) {
  node->graph = &g_;
  for (auto& sg : node->subgraphs) sg->set_owner(node.get());
  Node* raw = node.get();
  inserted_.emplace_back(pos, std::move(node));
  return raw;
}

// Merges the inserted nodes into the node list in one pass.
void GraphEdit::splice_inserted() {
  std::stable_sort(inserted_.begin(), inserted_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  auto& nodes = g_.mutable_nodes();
  std::vector<std::unique_ptr<Node>> merged;
  merged.reserve(nodes.size() + inserted_.size());
  size_t k = 0;
  for (size_t i = 0; i <= nodes.size(); ++i) {
    for (; k < inserted_.size() && inserted_[k].first <= i; ++k)
      merged.push_back(std::move(inserted_[k].second));
    if (i < nodes.size()) merged.push_back(std::move(nodes[i]));
  }
  for (; k < inserted_.size(); ++k) merged.push_back(std::move(inserted_[k].second));
  nodes = std::move(merged);
  inserted_.clear();
}

bool GraphEdit::commit() {
  const bool changed = !replaced_.empty() || !inserted_.empty() || !removed_.empty();
  if (!inserted_.empty()) splice_inserted();
  if (!replaced_.empty()) {
    for (auto& n : g_.mutable_nodes()) resolve_inputs(*n);
    for (Value& out : g_.mutable_outputs()) out = resolve(out);
    replaced_.clear();
  }
  if (!removed_.empty()) {
    g_.remove_nodes_if([&](const Node& n) { return removed_.count(&n) > 0; });
    removed_.clear();
  }
  return changed;
}

}  // namespace xag::rt::passes
