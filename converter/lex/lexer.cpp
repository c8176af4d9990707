// The tokenizer proper. Follows CPython 3.11's Parser/tokenizer.c rules:
// indentation with tabs to multiples of 8 checked against a tab-size-1
// reading (TabError), implicit joining inside brackets, backslash joining,
// strings as single tokens (f-strings included), numbers with underscores.
#include "converter/lex/lexer.h"

#include <cstring>
#include <string>

#include "converter/unicode/unicode.h"

namespace xag::lex {
namespace {

constexpr int kMaxIndent = 100;  // CPython's MAXINDENT
constexpr int kMaxLevel = 200;   // CPython's MAXLEVEL (nested brackets)
// CPython reports TabError without a column (-1: no caret).
constexpr const char* kTabError = "inconsistent use of tabs and spaces in indentation";

const char* const kSpellings[] = {
#define XAG_TOKEN(Name, Spelling) Spelling,
#include "converter/lex/token_kinds.def"
};

inline bool is_ident_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
inline bool is_ident_char(unsigned char c) {
  return is_ident_start(c) || (c >= '0' && c <= '9');
}
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

struct Keyword {
  const char* text;
  TokenKind kind;
};
constexpr Keyword kKeywords[] = {
#define XAG_TOKEN(Name, Spelling)
#define XAG_KEYWORD(Name, Spelling) {Spelling, TokenKind::Name},
#include "converter/lex/token_kinds.def"
};

TokenKind keyword_or_name(std::string_view s) {
  if (s.size() < 2 || s.size() > 8) return TokenKind::Name;
  for (const Keyword& k : kKeywords)
    if (k.text[0] == s[0] && std::strlen(k.text) == s.size() && s == k.text) return k.kind;
  return TokenKind::Name;
}

// Valid string prefixes (case-insensitive): r u b f br rb fr rf.
bool is_string_prefix(std::string_view s) {
  if (s.size() > 2) return false;
  bool r = false, b = false, u = false, f = false;
  for (char c : s) {
    switch (c | 0x20) {
      case 'r':
        if (r) return false;
        r = true;
        break;
      case 'b':
        if (b) return false;
        b = true;
        break;
      case 'u':
        if (u) return false;
        u = true;
        break;
      case 'f':
        if (f) return false;
        f = true;
        break;
      default:
        return false;
    }
  }
  if (u && s.size() > 1) return false;
  if (b && f) return false;
  return true;
}

}  // namespace

const char* token_spelling(TokenKind k) {
  return kSpellings[static_cast<int>(k)];
}
bool is_keyword(TokenKind k) {
  return k >= TokenKind::KwFalse;
}

Lexer::Lexer(std::string_view source) : src_(source), end_(static_cast<uint32_t>(source.size())) {}

Lexer::Lexer(std::string_view source, const SubRange& r)
    : src_(source),
      pos_(r.begin),
      end_(r.end),
      lineno_(r.lineno),
      line_start_(r.line_start),
      first_line_(r.lineno),
      first_col_(r.first_col),
      first_ref_(r.begin),
      sub_(true),
      at_bol_(false) {
  brackets_.push_back(Bracket{'(', r.begin, r.lineno, r.first_col - 1});
}

int32_t Lexer::column(uint32_t offset, int32_t lineno, uint32_t line_start) const {
  if (sub_ && lineno == first_line_) return first_col_ + static_cast<int32_t>(offset - first_ref_);
  return static_cast<int32_t>(offset - line_start);
}

void Lexer::emit(std::vector<Token>& out, TokenKind k, uint32_t begin, uint32_t end,
                 int32_t lineno) {
  int32_t c0 = column(begin, lineno, line_start_), c1 = column(end, lineno, line_start_);
  out.push_back(Token{k, begin, end, lineno, c0, lineno, c1});
  line_has_tokens_ = true;
}

void Lexer::emit_at(std::vector<Token>& out, TokenKind k, uint32_t begin, uint32_t end,
                    int32_t lineno, int32_t col, int32_t end_lineno, int32_t end_col) {
  out.push_back(Token{k, begin, end, lineno, col, end_lineno, end_col});
  line_has_tokens_ = true;
}

void Lexer::fail(std::vector<Token>& out, const char* type, std::string message, int32_t lineno,
                 int32_t col, int32_t end_lineno, int32_t end_col) {
  if (!error_) {
    diag::SyntaxError e;
    e.type = type;
    e.message = std::move(message);
    e.lineno = lineno;
    e.col_offset = col;
    e.end_lineno = end_lineno;
    e.end_col_offset = end_col;
    error_ = std::move(e);
    std::string_view m = error_->message;
    error_overrides_ = error_->type == "SyntaxError" &&
                       m != "unexpected character after line continuation character" &&
                       m != "unexpected EOF while parsing";
    // CPython's check of the rest of the file stops at such an error and
    // then reports a bracket still open there.
    if (!error_overrides_ && !brackets_.empty() && !sub_) {
      const Bracket& b = brackets_.back();
      unclosed_ = true;
      unclosed_tok_ =
          Token{TokenKind::Error, b.offset, b.offset + 1, b.lineno, b.col, b.lineno, b.col + 1};
    }
  }
  out.push_back(Token{TokenKind::Error, pos_, pos_, lineno, col, lineno, col});
  done_ = true;
}

void Lexer::new_line(uint32_t next_line_start) {
  ++lineno_;
  line_start_ = next_line_start;
}

void Lexer::tokenize(std::vector<Token>& out) {
  if (sub_ && out.empty()) {
    // CPython 3.11 parses an f-string expression as "(" + text + ")"; the
    // parentheses are real tokens there and widen a top-level tuple.
    out.push_back(Token{TokenKind::LPar, pos_, pos_, lineno_, first_col_ - 1, lineno_, first_col_});
  }
  while (!done_) {
    if (at_bol_ && brackets_.empty() && !sub_) {
      if (!at_line_start_indentation(out)) continue;
      if (done_) break;
    }
    scan_token(out);
  }
}

// Measures the indentation of a new logical line and emits INDENT/DEDENT.
// Returns false when the line was blank (it has been skipped).
bool Lexer::at_line_start_indentation(std::vector<Token>& out) {
  int32_t col = 0, alt = 0;
  uint32_t p = pos_;
  for (; p < end_; ++p) {
    char c = src_[p];
    if (c == ' ') {
      ++col, ++alt;
    } else if (c == '\t') {
      col = (col / 8 + 1) * 8;
      ++alt;
    } else if (c == '\f') {
      col = alt = 0;
    } else {
      break;
    }
  }
  pos_ = p;
  if (p >= end_) return true;  // end of input: scan_token emits the end
  char c = src_[p];
  // A line that is only a backslash joins the next one; if that one is blank
  // the pair is one blank line.
  if (c == '\\' && p + 1 < end_ && src_[p + 1] == '\n') {
    uint32_t q = p + 2;
    while (q < end_ && (src_[q] == ' ' || src_[q] == '\t' || src_[q] == '\f')) ++q;
    if (q < end_ && (src_[q] == '\n' || src_[q] == '#')) {
      new_line(p + 2);
      pos_ = q;
      c = src_[q];
    }
  }
  if (c == '#' || c == '\n') {
    // Blank or comment-only line: no NEWLINE and no indentation change.
    while (pos_ < end_ && src_[pos_] != '\n') ++pos_;
    if (pos_ < end_) {
      ++pos_;
      new_line(pos_);
    }
    return false;
  }
  at_bol_ = false;
  int32_t col_off = static_cast<int32_t>(p - line_start_);
  if (col == indents_.back()) {
    if (alt != alt_indents_.back()) {
      fail(out, "TabError", kTabError, lineno_, -1);
    }
  } else if (col > indents_.back()) {
    if (indents_.size() >= kMaxIndent) {
      fail(out, "IndentationError", "too many levels of indentation", lineno_, col_off);
      return true;
    }
    if (alt <= alt_indents_.back()) {
      fail(out, "TabError", kTabError, lineno_, -1);
      return true;
    }
    indents_.push_back(col);
    alt_indents_.push_back(alt);
    emit_at(out, TokenKind::Indent, line_start_, p, lineno_, 0, lineno_, col_off);
  } else {
    while (indents_.size() > 1 && col < indents_.back()) {
      indents_.pop_back();
      alt_indents_.pop_back();
      emit_at(out, TokenKind::Dedent, p, p, lineno_, col_off, lineno_, col_off);
    }
    if (col != indents_.back()) {
      // CPython points past the end of the offending line.
      uint32_t eol = p;
      while (eol < end_ && src_[eol] != '\n') ++eol;
      fail(out, "IndentationError", "unindent does not match any outer indentation level", lineno_,
           static_cast<int32_t>(eol - line_start_));
      return true;
    }
    if (alt != alt_indents_.back()) {
      fail(out, "TabError", kTabError, lineno_, -1);
      return true;
    }
  }
  line_has_tokens_ = false;
  return true;
}

void Lexer::scan_token(std::vector<Token>& out) {
  // Skip spaces, comments and (inside brackets) newlines.
  for (;;) {
    if (pos_ >= end_) break;
    char c = src_[pos_];
    if (c == ' ' || c == '\t' || c == '\f') {
      ++pos_;
    } else if (c == '#') {
      while (pos_ < end_ && src_[pos_] != '\n') ++pos_;
    } else if (c == '\\') {
      if (pos_ + 1 < end_ && src_[pos_ + 1] == '\n') {
        pos_ += 2;
        new_line(pos_);
        if (pos_ >= end_) {
          fail(out, "SyntaxError", "unexpected EOF while parsing", lineno_ - 1, 0);
          return;
        }
      } else if (pos_ + 1 >= end_) {
        fail(out, "SyntaxError", "unexpected EOF while parsing", lineno_,
             column(pos_, lineno_, line_start_));
        return;
      } else {
        int32_t col = column(pos_, lineno_, line_start_);
        fail(out, "SyntaxError", "unexpected character after line continuation character", lineno_,
             col + 1);
        return;
      }
    } else if (c == '\n' && (!brackets_.empty() || sub_)) {
      ++pos_;
      new_line(pos_);
    } else {
      break;
    }
  }

  if (pos_ >= end_) {
    if (sub_) {
      int32_t col = column(pos_, lineno_, line_start_);
      out.push_back(Token{TokenKind::RPar, pos_, pos_, lineno_, col, lineno_, col + 1});
      emit(out, TokenKind::EndMarker, pos_, pos_, lineno_);
      done_ = true;
      return;
    }
    if (!brackets_.empty()) {
      const Bracket& b = brackets_.back();
      unclosed_ = true;
      unclosed_tok_ =
          Token{TokenKind::Error, b.offset, b.offset + 1, b.lineno, b.col, b.lineno, b.col + 1};
      emit(out, TokenKind::EndMarker, pos_, pos_, lineno_);
      done_ = true;
      return;
    }
    // Implicit NEWLINE at the end of a file not ending in one.
    if (!at_bol_ && line_has_tokens_) emit(out, TokenKind::Newline, pos_, pos_, lineno_);
    // CPython places the end-of-file tokens at the end of the last line.
    int32_t eline = lineno_, ecol = static_cast<int32_t>(pos_ - line_start_);
    if (pos_ == line_start_ && lineno_ > 1) {
      eline = lineno_ - 1;
      uint32_t prev = pos_ - 1;  // the final '\n'
      uint32_t begin = prev;
      while (begin > 0 && src_[begin - 1] != '\n') --begin;
      ecol = static_cast<int32_t>(prev - begin);
    }
    while (indents_.size() > 1) {
      indents_.pop_back();
      alt_indents_.pop_back();
      emit_at(out, TokenKind::Dedent, pos_, pos_, eline, ecol, eline, ecol);
    }
    emit_at(out, TokenKind::EndMarker, pos_, pos_, eline, ecol, eline, ecol);
    done_ = true;
    return;
  }

  char c = src_[pos_];
  if (c == '\n') {
    emit(out, TokenKind::Newline, pos_, pos_ + 1, lineno_);
    ++pos_;
    new_line(pos_);
    at_bol_ = true;
    return;
  }
  if (is_ident_start(static_cast<unsigned char>(c))) {
    scan_name_or_string(out);
    return;
  }
  if (is_digit(c) || (c == '.' && pos_ + 1 < end_ && is_digit(src_[pos_ + 1]))) {
    scan_number(out);
    return;
  }
  if (c == '"' || c == '\'') {
    scan_string(out, pos_);
    return;
  }
  if (scan_operator(out)) return;
  if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
    invalid_character(out, static_cast<unsigned char>(c));
    return;
  }
  // A character no token starts with: the parser reports "invalid syntax" here.
  emit(out, TokenKind::BadChar, pos_, pos_ + 1, lineno_);
  ++pos_;
}

// A character that cannot appear here, in CPython's words.
void Lexer::invalid_character(std::vector<Token>& out, uint32_t cp) {
  char buf[64];
  if (unicode::is_printable(cp)) {
    size_t n;
    unicode::decode_utf8(src_, pos_, n);
    std::snprintf(buf, sizeof buf, "invalid character '%s' (U+%04X)",
                  std::string(src_.substr(pos_, n)).c_str(), cp);
  } else {
    std::snprintf(buf, sizeof buf, "invalid non-printable character U+%04X", cp);
  }
  fail(out, "SyntaxError", buf, lineno_, column(pos_, lineno_, line_start_));
}

void Lexer::scan_name_or_string(std::vector<Token>& out) {
  uint32_t start = pos_;
  // Identifiers: ASCII fast path; other characters must be XID_Start (first)
  // or XID_Continue (then), else the identifier ends and the character is an
  // error of its own.
  while (pos_ < end_) {
    unsigned char c = static_cast<unsigned char>(src_[pos_]);
    if (c < 0x80) {
      if (!is_ident_char(c)) break;
      ++pos_;
      continue;
    }
    size_t len = unicode::utf8_sequence_length(src_, pos_);
    if (len == 0) {
      char buf[128];
      std::snprintf(buf, sizeof buf,
                    "(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %u: "
                    "invalid start byte",
                    c, static_cast<unsigned>(pos_ - start));
      fail(out, "SyntaxError", buf, lineno_, column(pos_, lineno_, line_start_));
      return;
    }
    uint32_t cp = unicode::decode_utf8(src_, pos_, len);
    bool ok = pos_ == start ? unicode::is_xid_start(cp) : unicode::is_xid_continue(cp);
    if (!ok) {
      if (pos_ == start) {
        invalid_character(out, cp);
        return;
      }
      break;
    }
    pos_ += static_cast<uint32_t>(len);
  }
  std::string_view text = src_.substr(start, pos_ - start);
  if (pos_ < end_ && (src_[pos_] == '"' || src_[pos_] == '\'') && is_string_prefix(text)) {
    scan_string(out, start);
    return;
  }
  emit(out, keyword_or_name(text), start, pos_, lineno_);
}

// Scans a string literal whose prefix starts at `start` and quote at pos_.
void Lexer::scan_string(std::vector<Token>& out, uint32_t start) {
  char q = src_[pos_];
  int32_t start_line = lineno_;
  uint32_t start_line_start = line_start_;
  int32_t start_col = column(start, lineno_, line_start_);
  bool triple = pos_ + 2 < end_ && src_[pos_ + 1] == q && src_[pos_ + 2] == q;
  pos_ += triple ? 3 : 1;
  for (;;) {
    if (pos_ >= end_) {
      if (triple) {
        // A final newline does not start a line of its own.
        int32_t at_line = (pos_ > 0 && src_[pos_ - 1] == '\n') ? lineno_ - 1 : lineno_;
        fail(out, "SyntaxError",
             "unterminated triple-quoted string literal (detected at line " +
                 std::to_string(at_line) + ")",
             start_line, start_col);
      } else {
        fail(out, "SyntaxError",
             "unterminated string literal (detected at line " + std::to_string(start_line) + ")",
             start_line, start_col);
      }
      return;
    }
    char c = src_[pos_];
    if (c == '\\') {
      pos_ += 1;
      if (pos_ < end_) {
        if (src_[pos_] == '\n') new_line(pos_ + 1);
        pos_ += 1;
      }
      continue;
    }
    if (c == '\n') {
      if (!triple) {
        fail(out, "SyntaxError",
             "unterminated string literal (detected at line " + std::to_string(lineno_) + ")",
             start_line, start_col);
        return;
      }
      ++pos_;
      new_line(pos_);
      continue;
    }
    if (c == q) {
      if (!triple) {
        ++pos_;
        break;
      }
      if (pos_ + 2 < end_ && src_[pos_ + 1] == q && src_[pos_ + 2] == q) {
        pos_ += 3;
        break;
      }
    }
    ++pos_;
  }
  int32_t col0 = lineno_ == start_line ? column(start, start_line, start_line_start) : start_col;
  if (sub_ && lineno_ != first_line_) col0 = static_cast<int32_t>(start - start_line_start);
  emit_at(out, TokenKind::String, start, pos_, start_line, col0, lineno_,
          column(pos_, lineno_, line_start_));
}

void Lexer::scan_number(std::vector<Token>& out) {
  uint32_t start = pos_;
  int32_t col = column(start, lineno_, line_start_);
  auto err = [&](const std::string& msg, uint32_t at) {
    int32_t c = column(at, lineno_, line_start_);
    fail(out, "SyntaxError", msg, lineno_, c);
  };
  // Digits with single underscores between them; returns false on a bad '_'.
  auto digits = [&](bool (*ok)(char)) -> bool {
    while (pos_ < end_) {
      if (ok(src_[pos_])) {
        ++pos_;
      } else if (src_[pos_] == '_') {
        if (pos_ + 1 < end_ && ok(src_[pos_ + 1])) {
          pos_ += 2;
        } else {
          return false;
        }
      } else {
        break;
      }
    }
    return true;
  };
  auto dec = +[](char c) { return is_digit(c); };
  // CPython's verify_end_of_number: a letter right after a number is an error,
  // except the keywords that may follow (`1if x else y`, deprecated).
  auto end_ok = [&](const char* kind) -> bool {
    if (pos_ >= end_ || !is_ident_char(static_cast<unsigned char>(src_[pos_]))) return true;
    static const char* const kAllowed[] = {"and", "else", "for", "if", "in", "is", "not", "or"};
    for (const char* kw : kAllowed) {
      size_t n = std::strlen(kw);
      if (src_.substr(pos_, n) == kw) return true;
    }
    uint32_t at = pos_;
    while (at < end_ && is_ident_char(static_cast<unsigned char>(src_[at]))) ++at;
    pos_ = at;
    err(std::string("invalid ") + kind + " literal", start);
    return false;
  };

  char c = src_[pos_];
  if (c == '0' && pos_ + 1 < end_) {
    char x = src_[pos_ + 1] | 0x20;
    if (x == 'x' || x == 'o' || x == 'b') {
      pos_ += 2;
      if (pos_ < end_ && src_[pos_] == '_') ++pos_;
      const char* kind = x == 'x' ? "hexadecimal" : x == 'o' ? "octal" : "binary";
      bool (*ok)(char) = x == 'x'   ? +[](char ch) { return is_hex(ch); }
                         : x == 'o' ? +[](char ch) { return ch >= '0' && ch <= '7'; }
                                    : +[](char ch) { return ch == '0' || ch == '1'; };
      uint32_t dstart = pos_;
      bool good = digits(ok);
      if (!good || pos_ == dstart) {
        if (pos_ < end_ && is_digit(src_[pos_]) && x != 'x') {
          err(std::string("invalid digit '") + src_[pos_] + "' in " + kind + " literal", pos_);
          return;
        }
        err(std::string("invalid ") + kind + " literal", start);
        return;
      }
      if (pos_ < end_ && is_digit(src_[pos_]) && x != 'x') {
        err(std::string("invalid digit '") + src_[pos_] + "' in " + kind + " literal", pos_);
        return;
      }
      if (!end_ok(kind)) return;
      emit(out, TokenKind::Number, start, pos_, lineno_);
      return;
    }
  }
  bool is_float = false;
  if (c != '.') {
    if (!digits(dec)) {
      err("invalid decimal literal", start);
      return;
    }
  }
  if (pos_ < end_ && src_[pos_] == '.') {
    is_float = true;
    ++pos_;
    if (pos_ < end_ && is_digit(src_[pos_]) && !digits(dec)) {
      err("invalid decimal literal", start);
      return;
    }
  }
  if (pos_ < end_ && (src_[pos_] | 0x20) == 'e') {
    uint32_t save = pos_;
    ++pos_;
    if (pos_ < end_ && (src_[pos_] == '+' || src_[pos_] == '-')) ++pos_;
    if (pos_ < end_ && is_digit(src_[pos_])) {
      is_float = true;
      if (!digits(dec)) {
        err("invalid decimal literal", start);
        return;
      }
    } else if (src_[save + 1] == '+' || src_[save + 1] == '-') {
      err("invalid decimal literal", start);
      return;
    } else {
      pos_ = save;  // `1else`: the 'e' belongs to a keyword, or is an error below
    }
  }
  if (pos_ < end_ && (src_[pos_] | 0x20) == 'j') {
    ++pos_;
    if (!end_ok("imaginary")) return;
    emit(out, TokenKind::Number, start, pos_, lineno_);
    return;
  }
  if (!is_float && c == '0') {
    // "0_0" and "000" are fine; any other digit after a leading zero is not.
    for (uint32_t p = start; p < pos_; ++p) {
      if (src_[p] != '0' && src_[p] != '_') {
        err("leading zeros in decimal integer literals are not permitted; use an 0o prefix "
            "for octal integers",
            start);
        out.back().begin = start;
        error_->col_offset = col;
        error_->end_col_offset = column(pos_, lineno_, line_start_);
        error_->end_lineno = lineno_;
        return;
      }
    }
  }
  if (!end_ok("decimal")) return;
  emit(out, TokenKind::Number, start, pos_, lineno_);
}

bool Lexer::scan_operator(std::vector<Token>& out) {
  uint32_t p = pos_;
  char c = src_[p];
  char c1 = p + 1 < end_ ? src_[p + 1] : '\0';
  char c2 = p + 2 < end_ ? src_[p + 2] : '\0';
  TokenKind k;
  int len = 1;
  switch (c) {
    case '(':
    case '[':
    case '{': {
      if (brackets_.size() >= kMaxLevel) {
        fail(out, "SyntaxError", "too many nested parentheses", lineno_,
             column(p, lineno_, line_start_));
        return true;
      }
      int32_t col = column(p, lineno_, line_start_);
      brackets_.push_back(Bracket{c, p, lineno_, col});
      k = c == '(' ? TokenKind::LPar : c == '[' ? TokenKind::LSqb : TokenKind::LBrace;
      break;
    }
    case ')':
    case ']':
    case '}': {
      int32_t col = column(p, lineno_, line_start_);
      if (brackets_.empty() || (sub_ && brackets_.size() == 1)) {
        fail(out, "SyntaxError", std::string("unmatched '") + c + "'", lineno_, col);
        return true;
      }
      const Bracket& b = brackets_.back();
      char want = b.ch == '(' ? ')' : b.ch == '[' ? ']' : '}';
      if (c != want) {
        std::string msg = std::string("closing parenthesis '") + c +
                          "' does not match opening parenthesis '" + b.ch + "'";
        if (b.lineno != lineno_) msg += " on line " + std::to_string(b.lineno);
        fail(out, "SyntaxError", msg, lineno_, col);
        return true;
      }
      brackets_.pop_back();
      k = c == ')' ? TokenKind::RPar : c == ']' ? TokenKind::RSqb : TokenKind::RBrace;
      break;
    }
    case ':':
      k = c1 == '=' ? (len = 2, TokenKind::ColonEqual) : TokenKind::Colon;
      break;
    case ',':
      k = TokenKind::Comma;
      break;
    case ';':
      k = TokenKind::Semi;
      break;
    case '+':
      k = c1 == '=' ? (len = 2, TokenKind::PlusEqual) : TokenKind::Plus;
      break;
    case '-':
      k = c1 == '='   ? (len = 2, TokenKind::MinEqual)
          : c1 == '>' ? (len = 2, TokenKind::RArrow)
                      : TokenKind::Minus;
      break;
    case '*':
      if (c1 == '*')
        k = c2 == '=' ? (len = 3, TokenKind::DoubleStarEqual) : (len = 2, TokenKind::DoubleStar);
      else
        k = c1 == '=' ? (len = 2, TokenKind::StarEqual) : TokenKind::Star;
      break;
    case '/':
      if (c1 == '/')
        k = c2 == '=' ? (len = 3, TokenKind::DoubleSlashEqual) : (len = 2, TokenKind::DoubleSlash);
      else
        k = c1 == '=' ? (len = 2, TokenKind::SlashEqual) : TokenKind::Slash;
      break;
    case '|':
      k = c1 == '=' ? (len = 2, TokenKind::VBarEqual) : TokenKind::VBar;
      break;
    case '&':
      k = c1 == '=' ? (len = 2, TokenKind::AmperEqual) : TokenKind::Amper;
      break;
    case '^':
      k = c1 == '=' ? (len = 2, TokenKind::CircumflexEqual) : TokenKind::Circumflex;
      break;
    case '%':
      k = c1 == '=' ? (len = 2, TokenKind::PercentEqual) : TokenKind::Percent;
      break;
    case '@':
      k = c1 == '=' ? (len = 2, TokenKind::AtEqual) : TokenKind::At;
      break;
    case '~':
      k = TokenKind::Tilde;
      break;
    case '=':
      k = c1 == '=' ? (len = 2, TokenKind::EqEqual) : TokenKind::Equal;
      break;
    case '!':
      if (c1 != '=') return false;
      k = TokenKind::NotEqual, len = 2;
      break;
    case '<':
      if (c1 == '<')
        k = c2 == '=' ? (len = 3, TokenKind::LeftShiftEqual) : (len = 2, TokenKind::LeftShift);
      else if (c1 == '=')
        k = TokenKind::LessEqual, len = 2;
      else if (c1 == '>')
        k = TokenKind::NotEqual, len = 2;  // `<>`: the parser rejects it
      else
        k = TokenKind::Less;
      break;
    case '>':
      if (c1 == '>')
        k = c2 == '=' ? (len = 3, TokenKind::RightShiftEqual) : (len = 2, TokenKind::RightShift);
      else
        k = c1 == '=' ? (len = 2, TokenKind::GreaterEqual) : TokenKind::Greater;
      break;
    case '.':
      k = c1 == '.' && c2 == '.' ? (len = 3, TokenKind::Ellipsis) : TokenKind::Dot;
      break;
    default:
      return false;
  }
  emit(out, k, p, p + len, lineno_);
  pos_ = p + len;
  return true;
}

}  // namespace xag::lex
