// Patterns of the match statement (PEP 634).
#include "converter/parse/parser_impl.h"

namespace xag::parse {

// patterns: open_sequence_pattern | pattern
NodeId Parser::patterns() {
  const Token& start = tok();
  NodeId first = maybe_star_pattern();
  if (!at(TokenKind::Comma)) {
    if (tree_.kind(first) == NodeKind::MatchStar) fail_generic();
    return first;
  }
  size_t base = mark_stack();
  stack_.push_back(first);
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::Colon) || at(TokenKind::KwIf)) break;
    stack_.push_back(maybe_star_pattern());
  }
  NodeId n = make(NodeKind::MatchSequence, span_from(start));
  set_list_from(n, Field::MatchSequence_patterns, base);
  return n;
}

NodeId Parser::maybe_star_pattern() {
  return at(TokenKind::Star) ? star_pattern() : pattern();
}

// star_pattern: '*' (capture_target | '_')
NodeId Parser::star_pattern() {
  const Token& start = advance();
  const Token& name = expect(TokenKind::Name);
  NodeId n = make(NodeKind::MatchStar, span_from(start));
  if (text(name) != "_") tree_.set_ident(n, Field::MatchStar_name, name_str(name));
  return n;
}

// pattern: or_pattern ['as' NAME]
NodeId Parser::pattern() {
  Depth guard(*this);
  const Token& start = tok();
  NodeId p = or_pattern();
  if (!accept(TokenKind::KwAs)) return p;
  const Token& name = tok();
  if (name.kind != TokenKind::Name) fail_at(name, "invalid pattern target");
  if (text(name) == "_") fail_at(name, "cannot use '_' as a target");
  advance();
  NodeId n = make(NodeKind::MatchAs, span_from(start));
  tree_.set_node(n, Field::MatchAs_pattern, p);
  tree_.set_ident(n, Field::MatchAs_name, name_str(name));
  return n;
}

// or_pattern: '|'.closed_pattern+
NodeId Parser::or_pattern() {
  const Token& start = tok();
  NodeId first = closed_pattern();
  if (!at(TokenKind::VBar)) return first;
  size_t base = mark_stack();
  stack_.push_back(first);
  while (accept(TokenKind::VBar)) stack_.push_back(closed_pattern());
  NodeId n = make(NodeKind::MatchOr, span_from(start));
  set_list_from(n, Field::MatchOr_patterns, base);
  return n;
}

// signed_number ['+' | '-' NUMBER]: a number, -number, or a complex literal.
NodeId Parser::signed_number() {
  const Token& start = tok();
  NodeId value;
  if (at(TokenKind::Minus)) {
    advance();
    const Token& num = expect(TokenKind::Number);
    NodeId c = number(num);
    value = make(NodeKind::UnaryOp, span_from(start));
    tree_.set_op(value, Field::UnaryOp_op, Op::USub);
    tree_.set_node(value, Field::UnaryOp_operand, c);
  } else {
    value = number(expect(TokenKind::Number));
  }
  if (at(TokenKind::Plus) || at(TokenKind::Minus)) {
    Op op = at(TokenKind::Plus) ? Op::Add : Op::Sub;
    advance();
    const Token& num = expect(TokenKind::Number);
    NodeId imag = number(num);
    const ast::Constant& c = tree_.constant(imag, Field::Constant_value);
    if (c.kind != ast::ConstKind::Complex)
      fail_node(imag, "imaginary number required in complex literal");
    NodeId b = make(NodeKind::BinOp, span_from(start));
    tree_.set_node(b, Field::BinOp_left, value);
    tree_.set_op(b, Field::BinOp_op, op);
    tree_.set_node(b, Field::BinOp_right, imag);
    value = b;
  }
  return value;
}

// A literal usable as a pattern or mapping key. None/True/False are reported
// through is_singleton (they become MatchSingleton in a pattern).
NodeId Parser::literal_expr(bool& is_singleton, ast::Constant& singleton) {
  is_singleton = false;
  const Token& t = tok();
  switch (t.kind) {
    case TokenKind::Number:
    case TokenKind::Minus:
      return signed_number();
    case TokenKind::String: {
      NodeId s = strings();
      if (tree_.kind(s) == NodeKind::JoinedStr)
        fail_node(s, "patterns may only match literals and attribute lookups");
      return s;
    }
    case TokenKind::KwNone:
    case TokenKind::KwTrue:
    case TokenKind::KwFalse: {
      NodeId c = atom();
      is_singleton = true;
      singleton = tree_.constant(c, Field::Constant_value);
      return c;
    }
    default:
      fail_generic();
  }
}

// closed_pattern: literal | capture | wildcard | value | group | sequence |
//                 mapping | class
NodeId Parser::closed_pattern() {
  const Token& start = tok();
  switch (start.kind) {
    case TokenKind::Number:
    case TokenKind::Minus:
    case TokenKind::String:
    case TokenKind::KwNone:
    case TokenKind::KwTrue:
    case TokenKind::KwFalse: {
      bool singleton = false;
      ast::Constant c;
      NodeId v = literal_expr(singleton, c);
      if (singleton) {
        NodeId n = make(NodeKind::MatchSingleton, span_from(start));
        tree_.set_constant(n, Field::MatchSingleton_value, c);
        return n;
      }
      NodeId n = make(NodeKind::MatchValue, span_from(start));
      tree_.set_node(n, Field::MatchValue_value, v);
      return n;
    }
    case TokenKind::Name:
      return value_or_class_pattern();
    case TokenKind::LSqb:
      advance();
      return sequence_pattern(TokenKind::RSqb, start);
    case TokenKind::LPar: {
      advance();
      if (at(TokenKind::RPar)) return sequence_pattern(TokenKind::RPar, start);
      // group_pattern '(' pattern ')' unless a comma makes it a sequence.
      NodeId first = maybe_star_pattern();
      if (accept(TokenKind::RPar)) {
        if (tree_.kind(first) == NodeKind::MatchStar) {
          NodeId n = make(NodeKind::MatchSequence, span_from(start));
          tree_.set_list(n, Field::MatchSequence_patterns, {first});
          return n;
        }
        return first;
      }
      size_t base = mark_stack();
      stack_.push_back(first);
      while (accept(TokenKind::Comma)) {
        if (at(TokenKind::RPar)) break;
        stack_.push_back(maybe_star_pattern());
      }
      expect(TokenKind::RPar);
      NodeId n = make(NodeKind::MatchSequence, span_from(start));
      set_list_from(n, Field::MatchSequence_patterns, base);
      return n;
    }
    case TokenKind::LBrace:
      return mapping_pattern();
    default:
      fail_generic();
  }
}

// '[' maybe_sequence_pattern? ']' after the opening bracket.
NodeId Parser::sequence_pattern(TokenKind close, const Token& open) {
  size_t base = mark_stack();
  while (!at(close)) {
    stack_.push_back(maybe_star_pattern());
    if (!accept(TokenKind::Comma)) break;
  }
  expect(close);
  NodeId n = make(NodeKind::MatchSequence, span_from(open));
  set_list_from(n, Field::MatchSequence_patterns, base);
  return n;
}

// capture / wildcard / value (dotted name) / class pattern
NodeId Parser::value_or_class_pattern() {
  const Token& start = advance();
  NodeId e;
  bool dotted = at(TokenKind::Dot);
  if (!dotted && !at(TokenKind::LPar)) {
    NodeId n = make(NodeKind::MatchAs, span(start, start));
    if (text(start) != "_") tree_.set_ident(n, Field::MatchAs_name, name_str(start));
    return n;
  }
  e = make_name(start, Op::Load);
  while (accept(TokenKind::Dot)) {
    const Token& attr = expect(TokenKind::Name);
    NodeId a = make(NodeKind::Attribute, span_from(start));
    tree_.set_node(a, Field::Attribute_value, e);
    tree_.set_ident(a, Field::Attribute_attr, name_str(attr));
    tree_.set_op(a, Field::Attribute_ctx, Op::Load);
    e = a;
  }
  if (!at(TokenKind::LPar)) {
    NodeId n = make(NodeKind::MatchValue, span_from(start));
    tree_.set_node(n, Field::MatchValue_value, e);
    return n;
  }
  // class_pattern: name_or_attr '(' [patterns] [keyword patterns] ')'
  advance();
  size_t base = mark_stack();
  std::vector<ast::StrId> kwd_attrs;
  std::vector<NodeId> kwd_patterns;
  while (!at(TokenKind::RPar)) {
    if (at(TokenKind::Name) && kind(1) == TokenKind::Equal) {
      const Token& name = advance();
      advance();
      kwd_attrs.push_back(name_str(name));
      kwd_patterns.push_back(pattern());
    } else {
      NodeId p = pattern();
      if (!kwd_attrs.empty()) fail_node(p, "positional patterns follow keyword patterns");
      stack_.push_back(p);
    }
    if (!accept(TokenKind::Comma)) break;
  }
  expect(TokenKind::RPar);
  NodeId n = make(NodeKind::MatchClass, span_from(start));
  tree_.set_node(n, Field::MatchClass_cls, e);
  set_list_from(n, Field::MatchClass_patterns, base);
  tree_.set_idents(
      n, Field::MatchClass_kwd_attrs,
      ast::Span<ast::StrId>{kwd_attrs.data(), static_cast<uint32_t>(kwd_attrs.size())});
  tree_.set_list(n, Field::MatchClass_kwd_patterns, kwd_patterns);
  return n;
}

// mapping_pattern: '{' [key ':' pattern (',' ...)*] [',' '**' NAME] [','] '}'
NodeId Parser::mapping_pattern() {
  const Token& start = advance();
  std::vector<NodeId> keys, pats;
  ast::StrId rest;
  while (!at(TokenKind::RBrace)) {
    if (accept(TokenKind::DoubleStar)) {
      rest = name_str(expect(TokenKind::Name));
      accept(TokenKind::Comma);
      break;
    }
    NodeId key;
    if (at(TokenKind::Name)) {
      const Token& first = advance();
      key = make_name(first, Op::Load);
      if (!at(TokenKind::Dot)) fail_generic();
      while (accept(TokenKind::Dot)) {
        const Token& attr = expect(TokenKind::Name);
        NodeId a = make(NodeKind::Attribute, span_from(first));
        tree_.set_node(a, Field::Attribute_value, key);
        tree_.set_ident(a, Field::Attribute_attr, name_str(attr));
        tree_.set_op(a, Field::Attribute_ctx, Op::Load);
        key = a;
      }
    } else {
      bool singleton;
      ast::Constant c;
      key = literal_expr(singleton, c);
    }
    expect(TokenKind::Colon);
    keys.push_back(key);
    pats.push_back(pattern());
    if (!accept(TokenKind::Comma)) break;
  }
  expect(TokenKind::RBrace);
  NodeId n = make(NodeKind::MatchMapping, span_from(start));
  tree_.set_list(n, Field::MatchMapping_keys, keys);
  tree_.set_list(n, Field::MatchMapping_patterns, pats);
  tree_.set_ident(n, Field::MatchMapping_rest, rest);
  return n;
}

}  // namespace xag::parse
