#include "converter/analysis/ast_util.h"

namespace xag::analysis {

const std::vector<Field>& stmt_blocks(NodeKind k) {
  // Static lists: every analysis asks this for every statement it visits,
  // and a fresh vector each time was a measurable share of conversion time.
  static const std::vector<Field> kIf{Field::If_body, Field::If_orelse};
  static const std::vector<Field> kWhile{Field::While_body, Field::While_orelse};
  static const std::vector<Field> kFor{Field::For_body, Field::For_orelse};
  static const std::vector<Field> kAsyncFor{Field::AsyncFor_body, Field::AsyncFor_orelse};
  static const std::vector<Field> kWith{Field::With_body};
  static const std::vector<Field> kAsyncWith{Field::AsyncWith_body};
  static const std::vector<Field> kTry{Field::Try_body, Field::Try_orelse, Field::Try_finalbody};
  static const std::vector<Field> kTryStar{Field::TryStar_body, Field::TryStar_orelse,
                                           Field::TryStar_finalbody};
  static const std::vector<Field> kNone;
  switch (k) {
    case NodeKind::If:
      return kIf;
    case NodeKind::While:
      return kWhile;
    case NodeKind::For:
      return kFor;
    case NodeKind::AsyncFor:
      return kAsyncFor;
    case NodeKind::With:
      return kWith;
    case NodeKind::AsyncWith:
      return kAsyncWith;
    case NodeKind::Try:
      return kTry;
    case NodeKind::TryStar:
      return kTryStar;
    default:
      return kNone;
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

namespace {

void closure_reads(const Tree& t, NodeId n, bool inside, NameSet& out) {
  NodeKind k = t.kind(n);
  if (inside && k == NodeKind::Name) out.insert(std::string(t.ident(n, Field::Name_id)));
  bool in = inside || is_function(k) || k == NodeKind::ClassDef;
  for_each_child(t, n, [&](NodeId c) { closure_reads(t, c, in, out); });
}

}  // namespace

NameSet names_in_closures(const Tree& t, NodeId fn) {
  NameSet out;
  for (NodeId s : t.list(fn, function_body_field(t.kind(fn)))) closure_reads(t, s, false, out);
  return out;
}

}  // namespace xag::analysis
