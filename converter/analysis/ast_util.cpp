#include "converter/analysis/ast_util.h"

namespace xag::analysis {

std::vector<Field> stmt_blocks(NodeKind k) {
  switch (k) {
    case NodeKind::If:
      return {Field::If_body, Field::If_orelse};
    case NodeKind::While:
      return {Field::While_body, Field::While_orelse};
    case NodeKind::For:
      return {Field::For_body, Field::For_orelse};
    case NodeKind::AsyncFor:
      return {Field::AsyncFor_body, Field::AsyncFor_orelse};
    case NodeKind::With:
      return {Field::With_body};
    case NodeKind::AsyncWith:
      return {Field::AsyncWith_body};
    case NodeKind::Try:
      return {Field::Try_body, Field::Try_orelse, Field::Try_finalbody};
    case NodeKind::TryStar:
      return {Field::TryStar_body, Field::TryStar_orelse, Field::TryStar_finalbody};
    default:
      return {};
  }
}

Field function_body_field(NodeKind k) {
  return k == NodeKind::AsyncFunctionDef ? Field::AsyncFunctionDef_body : Field::FunctionDef_body;
}
Field function_args_field(NodeKind k) {
  if (k == NodeKind::Lambda) return Field::Lambda_args;
  return k == NodeKind::AsyncFunctionDef ? Field::AsyncFunctionDef_args : Field::FunctionDef_args;
}
Field function_name_field(NodeKind k) {
  return k == NodeKind::AsyncFunctionDef ? Field::AsyncFunctionDef_name : Field::FunctionDef_name;
}

std::vector<std::string_view> parameter_names(const Tree& t, NodeId a) {
  std::vector<std::string_view> r;
  auto add = [&](NodeId arg) {
    if (arg) r.push_back(t.ident(arg, Field::arg_arg));
  };
  for (NodeId x : t.list(a, Field::arguments_posonlyargs)) add(x);
  for (NodeId x : t.list(a, Field::arguments_args)) add(x);
  add(t.node(a, Field::arguments_vararg));
  for (NodeId x : t.list(a, Field::arguments_kwonlyargs)) add(x);
  add(t.node(a, Field::arguments_kwarg));
  return r;
}

}  // namespace xag::analysis
