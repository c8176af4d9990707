// CPython's text for syntax errors, as `python3 script.py` prints it
// (Python/pythonrun.c print_error_text): the line without its indentation,
// carets under the offending range, no caret when the column is unknown.
#include "converter/diag/syntax_error.h"

#include <algorithm>

namespace xag::diag {

std::string format_syntax_error(const SyntaxError& e, std::string_view filename,
                                std::string_view source) {
  std::string out = "  File \"";
  out += filename;
  out += "\", line " + std::to_string(e.lineno) + "\n";
  // Find the error line.
  size_t begin = 0;
  int line = 1;
  while (line < e.lineno && begin < source.size()) {
    size_t nl = source.find('\n', begin);
    if (nl == std::string_view::npos) {
      begin = source.size();
      break;
    }
    begin = nl + 1;
    ++line;
  }
  if (line == e.lineno && begin < source.size()) {
    size_t end = source.find('\n', begin);
    std::string_view text = source.substr(begin, end == std::string_view::npos ? end : end - begin);
    size_t spaces = 0;
    while (spaces < text.size() &&
           (text[spaces] == ' ' || text[spaces] == '\t' || text[spaces] == '\f'))
      ++spaces;
    std::string_view ltext = text.substr(spaces);
    out += "    ";
    out += ltext;
    out += '\n';
    long col =
        std::min<long>(e.col_offset - static_cast<long>(spaces), static_cast<long>(ltext.size()));
    long end_col = (e.end_lineno == e.lineno && e.end_col_offset > e.col_offset)
                       ? e.end_col_offset - static_cast<long>(spaces)
                       : col + 1;
    if (col >= 0) {
      out += "    ";
      out.append(static_cast<size_t>(col), ' ');
      for (long i = col; i < end_col; ++i) out += '^';
      out += '\n';
    }
  }
  out += e.type + ": " + e.message + "\n";
  return out;
}

}  // namespace xag::diag
