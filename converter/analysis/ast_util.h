// Small structural queries over the AST shared by the analyses and transforms.
#pragma once

#include <vector>

#include "converter/analysis/name_set.h"
#include "converter/ast/ast.h"

namespace xag::analysis {

using ast::Field;
using ast::NodeId;
using ast::NodeKind;
using ast::Tree;

// def, async def and lambda: the nodes that open a function scope.
inline bool is_function(NodeKind k) {
  return k == NodeKind::FunctionDef || k == NodeKind::AsyncFunctionDef || k == NodeKind::Lambda;
}

inline bool is_comprehension(NodeKind k) {
  return k == NodeKind::ListComp || k == NodeKind::SetComp || k == NodeKind::DictComp ||
         k == NodeKind::GeneratorExp;
}

// Any node that opens a new scope (functions, classes, comprehensions).
inline bool opens_scope(NodeKind k) {
  return is_function(k) || is_comprehension(k) || k == NodeKind::ClassDef;
}

inline bool is_loop(NodeKind k) {
  return k == NodeKind::While || k == NodeKind::For || k == NodeKind::AsyncFor;
}

// The statement-list fields of a statement, in execution order (Try's
// handlers are nodes, not statements, and are not included).
const std::vector<Field>& stmt_blocks(NodeKind k);

// Calls fn(Span<NodeId>) for every statement list nested directly in the
// statement s: its blocks (stmt_blocks), its except handlers' bodies and its
// match cases' bodies; not the bodies of nested defs or classes. fn must not
// mutate the tree (the spans would die).
template <typename Fn>
void for_each_nested_block(const Tree& t, NodeId s, Fn&& fn) {
  NodeKind k = t.kind(s);
  for (Field f : stmt_blocks(k)) fn(t.list(s, f));
  if (k == NodeKind::Try || k == NodeKind::TryStar)
    for (NodeId h : t.list(s, k == NodeKind::Try ? Field::Try_handlers : Field::TryStar_handlers))
      fn(t.list(h, Field::ExceptHandler_body));
  if (k == NodeKind::Match)
    for (NodeId c : t.list(s, Field::Match_cases)) fn(t.list(c, Field::match_case_body));
}

// A copy of a list field: spans die on the next mutation of the tree.
inline std::vector<NodeId> copy_list(const Tree& t, NodeId n, Field f) {
  auto s = t.list(n, f);
  return std::vector<NodeId>(s.begin(), s.end());
}

// The body field of a def/async def (both have the same layout).
Field function_body_field(NodeKind k);
Field function_args_field(NodeKind k);
Field function_name_field(NodeKind k);

// Parameter names of an `arguments` node in declaration order.
std::vector<std::string_view> parameter_names(const Tree& t, NodeId arguments);

// The names read inside the lambdas, nested defs and classes of fn: variables
// of fn they may capture (late binding: they see fn's variable when called).
NameSet names_in_closures(const Tree& t, NodeId fn);

}  // namespace xag::analysis
