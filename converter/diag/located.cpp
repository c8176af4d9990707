// Located diagnostic text (see located.h).
#include "converter/diag/located.h"

namespace xag::diag {

std::string source_line(std::string_view source, int line) {
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    start = source.find('\n', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  if (start > source.size()) return {};
  const size_t end = source.find('\n', start);
  return std::string(
      source.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

std::string located_message(std::string_view message, std::string_view filename, int line,
                            std::string_view text, int col) {
  std::string out =
      std::string(message) + " (" + std::string(filename) + ":" + std::to_string(line) + ")";
  if (text.empty()) return out;
  size_t indent = text.find_first_not_of(" \t");
  if (indent == std::string_view::npos) indent = 0;
  out += "\n    " + std::string(text.substr(indent)) + "\n    ";
  if (col >= 0 && static_cast<size_t>(col) >= indent) out += std::string(col - indent, ' ');
  return out + "^";
}

}  // namespace xag::diag
