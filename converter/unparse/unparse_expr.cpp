// Expressions: precedence-driven parenthesization, calls, displays,
// comprehensions, constants and f-strings.
#include <algorithm>

#include "converter/unparse/literals.h"
#include "converter/unparse/unparser.h"

namespace xag::unparse {
namespace {

struct BinInfo {
  const char* text;
  Prec prec;
};

BinInfo bin_info(Op op) {
  switch (op) {
    case Op::Add:
      return {" + ", Prec::Arith};
    case Op::Sub:
      return {" - ", Prec::Arith};
    case Op::Mult:
      return {" * ", Prec::Term};
    case Op::MatMult:
      return {" @ ", Prec::Term};
    case Op::Div:
      return {" / ", Prec::Term};
    case Op::Mod:
      return {" % ", Prec::Term};
    case Op::FloorDiv:
      return {" // ", Prec::Term};
    case Op::Pow:
      return {" ** ", Prec::Power};
    case Op::LShift:
      return {" << ", Prec::Shift};
    case Op::RShift:
      return {" >> ", Prec::Shift};
    case Op::BitOr:
      return {" | ", Prec::BitOr};
    case Op::BitXor:
      return {" ^ ", Prec::BitXor};
    case Op::BitAnd:
      return {" & ", Prec::BitAnd};
    default:
      return {" ? ", Prec::Atom};
  }
}

const char* cmp_text(Op op) {
  switch (op) {
    case Op::Eq:
      return " == ";
    case Op::NotEq:
      return " != ";
    case Op::Lt:
      return " < ";
    case Op::LtE:
      return " <= ";
    case Op::Gt:
      return " > ";
    case Op::GtE:
      return " >= ";
    case Op::Is:
      return " is ";
    case Op::IsNot:
      return " is not ";
    case Op::In:
      return " in ";
    case Op::NotIn:
      return " not in ";
    default:
      return " ? ";
  }
}

// The level an expression binds at, for deciding on parentheses.
Prec own_prec(const ast::Tree& t, NodeId n) {
  switch (t.kind(n)) {
    case NodeKind::NamedExpr:
      return Prec::NamedExpr;
    case NodeKind::Tuple:
      return t.list(n, Field::Tuple_elts).empty() ? Prec::Atom : Prec::Tuple;
    case NodeKind::Yield:
    case NodeKind::YieldFrom:
      return Prec::Yield;
    case NodeKind::Lambda:
    case NodeKind::IfExp:
      return Prec::Test;
    case NodeKind::BoolOp:
      return t.op(n, Field::BoolOp_op) == Op::Or ? Prec::Or : Prec::And;
    case NodeKind::UnaryOp:
      return t.op(n, Field::UnaryOp_op) == Op::Not ? Prec::Not : Prec::Factor;
    case NodeKind::Compare:
      return Prec::Cmp;
    case NodeKind::BinOp:
      return bin_info(t.op(n, Field::BinOp_op)).prec;
    case NodeKind::Await:
      return Prec::Await;
    default:
      return Prec::Atom;  // atoms, calls, subscripts; starred never takes parentheses
  }
}

}  // namespace

void Unparser::comma_list(ast::Span<NodeId> items, Prec p) {
  for (uint32_t i = 0; i < items.size(); ++i) {
    if (i) write(", ");
    expr(items[i], p);
  }
}

void Unparser::star_expressions(NodeId n) {
  NodeKind k = t_.kind(n);
  // `return`, `for ... in` and `match` take a bare tuple but not a bare yield.
  expr(n, k == NodeKind::Yield || k == NodeKind::YieldFrom ? Prec::Test : Prec::Tuple);
}

void Unparser::expr(NodeId n, Prec p) {
  bool parens = own_prec(t_, n) < p;
  if (parens) write("(");
  switch (t_.kind(n)) {
    case NodeKind::BoolOp: {
      Prec own = own_prec(t_, n);
      const char* sep = t_.op(n, Field::BoolOp_op) == Op::Or ? " or " : " and ";
      auto values = t_.list(n, Field::BoolOp_values);
      for (uint32_t i = 0; i < values.size(); ++i) {
        if (i) write(sep);
        expr(values[i], next(own));
      }
      break;
    }
    case NodeKind::NamedExpr:
      expr(t_.node(n, Field::NamedExpr_target), Prec::Atom);
      write(" := ");
      expr(t_.node(n, Field::NamedExpr_value), Prec::Test);
      break;
    case NodeKind::BinOp:
      bin_op(n, p);
      break;
    case NodeKind::UnaryOp: {
      Op op = t_.op(n, Field::UnaryOp_op);
      write(op == Op::Not ? "not " : op == Op::USub ? "-" : op == Op::UAdd ? "+" : "~");
      expr(t_.node(n, Field::UnaryOp_operand), own_prec(t_, n));
      break;
    }
    case NodeKind::Lambda: {
      NodeId args = t_.node(n, Field::Lambda_args);
      write("lambda");
      std::string::size_type before = out_.size();
      write(" ");
      arguments(args, true);
      if (out_.size() == before + 1) out_.pop_back();  // no parameters: `lambda:`
      write(": ");
      expr(t_.node(n, Field::Lambda_body), Prec::Test);
      break;
    }
    case NodeKind::IfExp:
      expr(t_.node(n, Field::IfExp_body), Prec::Or);
      write(" if ");
      expr(t_.node(n, Field::IfExp_test), Prec::Or);
      write(" else ");
      expr(t_.node(n, Field::IfExp_orelse), Prec::Test);
      break;
    case NodeKind::Dict: {
      auto keys = t_.list(n, Field::Dict_keys);
      auto values = t_.list(n, Field::Dict_values);
      write("{");
      for (uint32_t i = 0; i < values.size(); ++i) {
        if (i) write(", ");
        if (i < keys.size() && keys[i]) {
          expr(keys[i], Prec::Test);
          write(": ");
          expr(values[i], Prec::Test);
        } else {
          write("**");
          expr(values[i], Prec::BitOr);
        }
      }
      write("}");
      break;
    }
    case NodeKind::Set: {
      auto elts = t_.list(n, Field::Set_elts);
      if (elts.empty()) {
        write("{*()}");  // no literal spells the empty set
        break;
      }
      write("{");
      comma_list(elts, Prec::Test);
      write("}");
      break;
    }
    case NodeKind::ListComp:
    case NodeKind::SetComp:
    case NodeKind::GeneratorExp: {
      NodeKind k = t_.kind(n);
      Field elt = k == NodeKind::ListComp  ? Field::ListComp_elt
                  : k == NodeKind::SetComp ? Field::SetComp_elt
                                           : Field::GeneratorExp_elt;
      Field gens = k == NodeKind::ListComp  ? Field::ListComp_generators
                   : k == NodeKind::SetComp ? Field::SetComp_generators
                                            : Field::GeneratorExp_generators;
      const char* open = k == NodeKind::ListComp ? "[" : k == NodeKind::SetComp ? "{" : "(";
      const char* close = k == NodeKind::ListComp ? "]" : k == NodeKind::SetComp ? "}" : ")";
      write(open);
      expr(t_.node(n, elt), Prec::Test);
      comprehensions(t_.list(n, gens));
      write(close);
      break;
    }
    case NodeKind::DictComp:
      write("{");
      expr(t_.node(n, Field::DictComp_key), Prec::Test);
      write(": ");
      expr(t_.node(n, Field::DictComp_value), Prec::Test);
      comprehensions(t_.list(n, Field::DictComp_generators));
      write("}");
      break;
    case NodeKind::Await:
      write("await ");
      expr(t_.node(n, Field::Await_value), Prec::Atom);
      break;
    case NodeKind::Yield:
      write("yield");
      if (NodeId v = t_.node(n, Field::Yield_value)) {
        write(" ");
        expr(v, Prec::Tuple);
      }
      break;
    case NodeKind::YieldFrom:
      write("yield from ");
      expr(t_.node(n, Field::YieldFrom_value), Prec::Test);
      break;
    case NodeKind::Compare: {
      expr(t_.node(n, Field::Compare_left), Prec::BitOr);
      auto ops = t_.ops(n, Field::Compare_ops);
      auto rights = t_.list(n, Field::Compare_comparators);
      for (uint32_t i = 0; i < rights.size(); ++i) {
        write(i < ops.size() ? cmp_text(ops[i]) : " ? ");
        expr(rights[i], Prec::BitOr);
      }
      break;
    }
    case NodeKind::Call:
      call(n);
      break;
    case NodeKind::FormattedValue:
    case NodeKind::JoinedStr:
      joined_str(n);
      break;
    case NodeKind::Constant:
      constant(n);
      break;
    case NodeKind::Attribute: {
      NodeId v = t_.node(n, Field::Attribute_value);
      expr(v, Prec::Atom);
      // `1.real` would read as the float `1.`; a space keeps the int an int.
      if (t_.kind(v) == NodeKind::Constant &&
          t_.constant(v, Field::Constant_value).kind == ast::ConstKind::Int)
        write(" ");
      write(".");
      write_name(t_.ident(n, Field::Attribute_attr));
      break;
    }
    case NodeKind::Subscript: {
      expr(t_.node(n, Field::Subscript_value), Prec::Atom);
      write("[");
      NodeId s = t_.node(n, Field::Subscript_slice);
      auto elts =
          t_.kind(s) == NodeKind::Tuple ? t_.list(s, Field::Tuple_elts) : ast::Span<NodeId>{};
      if (!elts.empty()) {
        // a[1:2, 3] needs no parentheses (and slices cannot have them).
        comma_list(elts, Prec::Test);
        if (elts.size() == 1) write(",");
      } else {
        expr(s, Prec::Test);
      }
      write("]");
      break;
    }
    case NodeKind::Starred:
      write("*");
      expr(t_.node(n, Field::Starred_value), Prec::BitOr);
      break;
    case NodeKind::Name:
      write_name(t_.ident(n, Field::Name_id));
      break;
    case NodeKind::List:
      write("[");
      comma_list(t_.list(n, Field::List_elts), Prec::Test);
      write("]");
      break;
    case NodeKind::Tuple: {
      auto elts = t_.list(n, Field::Tuple_elts);
      if (elts.empty()) {
        write("()");
        break;
      }
      comma_list(elts, Prec::Test);
      if (elts.size() == 1) write(",");
      break;
    }
    case NodeKind::Slice:
      if (NodeId lo = t_.node(n, Field::Slice_lower)) expr(lo, Prec::Test);
      write(":");
      if (NodeId hi = t_.node(n, Field::Slice_upper)) expr(hi, Prec::Test);
      if (NodeId step = t_.node(n, Field::Slice_step)) {
        write(":");
        expr(step, Prec::Test);
      }
      break;
    default:
      write("<unknown expression>");
      break;
  }
  if (parens) write(")");
}

void Unparser::bin_op(NodeId n, Prec) {
  BinInfo info = bin_info(t_.op(n, Field::BinOp_op));
  // Left-associative operators need the next level on the right; `**` is
  // right-associative and its right side is a factor (2 ** -x).
  bool pow = info.prec == Prec::Power;
  expr(t_.node(n, Field::BinOp_left), pow ? Prec::Await : info.prec);
  write(info.text);
  expr(t_.node(n, Field::BinOp_right), pow ? Prec::Factor : next(info.prec));
}

void Unparser::arguments(NodeId n, bool lambda) {
  auto posonly = t_.list(n, Field::arguments_posonlyargs);
  auto args = t_.list(n, Field::arguments_args);
  auto defaults = t_.list(n, Field::arguments_defaults);
  auto kwonly = t_.list(n, Field::arguments_kwonlyargs);
  auto kw_defaults = t_.list(n, Field::arguments_kw_defaults);
  NodeId vararg = t_.node(n, Field::arguments_vararg);
  NodeId kwarg = t_.node(n, Field::arguments_kwarg);
  bool first = true;
  auto sep = [&] {
    if (!first) write(", ");
    first = false;
  };
  auto param = [&](NodeId a, NodeId def) {
    sep();
    write_name(t_.ident(a, Field::arg_arg));
    NodeId ann = lambda ? ast::kNoNode : t_.node(a, Field::arg_annotation);
    if (ann) {
      write(": ");
      expr(ann, Prec::Test);
    }
    if (def) {
      write(ann ? " = " : "=");  // PEP 8 spacing
      expr(def, Prec::Test);
    }
  };
  // Defaults belong to the last positional parameters, `/` or not.
  uint32_t positional = posonly.size() + args.size();
  uint32_t first_default = positional - std::min(positional, defaults.size());
  for (uint32_t i = 0; i < positional; ++i) {
    NodeId a = i < posonly.size() ? posonly[i] : args[i - posonly.size()];
    param(a, i >= first_default ? defaults[i - first_default] : ast::kNoNode);
    if (i + 1 == posonly.size()) {
      sep();
      write("/");
    }
  }
  if (vararg || !kwonly.empty()) {
    sep();
    write("*");
    if (vararg) {
      write_name(t_.ident(vararg, Field::arg_arg));
      NodeId ann = lambda ? ast::kNoNode : t_.node(vararg, Field::arg_annotation);
      if (ann) {
        write(": ");
        expr(ann, Prec::Test);
      }
    }
  }
  for (uint32_t i = 0; i < kwonly.size(); ++i)
    param(kwonly[i], i < kw_defaults.size() ? kw_defaults[i] : ast::kNoNode);
  if (kwarg) {
    sep();
    write("**");
    write_name(t_.ident(kwarg, Field::arg_arg));
    NodeId ann = lambda ? ast::kNoNode : t_.node(kwarg, Field::arg_annotation);
    if (ann) {
      write(": ");
      expr(ann, Prec::Test);
    }
  }
}

void Unparser::keyword(NodeId n) {
  if (t_.has_str(n, Field::keyword_arg)) {
    write_name(t_.ident(n, Field::keyword_arg));
    write("=");
    expr(t_.node(n, Field::keyword_value), Prec::Test);
  } else {
    write("**");
    expr(t_.node(n, Field::keyword_value), Prec::BitOr);
  }
}

void Unparser::call(NodeId n) {
  expr(t_.node(n, Field::Call_func), Prec::Atom);
  auto args = t_.list(n, Field::Call_args);
  auto keywords = t_.list(n, Field::Call_keywords);
  write("(");
  // f(x for x in y): a lone generator argument needs no second parentheses.
  if (args.size() == 1 && keywords.empty() && t_.kind(args[0]) == NodeKind::GeneratorExp) {
    NodeId g = args[0];
    expr(t_.node(g, Field::GeneratorExp_elt), Prec::Test);
    comprehensions(t_.list(g, Field::GeneratorExp_generators));
  } else {
    comma_list(args, Prec::Test);
    for (uint32_t i = 0; i < keywords.size(); ++i) {
      if (i || !args.empty()) write(", ");
      keyword(keywords[i]);
    }
  }
  write(")");
}

void Unparser::comprehensions(ast::Span<NodeId> gens) {
  for (NodeId g : gens) {
    write(t_.int_value(g, Field::comprehension_is_async) ? " async for " : " for ");
    expr(t_.node(g, Field::comprehension_target), Prec::Tuple);
    write(" in ");
    expr(t_.node(g, Field::comprehension_iter), Prec::Or);
    for (NodeId cond : t_.list(g, Field::comprehension_ifs)) {
      write(" if ");
      expr(cond, Prec::Or);
    }
  }
}

void Unparser::constant(NodeId n) {
  const ast::Constant& c = t_.constant(n, Field::Constant_value);
  if (t_.has_str(n, Field::Constant_kind)) write(t_.str(n, Field::Constant_kind));
  switch (c.kind) {
    case ast::ConstKind::None:
      write("None");
      return;
    case ast::ConstKind::True:
      write("True");
      return;
    case ast::ConstKind::False:
      write("False");
      return;
    case ast::ConstKind::Ellipsis:
      write("...");
      return;
    case ast::ConstKind::Int:
      write(c.text);
      return;
    case ast::ConstKind::Float:
      write(float_repr(c.number));
      return;
    case ast::ConstKind::Complex:
      write(imag_repr(c.number));
      return;
    case ast::ConstKind::Str:
    case ast::ConstKind::Bytes: {
      bool bytes = c.kind == ast::ConstKind::Bytes;
      if (!fs_.inside) {
        write(bytes ? bytes_repr(c.text) : str_repr(c.text));
        return;
      }
      std::string lit;
      if (!fstring_str(c.text, bytes, lit)) failed_ = true;
      write(lit);
      return;
    }
  }
}

}  // namespace xag::unparse
