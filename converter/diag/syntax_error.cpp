// CPython's traceback text for syntax errors (Lib/traceback.py's
// _format_syntax_error): the line without its indentation, carets under
// the offending range.
#include "converter/diag/syntax_error.h"

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
    while (spaces < text.size() && (text[spaces] == ' ' || text[spaces] == '\f')) ++spaces;
    std::string_view ltext = text.substr(spaces);
    out += "    ";
    out += ltext;
    out += '\n';
    long col = e.col_offset - static_cast<long>(spaces);
    long end_col = (e.end_lineno == e.lineno && e.end_col_offset > e.col_offset)
                       ? e.end_col_offset - static_cast<long>(spaces)
                       : col + 1;
    if (col >= 0) {
      out += "    ";
      for (long i = 0; i < col && i < static_cast<long>(ltext.size()); ++i)
        out += (ltext[i] == '\t' ? '\t' : ' ');
      for (long i = col; i < end_col; ++i) out += '^';
      out += '\n';
    }
  }
  out += e.type + ": " + e.message + "\n";
  return out;
}

}  // namespace xag::diag
