#include "converter/transforms/builder.h"

#include <string>

namespace xag::transforms {

using ast::Constant;
using ast::ConstKind;
using ast::FieldType;

NodeId Builder::name(std::string_view id, Op ctx) {
  NodeId n = make(NodeKind::Name);
  t_.set_ident(n, Field::Name_id, t_.intern(id));
  t_.set_op(n, Field::Name_ctx, ctx);
  return n;
}

NodeId Builder::str(std::string_view value) {
  NodeId n = make(NodeKind::Constant);
  Constant c;
  c.kind = ConstKind::Str;
  c.text = t_.keep(value);
  t_.set_constant(n, Field::Constant_value, c);
  return n;
}

NodeId Builder::boolean(bool value) {
  NodeId n = make(NodeKind::Constant);
  Constant c;
  c.kind = value ? ConstKind::True : ConstKind::False;
  t_.set_constant(n, Field::Constant_value, c);
  return n;
}

NodeId Builder::none() {
  NodeId n = make(NodeKind::Constant);
  t_.set_constant(n, Field::Constant_value, Constant{});
  return n;
}

NodeId Builder::integer(long value) {
  NodeId n = make(NodeKind::Constant);
  Constant c;
  c.kind = ConstKind::Int;
  c.text = t_.keep(std::to_string(value));
  c.number = static_cast<double>(value);
  t_.set_constant(n, Field::Constant_value, c);
  return n;
}

NodeId Builder::attr(NodeId value, std::string_view a, Op ctx) {
  NodeId n = make(NodeKind::Attribute);
  t_.set_node(n, Field::Attribute_value, value);
  t_.set_ident(n, Field::Attribute_attr, t_.intern(a));
  t_.set_op(n, Field::Attribute_ctx, ctx);
  return n;
}

NodeId Builder::call(NodeId func, const std::vector<NodeId>& args,
                     const std::vector<NodeId>& keywords) {
  NodeId n = make(NodeKind::Call);
  t_.set_node(n, Field::Call_func, func);
  t_.set_list(n, Field::Call_args, args);
  t_.set_list(n, Field::Call_keywords, keywords);
  return n;
}

NodeId Builder::tuple(const std::vector<NodeId>& elts, Op ctx) {
  NodeId n = make(NodeKind::Tuple);
  t_.set_list(n, Field::Tuple_elts, elts);
  t_.set_op(n, Field::Tuple_ctx, ctx);
  return n;
}

NodeId Builder::str_tuple(const std::vector<std::string>& values) {
  std::vector<NodeId> elts;
  for (const auto& v : values) elts.push_back(str(v));
  return tuple(elts);
}

NodeId Builder::not_(NodeId operand) {
  NodeId n = make(NodeKind::UnaryOp);
  t_.set_op(n, Field::UnaryOp_op, Op::Not);
  t_.set_node(n, Field::UnaryOp_operand, operand);
  return n;
}

NodeId Builder::and_(NodeId a, NodeId b) {
  NodeId n = make(NodeKind::BoolOp);
  t_.set_op(n, Field::BoolOp_op, Op::And);
  t_.set_list(n, Field::BoolOp_values, {a, b});
  return n;
}

NodeId Builder::lambda(NodeId body) {
  NodeId n = make(NodeKind::Lambda);
  t_.set_node(n, Field::Lambda_args, arguments({}));
  t_.set_node(n, Field::Lambda_body, body);
  return n;
}

NodeId Builder::dict(const std::vector<NodeId>& keys, const std::vector<NodeId>& values) {
  NodeId n = make(NodeKind::Dict);
  t_.set_list(n, Field::Dict_keys, keys);
  t_.set_list(n, Field::Dict_values, values);
  return n;
}

NodeId Builder::assign(NodeId target, NodeId value) {
  NodeId n = make(NodeKind::Assign);
  set_ctx(t_, target, Op::Store);
  t_.set_list(n, Field::Assign_targets, {target});
  t_.set_node(n, Field::Assign_value, value);
  return n;
}

NodeId Builder::expr_stmt(NodeId value) {
  NodeId n = make(NodeKind::Expr);
  t_.set_node(n, Field::Expr_value, value);
  return n;
}

NodeId Builder::if_(NodeId test, const std::vector<NodeId>& body,
                    const std::vector<NodeId>& orelse) {
  NodeId n = make(NodeKind::If);
  t_.set_node(n, Field::If_test, test);
  t_.set_list(n, Field::If_body, body);
  t_.set_list(n, Field::If_orelse, orelse);
  return n;
}

NodeId Builder::pass() {
  return make(NodeKind::Pass);
}

NodeId Builder::declaration(NodeKind k, const std::vector<std::string>& names) {
  NodeId n = make(k);
  std::vector<ast::StrId> ids;
  for (const auto& s : names) ids.push_back(t_.intern(s));
  t_.set_idents(n, k == NodeKind::Global ? Field::Global_names : Field::Nonlocal_names,
                ast::Span<ast::StrId>{ids.data(), static_cast<uint32_t>(ids.size())});
  return n;
}

NodeId Builder::arguments(const std::vector<std::string>& params) {
  NodeId n = make(NodeKind::arguments);
  std::vector<NodeId> args;
  for (const auto& p : params) {
    NodeId a = make(NodeKind::arg);
    t_.set_ident(a, Field::arg_arg, t_.intern(p));
    args.push_back(a);
  }
  t_.set_list(n, Field::arguments_args, args);
  return n;
}

NodeId Builder::function_def(std::string_view name, const std::vector<std::string>& params,
                             const std::vector<NodeId>& body) {
  NodeId n = make(NodeKind::FunctionDef);
  t_.set_ident(n, Field::FunctionDef_name, t_.intern(name));
  t_.set_node(n, Field::FunctionDef_args, arguments(params));
  t_.set_list(n, Field::FunctionDef_body, body);
  return n;
}

void set_ctx(Tree& t, NodeId target, Op ctx) {
  switch (t.kind(target)) {
    case NodeKind::Name:
      t.set_op(target, Field::Name_ctx, ctx);
      break;
    case NodeKind::Attribute:
      t.set_op(target, Field::Attribute_ctx, ctx);
      break;
    case NodeKind::Subscript:
      t.set_op(target, Field::Subscript_ctx, ctx);
      break;
    case NodeKind::Starred:
      t.set_op(target, Field::Starred_ctx, ctx);
      set_ctx(t, t.node(target, Field::Starred_value), ctx);
      break;
    case NodeKind::Tuple:
    case NodeKind::List: {
      bool tup = t.kind(target) == NodeKind::Tuple;
      t.set_op(target, tup ? Field::Tuple_ctx : Field::List_ctx, ctx);
      auto elts = t.list(target, tup ? Field::Tuple_elts : Field::List_elts);
      std::vector<NodeId> copy(elts.begin(), elts.end());
      for (NodeId e : copy) set_ctx(t, e, ctx);
      break;
    }
    default:
      break;
  }
}

NodeId deep_copy(Tree& t, NodeId n) {
  if (!n) return n;
  NodeId c = t.make(t.kind(n), Pos(t.pos(n)));
  for (Field f : Tree::fields(t.kind(n))) {
    switch (ast::field_info(f).type) {
      case FieldType::Node:
      case FieldType::OptNode:
        t.set_node(c, f, deep_copy(t, t.node(n, f)));
        break;
      case FieldType::Nodes: {
        auto items = t.list(n, f);
        std::vector<NodeId> src(items.begin(), items.end()), dst;
        for (NodeId x : src) dst.push_back(deep_copy(t, x));
        t.set_list(c, f, dst);
        break;
      }
      case FieldType::Ident:
      case FieldType::OptIdent:
      case FieldType::OptStr:
        if (t.has_str(n, f)) t.set_str(c, f, t.intern(t.str(n, f)));
        break;
      case FieldType::Idents: {
        auto ids = t.idents(n, f);
        std::vector<ast::StrId> v(ids.begin(), ids.end());
        t.set_idents(c, f, ast::Span<ast::StrId>{v.data(), static_cast<uint32_t>(v.size())});
        break;
      }
      case FieldType::Int:
      case FieldType::OptInt:
        t.set_int(c, f, t.int_value(n, f));
        break;
      case FieldType::Const:
        t.set_constant(c, f, Constant(t.constant(n, f)));
        break;
      case FieldType::CmpOps: {
        auto ops = t.ops(n, f);
        std::vector<Op> v(ops.begin(), ops.end());
        t.set_ops(c, f, ast::Span<Op>{v.data(), static_cast<uint32_t>(v.size())});
        break;
      }
      default:  // Ctx and operator enums
        t.set_op(c, f, t.op(n, f));
        break;
    }
  }
  return c;
}

void stamp_positions(Tree& t, NodeId root, const Pos& origin) {
  if (!root) return;
  std::vector<NodeId> work{root};
  while (!work.empty()) {
    NodeId n = work.back();
    work.pop_back();
    if (t.pos(n).lineno == 0) t.set_pos(n, origin);
    ast::for_each_child(t, n, [&](NodeId c) { work.push_back(c); });
  }
}

bool fully_positioned(const Tree& t, NodeId root) {
  if (!root) return true;
  std::vector<NodeId> work{root};
  while (!work.empty()) {
    NodeId n = work.back();
    work.pop_back();
    if (t.pos(n).lineno == 0) return false;
    ast::for_each_child(t, n, [&](NodeId c) { work.push_back(c); });
  }
  return true;
}

}  // namespace xag::transforms
