// The block facts of control_flow_blocks.h: dropped annotations, declarations, composite
// targets.
#include "converter/transforms/control_flow_blocks.h"

#include "converter/analysis/cfg.h"
#include "converter/unparse/unparse.h"

namespace xag::transforms::control_flow {

std::vector<NodeId> strip_annotations(Tree& t, const std::vector<NodeId>& stmts) {
  std::vector<NodeId> out;
  for (NodeId s : stmts) {
    NodeKind k = t.kind(s);
    if (k == NodeKind::AnnAssign) {
      NodeId value = t.node(s, Field::AnnAssign_value);
      if (!value) continue;  // `x: int` alone does nothing at run time
      Builder b(t, s);
      out.push_back(b.assign(t.node(s, Field::AnnAssign_target), value));
      continue;
    }
    for (Field f : analysis::stmt_blocks(k))
      t.set_list(s, f, strip_annotations(t, analysis::copy_list(t, s, f)));
    if (k == NodeKind::Try)
      for (NodeId h : analysis::copy_list(t, s, Field::Try_handlers))
        t.set_list(h, Field::ExceptHandler_body,
                   strip_annotations(t, analysis::copy_list(t, h, Field::ExceptHandler_body)));
    if (k == NodeKind::Match)
      for (NodeId c : analysis::copy_list(t, s, Field::Match_cases))
        t.set_list(c, Field::match_case_body,
                   strip_annotations(t, analysis::copy_list(t, c, Field::match_case_body)));
    out.push_back(s);
  }
  return out;
}

namespace {

void collect_declared(const Tree& t, ast::Span<NodeId> stmts, Declared& d) {
  for (NodeId s : stmts) {
    NodeKind k = t.kind(s);
    if (k == NodeKind::Global || k == NodeKind::Nonlocal) {
      for (auto id :
           t.idents(s, k == NodeKind::Global ? Field::Global_names : Field::Nonlocal_names))
        (k == NodeKind::Global ? d.globals : d.nonlocals).insert(std::string(t.string(id)));
      continue;
    }
    analysis::for_each_nested_block(
        t, s, [&](ast::Span<NodeId> block) { collect_declared(t, block, d); });
  }
}

}  // namespace

Declared declared(const Tree& t, NodeId fn) {
  Declared d;
  collect_declared(t, t.list(fn, analysis::function_body_field(t.kind(fn))), d);
  return d;
}

std::string_view composite_root(const Tree& t, NodeId e) {
  NodeId value;
  if (t.kind(e) == NodeKind::Attribute) {
    value = t.node(e, Field::Attribute_value);
  } else if (t.kind(e) == NodeKind::Subscript) {
    NodeId key = t.node(e, Field::Subscript_slice);
    if (t.kind(key) != NodeKind::Constant) return {};
    auto kind = t.constant(key, Field::Constant_value).kind;
    if (kind != ast::ConstKind::Str && kind != ast::ConstKind::Int) return {};
    value = t.node(e, Field::Subscript_value);
  } else {
    return {};
  }
  return t.kind(value) == NodeKind::Name ? t.ident(value, Field::Name_id)
                                         : composite_root(t, value);
}

namespace {

void collect_target(const Tree& t, NodeId e, Composites& out) {
  if (!e) return;
  NodeKind k = t.kind(e);
  if (k == NodeKind::Tuple || k == NodeKind::List) {
    for (NodeId x : t.list(e, k == NodeKind::Tuple ? Field::Tuple_elts : Field::List_elts))
      collect_target(t, x, out);
  } else if (k == NodeKind::Starred) {
    collect_target(t, t.node(e, Field::Starred_value), out);
  } else if (std::string_view root = composite_root(t, e); !root.empty()) {
    out.try_emplace(unparse::unparse(t, e), Composite{std::string(root), e});
  }
}

}  // namespace

void collect_composites(const Tree& t, ast::Span<NodeId> stmts, Composites& out) {
  for (NodeId s : stmts) {
    NodeKind k = t.kind(s);
    switch (k) {
      case NodeKind::Assign:
        for (NodeId x : t.list(s, Field::Assign_targets)) collect_target(t, x, out);
        break;
      case NodeKind::AugAssign:
        collect_target(t, t.node(s, Field::AugAssign_target), out);
        break;
      case NodeKind::AnnAssign:
        if (t.node(s, Field::AnnAssign_value))
          collect_target(t, t.node(s, Field::AnnAssign_target), out);
        break;
      case NodeKind::For:
        collect_target(t, t.node(s, Field::For_target), out);
        break;
      default:
        break;
    }
    analysis::for_each_nested_block(
        t, s, [&](ast::Span<NodeId> block) { collect_composites(t, block, out); });
  }
}

}  // namespace xag::transforms::control_flow
