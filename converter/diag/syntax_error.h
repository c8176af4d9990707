// Syntax errors as CPython reports them (SyntaxError, IndentationError, TabError).
#pragma once

#include <string>
#include <string_view>

namespace xag::diag {

struct SyntaxError {
  std::string type = "SyntaxError";  // or "IndentationError", "TabError"
  std::string message;               // "invalid syntax", "'(' was never closed", ...
  int lineno = 1;                    // 1-based
  int col_offset = 0;                // 0-based UTF-8 byte column of the caret
  int end_lineno = 0;                // 0 when unknown
  int end_col_offset = 0;
};

// CPython's traceback tail for a syntax error:
//   File "FILE", line L
//     source line
//     ^^^
// SyntaxError: message
std::string format_syntax_error(const SyntaxError& e, std::string_view filename,
                                std::string_view source);

}  // namespace xag::diag
