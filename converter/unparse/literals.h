// Spelling Python literals: str, bytes, float and complex constants.
//
// The unparser needs more control over string quoting than repr() offers:
// inside a 3.11 f-string expression no backslash may appear and the enclosing
// quote character is off limits, so the body of a literal is produced for a
// chosen quote kind and reports failure instead of escaping what it must not.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xag::unparse {

enum class Quote : uint8_t { Single, Double, TripleSingle, TripleDouble };

inline const char* quote_text(Quote q) {
  switch (q) {
    case Quote::Single:
      return "'";
    case Quote::Double:
      return "\"";
    case Quote::TripleSingle:
      return "'''";
    case Quote::TripleDouble:
      return "\"\"\"";
  }
  return "'";
}
inline char quote_char(Quote q) {
  return (q == Quote::Single || q == Quote::TripleSingle) ? '\'' : '"';
}
inline bool is_triple(Quote q) {
  return q == Quote::TripleSingle || q == Quote::TripleDouble;
}

struct BodyOptions {
  bool allow_backslash = true;  // false inside 3.11 f-string expressions
  bool double_braces = false;   // f-string literal text: `{` is written `{{`
  // Format spec text: 3.11 reads no `{{` there (`{` opens a field, `}` ends the
  // spec), so a brace is written \x7b / \x7d, which needs a backslash.
  bool escape_braces = false;
  bool raw_newlines = false;  // triple-quoted: keep line breaks as they are
  bool raw_tabs = false;      // docstrings keep tabs readable
};

// Appends the body of a str literal (UTF-8, lone surrogates as WTF-8) quoted
// with q. False when the text needs a backslash and options forbid it.
bool append_str_body(std::string& out, std::string_view text, Quote q, const BodyOptions& opt);
// The same for bytes values: printable ASCII stays, the rest is \xNN.
bool append_bytes_body(std::string& out, std::string_view bytes, Quote q, const BodyOptions& opt);

// The quote repr() would pick: ' unless the text has ' but no ".
Quote repr_quote(std::string_view text);

// repr() of a str / bytes value: 'a\n', b'\x00'.
std::string str_repr(std::string_view text);
std::string bytes_repr(std::string_view bytes);
// A docstring: triple double quotes, real line breaks.
std::string docstring_literal(std::string_view text);

// repr() of a float; infinity is spelled 1e309 so that it parses back.
std::string float_repr(double v);
// repr() of a pure imaginary number: 3j, 1.5j, 1e+16j, 1e309j.
std::string imag_repr(double imag);

}  // namespace xag::unparse
