#include "converter/transforms/transformer.h"

namespace xag::transforms {

using ast::FieldType;

std::vector<NodeId> Transformer::stmt(NodeId s) {
  // Classes defined inside a converted function are left as written: their
  // methods are converted when called, through converted_call.
  if (t_.kind(s) == NodeKind::ClassDef) return {s};
  const bool entry = depth_ == 0;
  if (entry) {  // the pass's entry: see stamp_needed
    unpositioned_at_start_ = t_.unpositioned_made();
    auto known = ctx_.positioned.find(s.index);
    positioned_at_start_ =
        (known != ctx_.positioned.end() && known->second == unpositioned_at_start_) ||
        fully_positioned(t_, s);
  }
  Pos origin = t_.pos(s);
  ++depth_;
  std::vector<NodeId> out = visit_stmt(s);
  --depth_;
  if (stamp_needed())
    for (NodeId n : out) stamp_positions(t_, n, origin);
  if (entry)  // stamped or already positioned: every node in out has a position
    for (NodeId n : out) ctx_.positioned[n.index] = t_.unpositioned_made();
  return out;
}

NodeId Transformer::expr(NodeId e) {
  if (!e) return e;
  Pos origin = t_.pos(e);
  NodeId out = visit_expr(e);
  if (stamp_needed()) stamp_positions(t_, out, origin);
  return out;
}

void Transformer::visit_block_field(NodeId n, Field f) {
  visit_list_field(n, f);  // every item is a statement
}

void Transformer::visit_child(NodeId n, Field f) {
  if (NodeId c = t_.node(n, f)) t_.set_node(n, f, expr(c));
}

// Most lists come back unchanged: no copy is made and nothing is written
// back unless some item is replaced. Items are read through the tree each
// time, since rewriting an item may add to the tree and move its storage (the
// list of n itself is never replaced by its items' visits).
void Transformer::visit_list_field(NodeId n, Field f) {
  const uint32_t count = t_.list(n, f).size();
  std::vector<NodeId> out;
  bool changed = false;
  auto start_copy = [&](uint32_t upto) {
    changed = true;
    auto items = t_.list(n, f);
    out.assign(items.begin(), items.begin() + upto);
  };
  for (uint32_t i = 0; i < count; ++i) {
    NodeId c = t_.list(n, f)[i];
    if (c && ast::kind_category(t_.kind(c)) == ast::Category::Stmt) {
      std::vector<NodeId> r = stmt(c);
      if (!changed && !(r.size() == 1 && r[0] == c)) start_copy(i);
      if (changed) out.insert(out.end(), r.begin(), r.end());
    } else {
      NodeId r = c ? expr(c) : c;
      if (!changed && r != c) start_copy(i);
      if (changed) out.push_back(r);
    }
  }
  if (changed) t_.set_list(n, f, out);
}

void Transformer::generic_visit(NodeId n) {
  for (Field f : Tree::fields(t_.kind(n))) {
    switch (ast::field_info(f).type) {
      case FieldType::Node:
      case FieldType::OptNode:
        visit_child(n, f);
        break;
      case FieldType::Nodes:
        visit_list_field(n, f);
        break;
      default:
        break;
    }
  }
}

}  // namespace xag::transforms
