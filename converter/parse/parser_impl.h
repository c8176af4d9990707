// The recursive-descent parser's internals, shared by the parse_*.cpp files
// (one file per grammar area: statements, expressions, strings, patterns).
//
// Functions are named after the rules of CPython's Grammar/python.gram and
// read like them. A syntax error throws ParseFail after recording the message;
// the few places where the grammar needs backtracking (with-item parentheses,
// soft keywords, lambda/assignment lookahead) save the position, catch, and
// rewind the token position and the tree.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "converter/ast/ast.h"
#include "converter/diag/syntax_error.h"
#include "converter/lex/lexer.h"
#include "converter/lex/token.h"

namespace xag::parse {

using ast::Field;
using ast::NodeId;
using ast::NodeKind;
using ast::Op;
using ast::Pos;
using lex::Token;
using lex::TokenKind;

struct ParseFail {};

// How a target expression is used, for the error messages about bad targets.
enum class TargetUse { Assign, AugAssign, AnnAssign, Del, For, With, Comprehension, NamedExpr };

class Parser {
 public:
  Parser(ast::Tree& tree, const std::vector<Token>& tokens, const lex::Lexer& lexer, int depth);

  NodeId file();                // file: [statements] ENDMARKER
  NodeId fstring_expression();  // star_expressions ENDMARKER, inside an f-string
  const diag::SyntaxError& error() const { return error_; }
  bool has_error() const { return has_error_; }
  // The furthest token looked at: where a generic syntax error is reported.
  const Token& furthest() const { return toks_[furthest_]; }
  bool generic_error() const { return generic_; }
  char source_char(uint32_t offset) const { return tree_.source()[offset]; }

 private:
  friend class StringParser;
  // ---- tokens ----
  const Token& tok(int ahead = 0) {
    size_t i = pos_ + ahead;
    if (i >= toks_.size()) i = toks_.size() - 1;
    if (i > furthest_) furthest_ = i;
    return toks_[i];
  }
  TokenKind kind(int ahead = 0) { return tok(ahead).kind; }
  bool at(TokenKind k) { return kind() == k; }
  bool at_soft(const char* kw);  // NAME token spelled kw
  const Token& advance() {
    const Token& t = tok();
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool accept(TokenKind k) {
    if (!at(k)) return false;
    advance();
    return true;
  }
  const Token& expect(TokenKind k);
  const Token& expect(TokenKind k, const char* message);
  const Token& last() const { return toks_[pos_ - 1]; }
  std::string_view text(const Token& t) const {
    return tree_.source().substr(t.begin, t.end - t.begin);
  }

  // ---- errors ----
  [[noreturn]] void fail_generic();
  [[noreturn]] void fail_at(const Token& t, const std::string& message,
                            const char* type = "SyntaxError");
  [[noreturn]] void fail_range(const Pos& p, const std::string& message,
                               const char* type = "SyntaxError");
  // Before expecting ',' or a closing bracket after `prev`: another expression
  // here means a forgotten comma (CPython's invalid_expression rule).
  void check_forgot_comma(NodeId prev);
  // CPython's invalid_named_expression: `a = b` where an expression is expected (a tuple
  // element, an if's condition). `e` was parsed from token `start`.
  void check_stray_assignment(NodeId e, const Token& start);
  // Runs `parse` as a lookahead and puts the parser back as it was; false when it failed.
  bool lookahead(const std::function<void()>& parse);
  [[noreturn]] void fail_node(NodeId n, const std::string& message) {
    fail_range(tree_.pos(n), message);
  }
  // Left-recursive loops (a.b.c..., 1+1+1...) build trees as deep as the
  // chain is long; every later tree walk recurses that deep, so chains count
  // against the nesting limit too.
  void check_chain(int length);
  struct Depth {  // guards against unbounded recursion on deeply nested input
    Parser& p;
    explicit Depth(Parser& parser);
    ~Depth() { --p.depth_; }
  };

  // ---- positions / building ----
  Pos span(const Token& a, const Token& b) const {
    return Pos{a.lineno, a.col_offset, b.end_lineno, b.end_col_offset};
  }
  Pos span_from(const Token& a) const { return span(a, last()); }
  // From `start` to the last token consumed that is not NEWLINE/INDENT/DEDENT.
  Pos block_span(const Token& start) const;
  NodeId make(NodeKind k, const Pos& p) { return tree_.make(k, p); }
  ast::StrId name_str(const Token& t);  // an identifier (NFKC-normalized if needed)
  NodeId make_name(const Token& t, Op ctx);
  // Scratch stack for list children: push, then set_list_from(node, field, base).
  size_t mark_stack() const { return stack_.size(); }
  void set_list_from(NodeId n, Field f, size_t base);

  // ---- statements (parse_stmt.cpp) ----
  void statements(TokenKind end);
  void statement();
  void simple_stmts();
  NodeId simple_stmt();
  NodeId compound_stmt();
  NodeId assignment_or_expr();
  NodeId import_name();
  NodeId import_from();
  NodeId dotted_name_alias(bool dotted);
  NodeId function_def(const Token& start, size_t decorators_base, bool is_async);
  NodeId class_def(const Token& start, size_t decorators_base);
  NodeId decorated();
  NodeId if_stmt(bool elif);
  NodeId while_stmt();
  NodeId for_stmt(const Token* async_tok);
  NodeId with_stmt(const Token* async_tok);
  bool with_items_parenthesized();
  NodeId with_item();
  NodeId try_stmt();
  NodeId except_block(bool& star, bool first);
  NodeId return_stmt();
  NodeId raise_stmt();
  NodeId global_stmt(bool nonlocal);
  NodeId del_stmt();
  NodeId assert_stmt();
  void block(NodeId n, Field f, const Token& owner, const char* what);
  NodeId parameters(TokenKind end, bool lambda);
  NodeId param(bool lambda, bool star_annotation);
  NodeId match_stmt();
  NodeId case_block();

  // ---- expressions (parse_expr.cpp) ----
  NodeId star_expressions();
  NodeId star_expression();
  NodeId star_named_expression();
  // assignment_hints: CPython's invalid_named_expression messages (not in call arguments,
  // where `f(a.b = 1)` has a message of its own).
  NodeId named_expression(bool assignment_hints = true);
  NodeId expressions();
  NodeId expression();
  NodeId disjunction();
  NodeId conjunction();
  NodeId inversion();
  NodeId comparison();
  NodeId bitwise_or();
  NodeId bitwise_xor();
  NodeId bitwise_and();
  NodeId shift_expr();
  NodeId sum();
  NodeId term();
  NodeId factor();
  NodeId power();
  NodeId await_primary();
  NodeId primary();
  NodeId primary_trailers(NodeId e, const Token& start);
  NodeId atom();
  NodeId paren_atom();
  NodeId list_atom();
  NodeId brace_atom();
  void dict_value_expected();
  NodeId lambdef();
  NodeId yield_expr();
  NodeId slices();
  NodeId slice();
  NodeId call(NodeId func, const Token& start);
  void comprehension_clauses(NodeId n, Field f);
  NodeId comprehension_tail(NodeKind k, NodeId elt, const Token& start, TokenKind close);
  NodeId star_targets();
  NodeId star_target();
  bool at_comprehension_for() {
    return at(TokenKind::KwFor) || (at(TokenKind::KwAsync) && kind(1) == TokenKind::KwFor);
  }
  void check_target(NodeId e, TargetUse use);
  void set_ctx(NodeId e, Op ctx);
  const char* expr_description(NodeId e);
  bool starts_expression();

  // ---- literals (parse_string.cpp, literals.cpp) ----
  NodeId number(const Token& t);
  NodeId strings();

  // ---- patterns (parse_pattern.cpp) ----
  NodeId patterns();
  NodeId pattern();
  NodeId or_pattern();
  NodeId closed_pattern();
  NodeId literal_expr(bool& is_singleton, ast::Constant& singleton);
  NodeId signed_number();
  NodeId value_or_class_pattern();
  NodeId sequence_pattern(TokenKind close, const Token& open);
  NodeId mapping_pattern();
  NodeId star_pattern();
  NodeId maybe_star_pattern();

  ast::Tree& tree_;
  const std::vector<Token>& toks_;
  const lex::Lexer& lexer_;
  size_t pos_ = 0;
  size_t furthest_ = 0;
  int depth_ = 0;
  uintptr_t stack_floor_ = 0;  // Depth fails below this stack address (parser.cpp)
  std::vector<NodeId> stack_;
  diag::SyntaxError error_;
  bool has_error_ = false;
  bool generic_ = false;
  // A specific error CPython reports only where parsing stops (see call()).
  std::string deferred_error_;
  int fstring_depth_ = 0;
};

// The error CPython would report after `parser` failed on `lexer`'s tokens.
diag::SyntaxError choose_error(Parser& parser, const lex::Lexer& lexer);

}  // namespace xag::parse
