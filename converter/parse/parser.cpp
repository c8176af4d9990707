// The parser's entry points, token helpers and error policy.
#include "converter/parse/parser.h"

#include <pthread.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "converter/parse/literals.h"
#include "converter/parse/parser_impl.h"
#include "converter/unicode/unicode.h"

namespace xag::parse {
namespace {

// Nesting of expressions/blocks beyond which we refuse the input, as CPython 3.11 does: its
// compiler raises RecursionError past ~2,990 nested unary operators, `not`s, lambdas or
// if-expressions (the lexer refuses more than 200 nested brackets, as CPython's does).
constexpr int kMaxDepth = 2990;
// Deepest tree a left-recursive chain may build (CPython raises RecursionError
// "during ast construction" for such input).
constexpr int kMaxChain = 3000;
// Stack the parser leaves untouched below it: at least 256 KB, and three quarters of the
// thread's stack, because the passes after it walk the tree it builds recursively too and need
// about three times the parser's stack (each nesting level costs the parser ~300 bytes of
// frames: 2,990 levels fit in 1 MB). A thread with a small stack gets RecursionError instead of
// a crash.
constexpr size_t kMinStackReserve = 256 * 1024;

// The lowest address the parser may reach on this thread's stack (0 when unknown).
uintptr_t stack_floor() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  void* low = nullptr;
  size_t size = 0;
  const bool ok = pthread_attr_getstack(&attr, &low, &size) == 0;
  pthread_attr_destroy(&attr);
  if (!ok) return 0;
  return reinterpret_cast<uintptr_t>(low) + std::max(kMinStackReserve, size / 4 * 3);
}

}  // namespace

Parser::Parser(ast::Tree& tree, const std::vector<Token>& tokens, const lex::Lexer& lexer,
               int depth)
    : tree_(tree), toks_(tokens), lexer_(lexer), depth_(depth) {
  stack_.reserve(256);
  static thread_local const uintptr_t floor = stack_floor();
  stack_floor_ = floor;
}

Parser::Depth::Depth(Parser& parser) : p(parser) {
  const char probe = 0;
  if (++p.depth_ > kMaxDepth || reinterpret_cast<uintptr_t>(&probe) < p.stack_floor_) {
    --p.depth_;
    TokenKind k = p.kind();
    if (k == TokenKind::LPar || k == TokenKind::LSqb || k == TokenKind::LBrace)
      p.fail_at(p.tok(), "too many nested parentheses");
    p.fail_at(p.tok(), "maximum recursion depth exceeded during compilation", "RecursionError");
  }
}

void Parser::check_chain(int length) {
  if (length + depth_ > kMaxChain)
    fail_at(tok(), "maximum recursion depth exceeded during ast construction", "RecursionError");
}

bool Parser::at_soft(const char* kw) {
  const Token& t = tok();
  return t.kind == TokenKind::Name && text(t) == kw;
}

void Parser::check_forgot_comma(NodeId prev) {
  if (!starts_expression() || at(TokenKind::Star) || at(TokenKind::KwNot) || at(TokenKind::Minus) ||
      at(TokenKind::Plus) || at(TokenKind::LPar) || at(TokenKind::LSqb))
    return;
  if (tree_.kind(prev) == NodeKind::Name) {
    // `NAME STRING` (a string prefix typo) and Python 2's print/exec are
    // left to other messages, as in CPython.
    std::string_view id = tree_.ident(prev, Field::Name_id);
    if (at(TokenKind::String) || id == "print" || id == "exec") return;
  }
  // Only when a whole expression follows (CPython's expression_without_invalid).
  Pos end;
  if (!lookahead([&] { end = tree_.pos(expression()); })) return;
  const Pos& p = tree_.pos(prev);
  fail_range(Pos{p.lineno, p.col_offset, end.end_lineno, end.end_col_offset},
             "invalid syntax. Perhaps you forgot a comma?");
}

void Parser::check_stray_assignment(NodeId e, const Token& start) {
  if (!at(TokenKind::Equal)) return;
  // Only when `= b` is followed by neither '=' nor ':=' (CPython's lookahead).
  Pos rhs;
  const bool single = lookahead([&] {
    advance();
    rhs = tree_.pos(bitwise_or());
    if (at(TokenKind::Equal) || at(TokenKind::ColonEqual)) throw ParseFail{};
  });
  if (!single) return;
  const NodeKind k = tree_.kind(e);
  if (k == NodeKind::Name) {
    const Pos& p = tree_.pos(e);
    fail_range(Pos{p.lineno, p.col_offset, rhs.end_lineno, rhs.end_col_offset},
               "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
  }
  // The left side must be a bitwise_or (no comparison, `not`, and/or, if-else or lambda) and
  // not a list, tuple, generator or True/False/None.
  const bool below_bitwise_or =
      k == NodeKind::Attribute || k == NodeKind::Subscript || k == NodeKind::Call ||
      k == NodeKind::Constant || k == NodeKind::BinOp || k == NodeKind::Dict ||
      k == NodeKind::Set || k == NodeKind::ListComp || k == NodeKind::SetComp ||
      k == NodeKind::DictComp || k == NodeKind::JoinedStr || k == NodeKind::Await ||
      (k == NodeKind::UnaryOp && tree_.op(e, Field::UnaryOp_op) != Op::Not);
  const bool keyword_constant = start.kind == TokenKind::KwTrue ||
                                start.kind == TokenKind::KwFalse || start.kind == TokenKind::KwNone;
  if (below_bitwise_or && !keyword_constant) {
    const char* what = k == NodeKind::Constant    ? "literal"
                       : k == NodeKind::JoinedStr ? "f-string expression"
                                                  : expr_description(e);
    fail_node(
        e, std::string("cannot assign to ") + what + " here. Maybe you meant '==' instead of '='?");
  }
}

bool Parser::lookahead(const std::function<void()>& parse) {
  // CPython's invalid_* rules run in a second pass; a generic error still points at the
  // furthest token of the first, so the lookahead's tokens do not count as reached.
  size_t save = pos_, furthest = furthest_;
  auto mark = tree_.mark();
  size_t stack_size = stack_.size();
  bool had_error = has_error_, generic = generic_;
  diag::SyntaxError saved = error_;
  std::string deferred = deferred_error_;
  bool ok = true;
  try {
    parse();
  } catch (ParseFail&) {
    ok = false;
  }
  pos_ = save;
  furthest_ = furthest;
  tree_.rewind(mark);
  stack_.resize(stack_size);
  has_error_ = had_error;
  generic_ = generic;
  error_ = saved;
  deferred_error_ = deferred;
  return ok;
}

const Token& Parser::expect(TokenKind k) {
  if (!at(k)) {
    if (k == TokenKind::Colon) fail_at(last(), "expected ':'");
    fail_generic();
  }
  return advance();
}

const Token& Parser::expect(TokenKind k, const char* message) {
  if (!at(k)) fail_at(tok(), message);
  return advance();
}

void Parser::fail_generic() {
  if (!has_error_) {
    has_error_ = true;
    generic_ = true;
    const Token& t = toks_[furthest_];
    error_ = diag::SyntaxError{};
    error_.message = deferred_error_.empty() ? "invalid syntax" : deferred_error_;
    generic_ = deferred_error_.empty();
    error_.lineno = t.lineno;
    error_.col_offset = t.col_offset;
    error_.end_lineno = t.end_lineno;
    error_.end_col_offset = t.end_col_offset;
  }
  throw ParseFail{};
}

void Parser::fail_at(const Token& t, const std::string& message, const char* type) {
  fail_range(Pos{t.lineno, t.col_offset, t.end_lineno, t.end_col_offset}, message, type);
}

void Parser::fail_range(const Pos& p, const std::string& message, const char* type) {
  if (!has_error_) {
    has_error_ = true;
    generic_ = false;
    error_ = diag::SyntaxError{};
    error_.type = type;
    error_.message = message;
    error_.lineno = p.lineno;
    error_.col_offset = p.col_offset;
    error_.end_lineno = p.end_lineno;
    error_.end_col_offset = p.end_col_offset;
  }
  throw ParseFail{};
}

// Identifiers are NFKC-normalized (PEP 3131); ASCII ones view the source.
ast::StrId Parser::name_str(const Token& t) {
  std::string_view s = text(t);
  bool ascii = true;
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
  if (ascii) return tree_.view_source(s);
  std::string norm;
  bool changed = false;
  for (size_t i = 0; i < s.size();) {
    size_t len;
    uint32_t cp = unicode::decode_utf8(s, i, len);
    if (const char* n = cp >= 0x80 ? unicode::nfkc(cp) : nullptr) {
      norm += n;
      changed = true;
    } else {
      norm.append(s.data() + i, len);
    }
    i += len;
  }
  return changed ? tree_.intern(norm) : tree_.view_source(s);
}

NodeId Parser::make_name(const Token& t, Op ctx) {
  NodeId n = make(NodeKind::Name, span(t, t));
  tree_.set_ident(n, Field::Name_id, name_str(t));
  tree_.set_op(n, Field::Name_ctx, ctx);
  return n;
}

void Parser::set_list_from(NodeId n, Field f, size_t base) {
  tree_.set_list(
      n, f, ast::Span<NodeId>{stack_.data() + base, static_cast<uint32_t>(stack_.size() - base)});
  stack_.resize(base);
}

// file: [statements] ENDMARKER
NodeId Parser::file() {
  NodeId m = make(NodeKind::Module, Pos{});
  size_t base = mark_stack();
  statements(TokenKind::EndMarker);
  set_list_from(m, Field::Module_body, base);
  tree_.set_root(m);
  return m;
}

// fstring: star_expressions, the expression of an f-string replacement field.
NodeId Parser::fstring_expression() {
  // The tokens come wrapped in parentheses (see Lexer), as in CPython.
  NodeId e = star_expressions();
  if (!at(TokenKind::EndMarker)) fail_generic();
  return e;
}

// NUMBER: int, float or imaginary literal.
NodeId Parser::number(const Token& t) {
  std::string_view s = text(t);
  NodeId n = make(NodeKind::Constant, span(t, t));
  ast::Constant c;
  char lastc = s.back();
  bool hex = s.size() > 1 && s[0] == '0' && (s[1] | 0x20) == 'x';
  if (lastc == 'j' || lastc == 'J') {
    c.kind = ast::ConstKind::Complex;
    c.number = float_literal(s);
  } else if (!hex && (s.find_first_of(".eE") != std::string_view::npos)) {
    c.kind = ast::ConstKind::Float;
    c.number = float_literal(s);
  } else {
    c.kind = ast::ConstKind::Int;
    bool plain = true;
    for (char ch : s)
      if (ch < '0' || ch > '9') plain = false;
    if (plain && (s.size() == 1 || s[0] != '0'))
      c.text = s;  // already normalized: view the source
    else
      c.text = tree_.keep(int_literal_to_decimal(s));
  }
  tree_.set_constant(n, Field::Constant_value, c);
  return n;
}

// Chooses the error CPython would report (Parser/pegen_errors.c). A parser
// error at an INDENT/DEDENT is an indentation error; one at the end of input
// inside brackets is "'(' was never closed". Any other parser error gives way
// to a tokenizer error later in the file, or to an unclosed bracket opened on
// an earlier line, since CPython tokenizes the rest of the file to look.
diag::SyntaxError choose_error(Parser& p, const lex::Lexer& lexer) {
  if (!p.has_error()) return *lexer.error();
  diag::SyntaxError e = p.error();
  const Token& t = p.furthest();
  if (p.generic_error()) {
    if (t.kind == TokenKind::Error && lexer.error()) return *lexer.error();
    if (t.kind == TokenKind::Indent || t.kind == TokenKind::Dedent) {
      e.type = "IndentationError";
      e.message = t.kind == TokenKind::Indent ? "unexpected indent" : "unexpected unindent";
      return e;
    }
  }
  if (lexer.error() && lexer.error_overrides()) return *lexer.error();
  if (const Token* b = lexer.unclosed_bracket()) {
    if (t.lineno > b->lineno || (p.generic_error() && t.kind == TokenKind::EndMarker)) {
      e = diag::SyntaxError{};
      e.message = std::string("'") + p.source_char(b->begin) + "' was never closed";
      e.lineno = b->lineno;
      e.col_offset = b->col_offset;
      e.end_lineno = b->lineno;
      e.end_col_offset = b->col_offset + 1;
    }
  }
  return e;
}

ParseResult parse_module(std::string_view source_bytes) {
  ParseResult r;
  std::string source, decode_error;
  int decode_line = 1;
  if (!decode_source(source_bytes, source, decode_error, decode_line)) {
    r.tree = ast::Tree(std::string(source_bytes));
    diag::SyntaxError e;
    e.message = decode_error;
    e.lineno = decode_line;
    r.error = e;
    return r;
  }
  if (source.find('\0') != std::string::npos) {
    r.tree = ast::Tree(std::move(source));
    diag::SyntaxError e;
    e.message = "source code cannot contain null bytes";
    r.error = e;
    return r;
  }
  r.tree = ast::Tree(std::move(source));
  std::vector<Token> tokens;
  tokens.reserve(r.tree.source().size() / 4 + 16);
  lex::Lexer lexer(r.tree.source());
  lexer.tokenize(tokens);
  Parser parser(r.tree, tokens, lexer, 0);
  try {
    parser.file();
  } catch (ParseFail&) {
    r.error = choose_error(parser, lexer);
  }
  return r;
}

}  // namespace xag::parse
