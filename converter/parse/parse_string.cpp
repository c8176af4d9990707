// String literals: implicit concatenation, escapes, and f-strings with
// Python 3.11 semantics (JoinedStr of Constant and FormattedValue parts, every
// part positioned at the whole concatenation; expressions re-tokenized from
// the source with CPython 3.11's column adjustment).
#include <string>

#include "converter/parse/literals.h"
#include "converter/parse/parser_impl.h"
#include "converter/unicode/unicode.h"

namespace xag::parse {
namespace {

struct StrToken {
  bool raw = false, bytes = false, fmt = false, u = false;
  uint32_t body_begin = 0, body_end = 0;  // absolute offsets of the text between the quotes
};

StrToken split_string_token(std::string_view src, const Token& t) {
  StrToken s;
  uint32_t i = t.begin;
  for (; src[i] != '\'' && src[i] != '"'; ++i) {
    switch (src[i] | 0x20) {
      case 'r':
        s.raw = true;
        break;
      case 'b':
        s.bytes = true;
        break;
      case 'f':
        s.fmt = true;
        break;
      case 'u':
        s.u = true;
        break;
      default:
        break;
    }
  }
  char q = src[i];
  uint32_t qlen = (t.end - i >= 6 && src[i + 1] == q && src[i + 2] == q) ? 3 : 1;
  s.body_begin = i + qlen;
  s.body_end = t.end - qlen;
  return s;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

// Builds the values of one JoinedStr: literal text is merged until an
// expression part forces it out as a Constant.
class StringParser {
 public:
  StringParser(Parser& p, const Pos& pos, bool u_kind) : p_(p), pos_(pos), u_kind_(u_kind) {}

  void add_literal(std::string_view s) { lit_ += s; }

  void flush(std::vector<NodeId>& values) { flush(values, pos_); }
  // CPython 3.11 positions the last literal of a format spec at its own token.
  void flush(std::vector<NodeId>& values, const Pos& pos) {
    if (lit_.empty()) return;
    NodeId c = p_.make(NodeKind::Constant, pos);
    ast::Constant k;
    k.kind = ast::ConstKind::Str;
    k.text = p_.tree_.keep(lit_);
    p_.tree_.set_constant(c, Field::Constant_value, k);
    if (u_kind_) p_.tree_.set_str(c, Field::Constant_kind, p_.tree_.intern("u"));
    values.push_back(c);
    lit_.clear();
  }

  // Parses the f-string body [i, end) of token t; at level 1 (a format spec)
  // stops before the closing '}'. Returns where it stopped.
  uint32_t parse(const Token& t, uint32_t i, uint32_t end, bool raw, int level,
                 std::vector<NodeId>& values);

 private:
  uint32_t literal(const Token& t, uint32_t i, uint32_t end, bool raw, int level, bool& doubled);
  uint32_t replacement_field(const Token& t, uint32_t i, uint32_t end, bool raw, int level,
                             std::vector<NodeId>& values);
  NodeId compile(const Token& t, uint32_t brace, uint32_t expr_end);
  // CPython reports these at the last token read (the one after the strings).
  [[noreturn]] void fail(const std::string& msg) { p_.fail_at(p_.furthest(), msg); }

  Parser& p_;
  Pos pos_;
  bool u_kind_;
  std::string lit_;
};

// Literal text up to the next '{' or '}' (CPython's fstring_find_literal).
uint32_t StringParser::literal(const Token& t, uint32_t i, uint32_t end, bool raw, int level,
                               bool& doubled) {
  doubled = false;
  std::string_view src = p_.tree_.source();
  uint32_t start = i;
  uint32_t stop = end, resume = end;
  while (i < end) {
    char ch = src[i++];
    if (!raw && ch == '\\' && i < end) {
      ch = src[i++];
      if (ch == 'N') {
        if (i < end && src[i++] == '{') {
          while (i < end && src[i++] != '}') {
          }
        }
        continue;
      }
    }
    if (ch == '{' || ch == '}') {
      if (level == 0) {
        if (i < end && src[i] == ch) {  // doubled brace: keep one, skip the other
          stop = i;
          resume = i + 1;
          doubled = true;
          break;
        }
        if (ch == '}') {
          fail("f-string: single '}' is not allowed");
        }
      }
      stop = resume = i - 1;
      break;
    }
  }
  if (stop > start) {
    std::string_view seg = src.substr(start, stop - start);
    if (raw) {
      lit_ += seg;
    } else {
      std::string err;
      if (!decode_str_escapes(seg, lit_, err)) fail(err);
    }
  }
  return resume;
}

uint32_t StringParser::parse(const Token& t, uint32_t i, uint32_t end, bool raw, int level,
                             std::vector<NodeId>& values) {
  std::string_view src = p_.tree_.source();
  while (i < end) {
    bool doubled;
    i = literal(t, i, end, raw, level, doubled);
    if (doubled) continue;  // "{{" or "}}": the literal goes on after it
    if (i >= end) break;
    if (src[i] == '}') return i;  // the end of a format spec (level 1 only)
    i = replacement_field(t, i, end, raw, level, values);
  }
  return i;
}

// '{' expression ['='] ['!' conversion] [':' format_spec] '}'
// (CPython's fstring_find_expr)
uint32_t StringParser::replacement_field(const Token& t, uint32_t brace, uint32_t end, bool raw,
                                         int level, std::vector<NodeId>& values) {
  std::string_view src = p_.tree_.source();
  if (level >= 2) fail("f-string: expressions nested too deeply");
  uint32_t i = brace + 1;
  char quote = 0;
  int string_type = 0;
  char parens[200];
  int depth = 0;
  for (; i < end; ++i) {
    char ch = src[i];
    if (ch == '\\') fail("f-string expression part cannot include a backslash");
    if (quote) {
      if (ch == quote) {
        if (string_type == 3) {
          if (i + 2 < end && src[i + 1] == ch && src[i + 2] == ch) {
            i += 2;
            string_type = 0;
            quote = 0;
          }
        } else {
          string_type = 0;
          quote = 0;
        }
      }
      continue;
    }
    if (ch == '\'' || ch == '"') {
      if (i + 2 < end && src[i + 1] == ch && src[i + 2] == ch) {
        string_type = 3;
        i += 2;
      } else {
        string_type = 1;
      }
      quote = ch;
    } else if (ch == '[' || ch == '{' || ch == '(') {
      if (depth >= 200) fail("f-string: too many nested parenthesis");
      parens[depth++] = ch;
    } else if (ch == '#') {
      fail("f-string expression part cannot include '#'");
    } else if (depth == 0 &&
               (ch == '!' || ch == ':' || ch == '}' || ch == '=' || ch == '>' || ch == '<')) {
      if (i + 1 < end && src[i + 1] == '=' && ch != ':' && ch != '}') {
        ++i;  // != == <= >= are operators, not the end of the expression
        continue;
      }
      if (ch == '>' || ch == '<') continue;
      break;
    } else if (ch == ']' || ch == '}' || ch == ')') {
      if (depth == 0) fail(std::string("f-string: unmatched '") + ch + "'");
      char open = parens[--depth];
      if (!((open == '(' && ch == ')') || (open == '[' && ch == ']') || (open == '{' && ch == '}')))
        fail(std::string("f-string: closing parenthesis '") + ch +
             "' does not match opening parenthesis '" + open + "'");
    }
  }
  if (quote) fail("f-string: unterminated string");
  if (depth) fail(std::string("f-string: unmatched '") + parens[depth - 1] + "'");
  if (i >= end) fail("f-string: expecting '}'");
  uint32_t expr_end = i;
  NodeId value = compile(t, brace, expr_end);

  bool debug = false;
  uint32_t debug_end = 0;
  if (src[i] == '=') {
    ++i;
    while (i < end && is_space(src[i])) ++i;
    if (i >= end) fail("f-string: expecting '}'");
    debug = true;
    debug_end = i;
  }
  int conversion = -1;
  if (src[i] == '!') {
    ++i;
    if (i >= end) fail("f-string: expecting '}'");
    char c = src[i++];
    if (c != 's' && c != 'r' && c != 'a')
      fail("f-string: invalid conversion character: expected 's', 'r', or 'a'");
    conversion = c;
  }
  NodeId spec;
  if (i < end && src[i] == ':') {
    ++i;
    std::vector<NodeId> spec_values;
    StringParser sub(p_, pos_, false);
    i = sub.parse(t, i, end, raw, level + 1, spec_values);
    // CPython 3.11 positions a format spec (and its last literal) at the
    // string token that contains it, not at the whole concatenation.
    Pos spec_pos{t.lineno, t.col_offset, t.end_lineno, t.end_col_offset};
    sub.flush(spec_values, spec_pos);
    spec = p_.make(NodeKind::JoinedStr, spec_pos);
    p_.tree_.set_list(spec, Field::JoinedStr_values, spec_values);
  }
  if (i >= end || src[i] != '}') fail("f-string: expecting '}'");
  ++i;

  if (debug) {
    lit_ += src.substr(brace + 1, debug_end - brace - 1);
    if (conversion == -1 && !spec) conversion = 'r';
  }
  flush(values);
  NodeId fv = p_.make(NodeKind::FormattedValue, pos_);
  p_.tree_.set_node(fv, Field::FormattedValue_value, value);
  p_.tree_.set_int(fv, Field::FormattedValue_conversion, conversion);
  p_.tree_.set_node(fv, Field::FormattedValue_format_spec, spec);
  values.push_back(fv);
  return i;
}

// Parses the expression text between '{' and expr_end with a sub-tokenizer
// over the same source, positioned the way CPython 3.11 positions it.
NodeId StringParser::compile(const Token& t, uint32_t brace, uint32_t expr_end) {
  std::string_view src = p_.tree_.source();
  bool blank = true;
  for (uint32_t k = brace + 1; k < expr_end; ++k)
    if (!is_space(src[k])) blank = false;
  if (blank) fail("f-string: empty expression not allowed");

  int lines = 0;
  uint32_t last_nl = 0;
  bool has_nl = false;
  for (uint32_t k = t.begin; k < brace; ++k) {
    if (src[k] == '\n') {
      ++lines;
      last_nl = k;
      has_nl = true;
    }
  }
  bool newline_after_brace = true;
  for (uint32_t k = brace + 1; k < expr_end && src[k] != '}' && src[k] != '\n'; ++k) {
    if (src[k] != ' ' && src[k] != '\t' && src[k] != '\f') {
      newline_after_brace = false;
      break;
    }
  }
  int cols = 0;
  if (!newline_after_brace)
    cols = has_nl ? static_cast<int>(brace - last_nl - 1) : static_cast<int>(brace - t.begin);
  lex::SubRange r;
  r.begin = brace + 1;
  r.end = expr_end;
  r.lineno = t.lineno + lines;
  r.line_start = has_nl ? last_nl + 1 : t.begin - static_cast<uint32_t>(t.col_offset);
  // CPython 3.11 adds the token's own column only when no newline precedes
  // the '{' inside the token.
  r.first_col = (has_nl ? 0 : t.col_offset) + cols + 1;

  std::vector<Token> toks;
  lex::Lexer lexer(src, r);
  lexer.tokenize(toks);
  Parser sub(p_.tree_, toks, lexer, p_.depth_ + 1);
  try {
    return sub.fstring_expression();
  } catch (ParseFail&) {
    diag::SyntaxError e = choose_error(sub, lexer);
    e.message = "f-string: " + e.message;
    p_.has_error_ = true;
    p_.generic_ = false;
    p_.error_ = e;
    throw;
  }
}

// strings: STRING+ (implicit concatenation of str, bytes and f-string parts)
NodeId Parser::strings() {
  const Token& first = tok();
  size_t first_index = pos_;
  while (at(TokenKind::String)) advance();
  const Token& last_tok = last();
  Pos p = span(first, last_tok);
  std::string_view src = tree_.source();

  bool any_f = false, any_bytes = false, any_str = false;
  for (size_t k = first_index; k < pos_; ++k) {
    StrToken s = split_string_token(src, toks_[k]);
    any_f |= s.fmt;
    (s.bytes ? any_bytes : any_str) = true;
  }
  if (any_bytes && any_str) fail_range(p, "cannot mix bytes and nonbytes literals");
  for (size_t k = first_index; k < pos_; ++k) {
    StrToken s = split_string_token(src, toks_[k]);
    if (s.bytes) continue;
    std::string_view body = src.substr(s.body_begin, s.body_end - s.body_begin);
    size_t bad = unicode::find_invalid_utf8(body);
    if (bad != std::string_view::npos) fail_at(furthest(), utf8_error(body, bad));
  }
  bool u_kind = src[first.begin] == 'u';

  if (!any_f) {
    ast::Constant c;
    c.kind = any_bytes ? ast::ConstKind::Bytes : ast::ConstKind::Str;
    StrToken s0 = split_string_token(src, first);
    std::string_view body0 = src.substr(s0.body_begin, s0.body_end - s0.body_begin);
    bool plain = pos_ == first_index + 1 &&
                 (s0.raw || body0.find('\\') == std::string_view::npos) && (!any_bytes || [&] {
                   for (char ch : body0)
                     if (static_cast<unsigned char>(ch) >= 0x80) return false;
                   return true;
                 }());
    if (plain) {
      c.text = body0;  // no escapes: view the source
    } else {
      std::string buf, err;
      for (size_t k = first_index; k < pos_; ++k) {
        StrToken s = split_string_token(src, toks_[k]);
        std::string_view body = src.substr(s.body_begin, s.body_end - s.body_begin);
        if (s.bytes) {
          for (char ch : body)
            if (static_cast<unsigned char>(ch) >= 0x80)
              fail_at(furthest(), "bytes can only contain ASCII literal characters");
        }
        if (s.raw) {
          buf += body;
        } else if (!(s.bytes ? decode_bytes_escapes(body, buf, err)
                             : decode_str_escapes(body, buf, err))) {
          fail_at(furthest(), err);
        }
      }
      c.text = tree_.keep(buf);
    }
    NodeId n = make(NodeKind::Constant, p);
    tree_.set_constant(n, Field::Constant_value, c);
    if (u_kind) tree_.set_str(n, Field::Constant_kind, tree_.intern("u"));
    return n;
  }

  StringParser sp(*this, p, u_kind);
  std::vector<NodeId> values;
  size_t end_index = pos_;
  for (size_t k = first_index; k < end_index; ++k) {
    const Token& tk = toks_[k];
    StrToken s = split_string_token(src, tk);
    if (s.fmt) {
      sp.parse(tk, s.body_begin, s.body_end, s.raw, 0, values);
    } else {
      std::string_view body = src.substr(s.body_begin, s.body_end - s.body_begin);
      if (s.raw) {
        sp.add_literal(body);
      } else {
        std::string buf, err;
        if (!decode_str_escapes(body, buf, err)) fail_at(furthest(), err);
        sp.add_literal(buf);
      }
    }
  }
  sp.flush(values);
  NodeId j = make(NodeKind::JoinedStr, p);
  tree_.set_list(j, Field::JoinedStr_values, values);
  return j;
}

}  // namespace xag::parse
