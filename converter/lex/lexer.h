// The Python 3.11 tokenizer: source text in, a flat vector of tokens out.
//
// The whole input is tokenized up front (one growing vector, no per-token
// allocation; token text is a byte range of the source). A tokenizer error
// stops the scan: the vector then ends with an Error token and error() holds
// the message. The parser reports it only when it reaches that token, or when
// it would otherwise report a generic "invalid syntax", as CPython does.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "converter/diag/syntax_error.h"
#include "converter/lex/token.h"

namespace xag::lex {

// Where a sub-tokenizer's text sits in the file (f-string expressions).
struct SubRange {
  uint32_t begin = 0, end = 0;  // byte range of the source to tokenize
  int32_t lineno = 1;           // line of `begin`
  uint32_t line_start = 0;      // offset of that line's first byte
  // Column of the first line's tokens: first_col + (offset - begin), the way
  // CPython 3.11 shifts f-string expression positions (it may differ from the
  // true column for f-strings spanning lines).
  int32_t first_col = 0;
};

class Lexer {
 public:
  // Tokenizes a whole module: NEWLINE/INDENT/DEDENT, ENDMARKER at the end.
  explicit Lexer(std::string_view source);
  // Tokenizes an f-string expression as if it were wrapped in parentheses:
  // no NEWLINE/INDENT tokens; ENDMARKER at the end of the range.
  Lexer(std::string_view source, const SubRange& range);

  void tokenize(std::vector<Token>& out);

  const std::optional<diag::SyntaxError>& error() const { return error_; }
  // Whether error() also replaces a parser error found earlier in the file.
  // CPython's tokenizer raises most errors at once (strings, numbers,
  // brackets), but reports indentation and line-continuation errors only to
  // a parser that reaches them.
  bool error_overrides() const { return error_overrides_; }
  // When the input ended inside brackets: the innermost unclosed one.
  const Token* unclosed_bracket() const { return unclosed_ ? &unclosed_tok_ : nullptr; }

 private:
  struct Bracket {
    char ch;
    uint32_t offset;
    int32_t lineno, col;
  };

  bool at_line_start_indentation(std::vector<Token>& out);
  void scan_token(std::vector<Token>& out);
  void scan_name_or_string(std::vector<Token>& out);
  void invalid_character(std::vector<Token>& out, uint32_t cp);
  void scan_string(std::vector<Token>& out, uint32_t start);
  void scan_number(std::vector<Token>& out);
  bool scan_operator(std::vector<Token>& out);
  void emit(std::vector<Token>& out, TokenKind k, uint32_t begin, uint32_t end, int32_t lineno);
  void emit_at(std::vector<Token>& out, TokenKind k, uint32_t begin, uint32_t end, int32_t lineno,
               int32_t col, int32_t end_lineno, int32_t end_col);
  int32_t column(uint32_t offset, int32_t lineno, uint32_t line_start) const;
  void fail(std::vector<Token>& out, const char* type, std::string message, int32_t lineno,
            int32_t col, int32_t end_lineno = 0, int32_t end_col = 0);
  void new_line(uint32_t next_line_start);

  std::string_view src_;
  uint32_t pos_ = 0;
  uint32_t end_ = 0;
  int32_t lineno_ = 1;
  uint32_t line_start_ = 0;
  int32_t first_line_ = 1;
  int32_t first_col_ = 0;
  uint32_t first_ref_ = 0;
  bool sub_ = false;
  bool done_ = false;
  bool at_bol_ = true;            // at the beginning of a logical line
  bool line_has_tokens_ = false;  // the current logical line produced a token
  std::vector<Bracket> brackets_;
  std::vector<int32_t> indents_{0};
  std::vector<int32_t> alt_indents_{0};
  std::optional<diag::SyntaxError> error_;
  bool error_overrides_ = true;
  bool unclosed_ = false;
  Token unclosed_tok_{};
};

}  // namespace xag::lex
