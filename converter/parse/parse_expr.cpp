// Expressions: from star_expressions down to atoms, calls, slices,
// comprehensions and assignment targets. Node positions follow CPython's
// EXTRA rule: from the first token the rule consumed to the last one, so a
// parenthesized operand widens the enclosing node but not itself.
#include "converter/parse/parser_impl.h"

namespace xag::parse {

bool Parser::starts_expression() {
  switch (kind()) {
    case TokenKind::Name:
    case TokenKind::Number:
    case TokenKind::String:
    case TokenKind::LPar:
    case TokenKind::LSqb:
    case TokenKind::LBrace:
    case TokenKind::Minus:
    case TokenKind::Plus:
    case TokenKind::Tilde:
    case TokenKind::KwNot:
    case TokenKind::KwLambda:
    case TokenKind::KwAwait:
    case TokenKind::KwNone:
    case TokenKind::KwTrue:
    case TokenKind::KwFalse:
    case TokenKind::Ellipsis:
    case TokenKind::Star:
      return true;
    default:
      return false;
  }
}

// star_expressions: star_expression (',' star_expression)* [',']
NodeId Parser::star_expressions() {
  const Token& start = tok();
  NodeId first = star_expression();
  if (!at(TokenKind::Comma)) return first;
  size_t base = mark_stack();
  stack_.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (!starts_expression()) break;
    stack_.push_back(star_expression());
  }
  NodeId t = make(NodeKind::Tuple, span_from(start));
  set_list_from(t, Field::Tuple_elts, base);
  tree_.set_op(t, Field::Tuple_ctx, Op::Load);
  return t;
}

// star_expression: '*' bitwise_or | expression
NodeId Parser::star_expression() {
  if (at(TokenKind::Star)) {
    const Token& start = advance();
    NodeId v = bitwise_or();
    NodeId s = make(NodeKind::Starred, span_from(start));
    tree_.set_node(s, Field::Starred_value, v);
    tree_.set_op(s, Field::Starred_ctx, Op::Load);
    return s;
  }
  return expression();
}

// star_named_expression: '*' bitwise_or | named_expression
NodeId Parser::star_named_expression() {
  if (at(TokenKind::Star)) return star_expression();
  return named_expression();
}

// named_expression: NAME ':=' expression | expression !':='
NodeId Parser::named_expression(bool assignment_hints) {
  const Token& start = tok();
  if (start.kind == TokenKind::Name && kind(1) == TokenKind::ColonEqual) {
    advance();
    advance();
    NodeId target = make_name(start, Op::Store);
    NodeId value = expression();
    NodeId n = make(NodeKind::NamedExpr, span_from(start));
    tree_.set_node(n, Field::NamedExpr_target, target);
    tree_.set_node(n, Field::NamedExpr_value, value);
    return n;
  }
  NodeId e = expression();
  if (at(TokenKind::ColonEqual)) {
    fail_node(e, std::string("cannot use assignment expressions with ") + expr_description(e));
  }
  if (assignment_hints) check_stray_assignment(e, start);
  return e;
}

// expressions: expression (',' expression)* [',']
NodeId Parser::expressions() {
  const Token& start = tok();
  NodeId first = expression();
  if (!at(TokenKind::Comma)) return first;
  size_t base = mark_stack();
  stack_.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (!starts_expression() || at(TokenKind::Star)) break;
    stack_.push_back(expression());
  }
  NodeId t = make(NodeKind::Tuple, span_from(start));
  set_list_from(t, Field::Tuple_elts, base);
  tree_.set_op(t, Field::Tuple_ctx, Op::Load);
  return t;
}

// expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef
NodeId Parser::expression() {
  Depth guard(*this);
  if (at(TokenKind::KwLambda)) return lambdef();
  const Token& start = tok();
  NodeId body = disjunction();
  if (!at(TokenKind::KwIf)) return body;
  advance();
  NodeId test = disjunction();
  if (!at(TokenKind::KwElse)) fail_range(span_from(start), "expected 'else' after 'if' expression");
  advance();
  NodeId orelse = expression();
  NodeId n = make(NodeKind::IfExp, span_from(start));
  tree_.set_node(n, Field::IfExp_test, test);
  tree_.set_node(n, Field::IfExp_body, body);
  tree_.set_node(n, Field::IfExp_orelse, orelse);
  return n;
}

NodeId Parser::disjunction() {
  const Token& start = tok();
  NodeId first = conjunction();
  if (!at(TokenKind::KwOr)) return first;
  size_t base = mark_stack();
  stack_.push_back(first);
  while (accept(TokenKind::KwOr)) stack_.push_back(conjunction());
  NodeId n = make(NodeKind::BoolOp, span_from(start));
  tree_.set_op(n, Field::BoolOp_op, Op::Or);
  set_list_from(n, Field::BoolOp_values, base);
  return n;
}

NodeId Parser::conjunction() {
  const Token& start = tok();
  NodeId first = inversion();
  if (!at(TokenKind::KwAnd)) return first;
  size_t base = mark_stack();
  stack_.push_back(first);
  while (accept(TokenKind::KwAnd)) stack_.push_back(inversion());
  NodeId n = make(NodeKind::BoolOp, span_from(start));
  tree_.set_op(n, Field::BoolOp_op, Op::And);
  set_list_from(n, Field::BoolOp_values, base);
  return n;
}

NodeId Parser::inversion() {
  if (!at(TokenKind::KwNot)) return comparison();
  Depth guard(*this);
  const Token& start = advance();
  NodeId operand = inversion();
  NodeId n = make(NodeKind::UnaryOp, span_from(start));
  tree_.set_op(n, Field::UnaryOp_op, Op::Not);
  tree_.set_node(n, Field::UnaryOp_operand, operand);
  return n;
}

// comparison: bitwise_or (compare_op bitwise_or)*
NodeId Parser::comparison() {
  const Token& start = tok();
  NodeId left = bitwise_or();
  Op ops_buf[64];
  std::vector<Op> more;  // only for chains longer than 64
  uint32_t nops = 0;
  size_t base = mark_stack();
  for (;;) {
    Op op;
    switch (kind()) {
      case TokenKind::EqEqual:
        op = Op::Eq;
        break;
      case TokenKind::NotEqual:
        if (text(tok()) == "<>") fail_at(tok(), "invalid syntax");
        op = Op::NotEq;
        break;
      case TokenKind::Less:
        op = Op::Lt;
        break;
      case TokenKind::LessEqual:
        op = Op::LtE;
        break;
      case TokenKind::Greater:
        op = Op::Gt;
        break;
      case TokenKind::GreaterEqual:
        op = Op::GtE;
        break;
      case TokenKind::KwIn:
        op = Op::In;
        break;
      case TokenKind::KwIs:
        if (kind(1) == TokenKind::KwNot) {
          advance();
          op = Op::IsNot;
        } else {
          op = Op::Is;
        }
        break;
      case TokenKind::KwNot:
        if (kind(1) != TokenKind::KwIn) goto done;
        advance();
        op = Op::NotIn;
        break;
      default:
        goto done;
    }
    advance();
    if (nops < 64) {
      ops_buf[nops] = op;
    } else {
      if (more.empty()) more.assign(ops_buf, ops_buf + 64);
      more.push_back(op);
    }
    ++nops;
    stack_.push_back(bitwise_or());
  }
done:
  if (nops == 0) return left;
  NodeId n = make(NodeKind::Compare, span_from(start));
  tree_.set_node(n, Field::Compare_left, left);
  if (nops <= 64)
    tree_.set_ops(n, Field::Compare_ops, ast::Span<Op>{ops_buf, nops});
  else
    tree_.set_ops(n, Field::Compare_ops, ast::Span<Op>{more.data(), nops});
  set_list_from(n, Field::Compare_comparators, base);
  return n;
}

namespace {
// Binary operator levels, loosest first: | ^ & shifts sums terms.
bool binary_op(int level, TokenKind k, Op& op) {
  switch (level) {
    case 0:
      if (k == TokenKind::VBar) return op = Op::BitOr, true;
      return false;
    case 1:
      if (k == TokenKind::Circumflex) return op = Op::BitXor, true;
      return false;
    case 2:
      if (k == TokenKind::Amper) return op = Op::BitAnd, true;
      return false;
    case 3:
      if (k == TokenKind::LeftShift) return op = Op::LShift, true;
      if (k == TokenKind::RightShift) return op = Op::RShift, true;
      return false;
    case 4:
      if (k == TokenKind::Plus) return op = Op::Add, true;
      if (k == TokenKind::Minus) return op = Op::Sub, true;
      return false;
    default:
      switch (k) {
        case TokenKind::Star:
          return op = Op::Mult, true;
        case TokenKind::Slash:
          return op = Op::Div, true;
        case TokenKind::DoubleSlash:
          return op = Op::FloorDiv, true;
        case TokenKind::Percent:
          return op = Op::Mod, true;
        case TokenKind::At:
          return op = Op::MatMult, true;
        default:
          return false;
      }
  }
}
}  // namespace

// The left-associative binary levels share one loop; each operand is the next
// tighter level (term's operand is factor).
#define XAG_BINARY_LEVEL(fn, level, next)                 \
  NodeId Parser::fn() {                                   \
    const Token& start = tok();                           \
    NodeId left = next();                                 \
    Op op;                                                \
    int chain = 0;                                        \
    while (binary_op(level, kind(), op)) {                \
      check_chain(++chain);                               \
      advance();                                          \
      NodeId right = next();                              \
      NodeId n = make(NodeKind::BinOp, span_from(start)); \
      tree_.set_node(n, Field::BinOp_left, left);         \
      tree_.set_op(n, Field::BinOp_op, op);               \
      tree_.set_node(n, Field::BinOp_right, right);       \
      left = n;                                           \
    }                                                     \
    return left;                                          \
  }
XAG_BINARY_LEVEL(bitwise_or, 0, bitwise_xor)
XAG_BINARY_LEVEL(bitwise_xor, 1, bitwise_and)
XAG_BINARY_LEVEL(bitwise_and, 2, shift_expr)
XAG_BINARY_LEVEL(shift_expr, 3, sum)
XAG_BINARY_LEVEL(sum, 4, term)
XAG_BINARY_LEVEL(term, 5, factor)
#undef XAG_BINARY_LEVEL

// factor: '+' factor | '-' factor | '~' factor | power
NodeId Parser::factor() {
  Op op;
  switch (kind()) {
    case TokenKind::Plus:
      op = Op::UAdd;
      break;
    case TokenKind::Minus:
      op = Op::USub;
      break;
    case TokenKind::Tilde:
      op = Op::Invert;
      break;
    default:
      return power();
  }
  Depth guard(*this);
  const Token& start = advance();
  NodeId operand = factor();
  NodeId n = make(NodeKind::UnaryOp, span_from(start));
  tree_.set_op(n, Field::UnaryOp_op, op);
  tree_.set_node(n, Field::UnaryOp_operand, operand);
  return n;
}

// power: await_primary '**' factor | await_primary
NodeId Parser::power() {
  const Token& start = tok();
  NodeId left = await_primary();
  if (!accept(TokenKind::DoubleStar)) return left;
  Depth guard(*this);
  NodeId right = factor();
  NodeId n = make(NodeKind::BinOp, span_from(start));
  tree_.set_node(n, Field::BinOp_left, left);
  tree_.set_op(n, Field::BinOp_op, Op::Pow);
  tree_.set_node(n, Field::BinOp_right, right);
  return n;
}

NodeId Parser::await_primary() {
  if (!at(TokenKind::KwAwait)) return primary();
  const Token& start = advance();
  NodeId v = primary();
  NodeId n = make(NodeKind::Await, span_from(start));
  tree_.set_node(n, Field::Await_value, v);
  return n;
}

// primary: atom followed by any number of '.' NAME, '(' args ')', '[' slices ']'
NodeId Parser::primary() {
  const Token& start = tok();
  return primary_trailers(atom(), start);
}

NodeId Parser::primary_trailers(NodeId e, const Token& start) {
  for (int chain = 1;; ++chain) {
    check_chain(chain);
    switch (kind()) {
      case TokenKind::Dot: {
        advance();
        const Token& name = expect(TokenKind::Name);
        NodeId n = make(NodeKind::Attribute, span_from(start));
        tree_.set_node(n, Field::Attribute_value, e);
        tree_.set_ident(n, Field::Attribute_attr, name_str(name));
        tree_.set_op(n, Field::Attribute_ctx, Op::Load);
        e = n;
        break;
      }
      case TokenKind::LPar:
        e = call(e, start);
        break;
      case TokenKind::LSqb: {
        advance();
        NodeId s = slices();
        expect(TokenKind::RSqb);
        NodeId n = make(NodeKind::Subscript, span_from(start));
        tree_.set_node(n, Field::Subscript_value, e);
        tree_.set_node(n, Field::Subscript_slice, s);
        tree_.set_op(n, Field::Subscript_ctx, Op::Load);
        e = n;
        break;
      }
      default:
        return e;
    }
  }
}

// slices: slice !',' | ','.(slice | starred_expression)+ [',']
NodeId Parser::slices() {
  const Token& start = tok();
  NodeId first = slice();
  if (!at(TokenKind::Comma) && tree_.kind(first) != NodeKind::Starred) return first;
  size_t base = mark_stack();
  stack_.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::RSqb)) break;
    stack_.push_back(slice());
  }
  NodeId t = make(NodeKind::Tuple, span_from(start));
  set_list_from(t, Field::Tuple_elts, base);
  tree_.set_op(t, Field::Tuple_ctx, Op::Load);
  return t;
}

// slice: [expression] ':' [expression] [':' [expression]] | named_expression
// (a starred_expression is accepted here too; slices() wraps it in a Tuple)
NodeId Parser::slice() {
  const Token& start = tok();
  if (at(TokenKind::Star)) {
    advance();
    NodeId v = expression();
    NodeId s = make(NodeKind::Starred, span_from(start));
    tree_.set_node(s, Field::Starred_value, v);
    tree_.set_op(s, Field::Starred_ctx, Op::Load);
    return s;
  }
  NodeId lower;
  if (!at(TokenKind::Colon)) {
    NodeId e = named_expression();
    if (!at(TokenKind::Colon)) return e;
    if (tree_.kind(e) == NodeKind::NamedExpr) fail_at(tok(), "invalid syntax");
    lower = e;
  }
  expect(TokenKind::Colon);
  auto bound_follows = [&] {
    return !at(TokenKind::Colon) && !at(TokenKind::Comma) && !at(TokenKind::RSqb);
  };
  NodeId upper, step;
  if (bound_follows()) upper = expression();
  if (accept(TokenKind::Colon) && bound_follows()) step = expression();
  NodeId n = make(NodeKind::Slice, span_from(start));
  tree_.set_node(n, Field::Slice_lower, lower);
  tree_.set_node(n, Field::Slice_upper, upper);
  tree_.set_node(n, Field::Slice_step, step);
  return n;
}

// Call arguments: positional and starred arguments go to args, `name=value`
// and `**value` to keywords, in source order. A lone generator expression
// argument takes the call's parentheses as its own.
NodeId Parser::call(NodeId func, const Token& start) {
  const Token& open = expect(TokenKind::LPar);
  NodeId n = make(NodeKind::Call, Pos{});
  tree_.set_node(n, Field::Call_func, func);
  size_t args_base = mark_stack();
  std::vector<NodeId> keywords;
  bool seen_kwargs = false;
  while (!at(TokenKind::RPar)) {
    const Token& a = tok();
    if (a.kind == TokenKind::Star) {
      advance();
      NodeId v = expression();
      if (seen_kwargs)
        fail_range(span_from(a), "iterable argument unpacking follows keyword argument unpacking");
      NodeId s = make(NodeKind::Starred, span_from(a));
      tree_.set_node(s, Field::Starred_value, v);
      tree_.set_op(s, Field::Starred_ctx, Op::Load);
      stack_.push_back(s);
    } else if (a.kind == TokenKind::DoubleStar) {
      advance();
      NodeId v = expression();
      NodeId k = make(NodeKind::keyword, span_from(a));
      tree_.set_node(k, Field::keyword_value, v);
      keywords.push_back(k);
      seen_kwargs = true;
    } else if (a.kind == TokenKind::Name && kind(1) == TokenKind::Equal) {
      advance();
      advance();
      NodeId v = expression();
      NodeId k = make(NodeKind::keyword, span_from(a));
      tree_.set_ident(k, Field::keyword_arg, name_str(a));
      tree_.set_node(k, Field::keyword_value, v);
      keywords.push_back(k);
    } else {
      NodeId e = named_expression(false);
      if (at_comprehension_for()) {
        NodeId g = make(NodeKind::GeneratorExp, Pos{});
        tree_.set_node(g, Field::GeneratorExp_elt, e);
        comprehension_clauses(g, Field::GeneratorExp_generators);
        if (mark_stack() != args_base || !keywords.empty() || !at(TokenKind::RPar)) {
          if (at(TokenKind::Comma) && kind(1) == TokenKind::RPar && mark_stack() == args_base &&
              keywords.empty()) {
            advance();  // f(x for x in y,) is allowed
          } else {
            fail_range(span_from(a), "Generator expression must be parenthesized");
          }
        }
        tree_.set_pos(g, span(open, tok()));
        e = g;
      } else if (at(TokenKind::Equal)) {
        fail_range(span_from(a), "expression cannot contain assignment, perhaps you meant \"==\"?");
      }
      if (!keywords.empty() && deferred_error_.empty()) {
        // CPython finds this in its second pass and reports it at the last
        // token the first pass read: keep parsing, report it later.
        deferred_error_ = seen_kwargs ? "positional argument follows keyword argument unpacking"
                                      : "positional argument follows keyword argument";
      }
      stack_.push_back(e);
    }
    if (!accept(TokenKind::Comma)) {
      if (!at(TokenKind::RPar) && mark_stack() > args_base) check_forgot_comma(stack_.back());
      break;
    }
  }
  expect(TokenKind::RPar);
  if (!deferred_error_.empty()) fail_generic();
  tree_.set_pos(n, span_from(start));
  set_list_from(n, Field::Call_args, args_base);
  tree_.set_list(n, Field::Call_keywords, keywords);
  return n;
}

void Parser::comprehension_clauses(NodeId owner, Field f) {
  size_t base = mark_stack();
  while (at_comprehension_for()) {
    const Token& start = tok();
    bool is_async = accept(TokenKind::KwAsync);
    expect(TokenKind::KwFor);
    NodeId target = star_targets();
    check_target(target, TargetUse::Comprehension);
    set_ctx(target, Op::Store);
    expect(TokenKind::KwIn);
    NodeId iter = disjunction();
    NodeId c = make(NodeKind::comprehension, Pos{});
    tree_.set_node(c, Field::comprehension_target, target);
    tree_.set_node(c, Field::comprehension_iter, iter);
    size_t ifs = mark_stack();
    while (accept(TokenKind::KwIf)) stack_.push_back(disjunction());
    set_list_from(c, Field::comprehension_ifs, ifs);
    tree_.set_int(c, Field::comprehension_is_async, is_async ? 1 : 0);
    tree_.set_pos(c, span_from(start));
    stack_.push_back(c);
  }
  set_list_from(owner, f, base);
}

// Finishes [elt for ...] / {elt for ...} / (elt for ...) after elt.
NodeId Parser::comprehension_tail(NodeKind k, NodeId elt, const Token& start, TokenKind close) {
  NodeId n = make(k, Pos{});
  Field gens = k == NodeKind::ListComp  ? Field::ListComp_generators
               : k == NodeKind::SetComp ? Field::SetComp_generators
                                        : Field::GeneratorExp_generators;
  Field elt_f = k == NodeKind::ListComp  ? Field::ListComp_elt
                : k == NodeKind::SetComp ? Field::SetComp_elt
                                         : Field::GeneratorExp_elt;
  if (tree_.kind(elt) == NodeKind::Starred) {
    const char* what = k == NodeKind::ListComp  ? "list comprehension"
                       : k == NodeKind::SetComp ? "set comprehension"
                                                : "generator expression";
    fail_node(elt, std::string("iterable unpacking cannot be used in ") + what);
  }
  tree_.set_node(n, elt_f, elt);
  comprehension_clauses(n, gens);
  expect(close);
  tree_.set_pos(n, span_from(start));
  return n;
}

NodeId Parser::atom() {
  const Token& t = tok();
  switch (t.kind) {
    case TokenKind::Name:
      advance();
      return make_name(t, Op::Load);
    case TokenKind::Number:
      advance();
      return number(t);
    case TokenKind::String:
      return strings();
    case TokenKind::KwNone:
    case TokenKind::KwTrue:
    case TokenKind::KwFalse:
    case TokenKind::Ellipsis: {
      advance();
      NodeId n = make(NodeKind::Constant, span(t, t));
      ast::Constant c;
      c.kind = t.kind == TokenKind::KwNone    ? ast::ConstKind::None
               : t.kind == TokenKind::KwTrue  ? ast::ConstKind::True
               : t.kind == TokenKind::KwFalse ? ast::ConstKind::False
                                              : ast::ConstKind::Ellipsis;
      tree_.set_constant(n, Field::Constant_value, c);
      return n;
    }
    case TokenKind::LPar:
      return paren_atom();
    case TokenKind::LSqb:
      return list_atom();
    case TokenKind::LBrace:
      return brace_atom();
    default:
      fail_generic();
  }
}

// '(' ')' | '(' yield_expr ')' | '(' named_expression ')' | tuple | genexp
NodeId Parser::paren_atom() {
  Depth guard(*this);
  const Token& open = advance();
  if (accept(TokenKind::RPar)) {
    NodeId t = make(NodeKind::Tuple, span_from(open));
    tree_.set_op(t, Field::Tuple_ctx, Op::Load);
    return t;
  }
  if (at(TokenKind::KwYield)) {
    NodeId y = yield_expr();
    expect(TokenKind::RPar);
    return y;
  }
  NodeId first = star_named_expression();
  if (at_comprehension_for())
    return comprehension_tail(NodeKind::GeneratorExp, first, open, TokenKind::RPar);
  if (accept(TokenKind::RPar)) {
    if (tree_.kind(first) == NodeKind::Starred)
      fail_node(first, "cannot use starred expression here");
    return first;
  }
  if (!at(TokenKind::Comma)) {
    check_forgot_comma(first);
    expect(TokenKind::RPar);
  }
  size_t base = mark_stack();
  stack_.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::RPar)) break;
    stack_.push_back(star_named_expression());
  }
  if (!at(TokenKind::RPar)) check_forgot_comma(stack_.back());
  expect(TokenKind::RPar);
  NodeId t = make(NodeKind::Tuple, span_from(open));
  set_list_from(t, Field::Tuple_elts, base);
  tree_.set_op(t, Field::Tuple_ctx, Op::Load);
  return t;
}

NodeId Parser::list_atom() {
  Depth guard(*this);
  const Token& open = advance();
  size_t base = mark_stack();
  if (!at(TokenKind::RSqb)) {
    NodeId first = star_named_expression();
    if (at_comprehension_for())
      return comprehension_tail(NodeKind::ListComp, first, open, TokenKind::RSqb);
    stack_.push_back(first);
    while (accept(TokenKind::Comma)) {
      if (at(TokenKind::RSqb)) break;
      stack_.push_back(star_named_expression());
    }
    if (!at(TokenKind::RSqb)) check_forgot_comma(stack_.back());
  }
  expect(TokenKind::RSqb);
  NodeId l = make(NodeKind::List, span_from(open));
  set_list_from(l, Field::List_elts, base);
  tree_.set_op(l, Field::List_ctx, Op::Load);
  return l;
}

// dict | set | dictcomp | setcomp
NodeId Parser::brace_atom() {
  Depth guard(*this);
  const Token& open = advance();
  if (accept(TokenKind::RBrace)) return make(NodeKind::Dict, span_from(open));
  NodeId first_key, first_value;
  bool is_dict;
  if (at(TokenKind::DoubleStar)) {
    advance();
    first_value = bitwise_or();
    is_dict = true;
  } else {
    first_key = star_named_expression();
    is_dict = at(TokenKind::Colon);
    if (is_dict) {
      advance();
      dict_value_expected();
      first_value = expression();
    }
  }
  if (!is_dict) {
    if (at_comprehension_for())
      return comprehension_tail(NodeKind::SetComp, first_key, open, TokenKind::RBrace);
    size_t base = mark_stack();
    stack_.push_back(first_key);
    while (accept(TokenKind::Comma)) {
      if (at(TokenKind::RBrace)) break;
      stack_.push_back(star_named_expression());
    }
    expect(TokenKind::RBrace);
    NodeId s = make(NodeKind::Set, span_from(open));
    set_list_from(s, Field::Set_elts, base);
    return s;
  }
  if (first_key && at_comprehension_for()) {
    NodeId n = make(NodeKind::DictComp, Pos{});
    tree_.set_node(n, Field::DictComp_key, first_key);
    tree_.set_node(n, Field::DictComp_value, first_value);
    comprehension_clauses(n, Field::DictComp_generators);
    expect(TokenKind::RBrace);
    tree_.set_pos(n, span_from(open));
    return n;
  }
  // Keys and values interleave on the scratch stack, then split.
  size_t base = mark_stack();
  stack_.push_back(first_key);
  stack_.push_back(first_value);
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::RBrace)) break;
    if (accept(TokenKind::DoubleStar)) {
      stack_.push_back(NodeId{});
      stack_.push_back(bitwise_or());
    } else {
      stack_.push_back(expression());
      expect(TokenKind::Colon, "':' expected after dictionary key");
      dict_value_expected();
      stack_.push_back(expression());
    }
  }
  expect(TokenKind::RBrace);
  NodeId d = make(NodeKind::Dict, span_from(open));
  size_t count = (stack_.size() - base) / 2;
  std::vector<NodeId> keys(count), values(count);
  for (size_t i = 0; i < count; ++i) {
    keys[i] = stack_[base + 2 * i];
    values[i] = stack_[base + 2 * i + 1];
  }
  stack_.resize(base);
  tree_.set_list(d, Field::Dict_keys, keys);
  tree_.set_list(d, Field::Dict_values, values);
  return d;
}

void Parser::dict_value_expected() {
  if (at(TokenKind::RBrace) || at(TokenKind::Comma))
    fail_range(span(last(), last()), "expression expected after dictionary key and ':'");
}

// lambdef: 'lambda' [lambda_params] ':' expression
NodeId Parser::lambdef() {
  const Token& start = advance();
  NodeId args = parameters(TokenKind::Colon, /*lambda=*/true);
  expect(TokenKind::Colon);
  NodeId body = expression();
  NodeId n = make(NodeKind::Lambda, span_from(start));
  tree_.set_node(n, Field::Lambda_args, args);
  tree_.set_node(n, Field::Lambda_body, body);
  return n;
}

// yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]
NodeId Parser::yield_expr() {
  const Token& start = advance();
  if (accept(TokenKind::KwFrom)) {
    NodeId v = expression();
    NodeId n = make(NodeKind::YieldFrom, span_from(start));
    tree_.set_node(n, Field::YieldFrom_value, v);
    return n;
  }
  NodeId v;
  if (starts_expression()) v = star_expressions();
  NodeId n = make(NodeKind::Yield, span_from(start));
  tree_.set_node(n, Field::Yield_value, v);
  return n;
}

// star_targets: star_target !',' | star_target (',' star_target)* [',']
// Targets are parsed as primaries (which never swallow `in` or `=`) and then
// checked and switched to Store by the caller.
NodeId Parser::star_targets() {
  const Token& start = tok();
  NodeId first = star_target();
  if (!at(TokenKind::Comma)) return first;
  size_t base = mark_stack();
  stack_.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (!starts_expression() || at(TokenKind::KwNot) || at(TokenKind::KwLambda)) break;
    stack_.push_back(star_target());
  }
  NodeId t = make(NodeKind::Tuple, span_from(start));
  set_list_from(t, Field::Tuple_elts, base);
  tree_.set_op(t, Field::Tuple_ctx, Op::Load);
  return t;
}

NodeId Parser::star_target() {
  if (at(TokenKind::Star)) {
    Depth guard(*this);
    const Token& start = advance();
    NodeId v = star_target();
    NodeId s = make(NodeKind::Starred, span_from(start));
    tree_.set_node(s, Field::Starred_value, v);
    tree_.set_op(s, Field::Starred_ctx, Op::Load);
    return s;
  }
  return primary();
}

// Names what a bad target is, in CPython's words ("function call", "literal").
const char* Parser::expr_description(NodeId e) {
  switch (tree_.kind(e)) {
    case NodeKind::Attribute:
      return "attribute";
    case NodeKind::Subscript:
      return "subscript";
    case NodeKind::Starred:
      return "starred";
    case NodeKind::Name:
      return "name";
    case NodeKind::List:
      return "list";
    case NodeKind::Tuple:
      return "tuple";
    case NodeKind::Lambda:
      return "lambda";
    case NodeKind::Call:
      return "function call";
    case NodeKind::BoolOp:
    case NodeKind::BinOp:
    case NodeKind::UnaryOp:
      return "expression";
    case NodeKind::GeneratorExp:
      return "generator expression";
    case NodeKind::Yield:
    case NodeKind::YieldFrom:
      return "yield expression";
    case NodeKind::Await:
      return "await expression";
    case NodeKind::ListComp:
      return "list comprehension";
    case NodeKind::SetComp:
      return "set comprehension";
    case NodeKind::DictComp:
      return "dict comprehension";
    case NodeKind::Dict:
      return "dict literal";
    case NodeKind::Set:
      return "set display";
    case NodeKind::JoinedStr:
    case NodeKind::FormattedValue:
      return "f-string expression";
    case NodeKind::Constant: {
      const ast::Constant& c = tree_.constant(e, Field::Constant_value);
      switch (c.kind) {
        case ast::ConstKind::None:
          return "None";
        case ast::ConstKind::True:
          return "True";
        case ast::ConstKind::False:
          return "False";
        case ast::ConstKind::Ellipsis:
          return "ellipsis";
        default:
          return "literal";
      }
    }
    case NodeKind::Compare:
      return "comparison";
    case NodeKind::IfExp:
      return "conditional expression";
    case NodeKind::NamedExpr:
      return "named expression";
    default:
      return "expression";
  }
}

// Rejects what cannot be assigned to (or deleted), with CPython's messages.
void Parser::check_target(NodeId e, TargetUse use) {
  NodeKind k = tree_.kind(e);
  switch (k) {
    case NodeKind::Name:
    case NodeKind::Attribute:
    case NodeKind::Subscript:
      return;
    case NodeKind::Starred:
      if (use == TargetUse::Del) fail_node(e, "cannot delete starred");
      check_target(tree_.node(e, Field::Starred_value), use);
      return;
    case NodeKind::Tuple:
    case NodeKind::List: {
      if (use == TargetUse::AugAssign) break;
      Field f = k == NodeKind::Tuple ? Field::Tuple_elts : Field::List_elts;
      auto elts = tree_.list(e, f);
      for (uint32_t i = 0; i < elts.size(); ++i) check_target(tree_.list(e, f)[i], use);
      return;
    }
    default:
      break;
  }
  const char* what = expr_description(e);
  switch (use) {
    case TargetUse::Del:
      fail_node(e, std::string("cannot delete ") + what);
    case TargetUse::AugAssign:
      fail_node(e, std::string("'") + what + "' is an illegal expression for augmented assignment");
    case TargetUse::Assign:
      fail_node(e, std::string("cannot assign to ") + what +
                       ((k == NodeKind::Constant && std::string_view(what) == "literal") ||
                                k == NodeKind::Call || k == NodeKind::BinOp ||
                                k == NodeKind::Compare || k == NodeKind::Attribute
                            ? " here. Maybe you meant '==' instead of '='?"
                            : ""));
    default:
      fail_node(e, std::string("cannot assign to ") + what);
  }
}

void Parser::set_ctx(NodeId e, Op ctx) {
  switch (tree_.kind(e)) {
    case NodeKind::Name:
      tree_.set_op(e, Field::Name_ctx, ctx);
      break;
    case NodeKind::Attribute:
      tree_.set_op(e, Field::Attribute_ctx, ctx);
      break;
    case NodeKind::Subscript:
      tree_.set_op(e, Field::Subscript_ctx, ctx);
      break;
    case NodeKind::Starred:
      tree_.set_op(e, Field::Starred_ctx, ctx);
      set_ctx(tree_.node(e, Field::Starred_value), ctx);
      break;
    case NodeKind::Tuple:
    case NodeKind::List: {
      bool tuple = tree_.kind(e) == NodeKind::Tuple;
      tree_.set_op(e, tuple ? Field::Tuple_ctx : Field::List_ctx, ctx);
      Field f = tuple ? Field::Tuple_elts : Field::List_elts;
      uint32_t n = tree_.list(e, f).size();
      for (uint32_t i = 0; i < n; ++i) set_ctx(tree_.list(e, f)[i], ctx);
      break;
    }
    default:
      break;
  }
}

}  // namespace xag::parse
