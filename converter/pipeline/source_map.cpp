#include "converter/pipeline/source_map.h"

namespace xag::pipeline {

std::vector<SourceMapEntry> build_source_map(const std::vector<ast::Pos>& origins) {
  std::vector<SourceMapEntry> map(origins.size());
  ast::Pos next{};
  for (size_t i = origins.size(); i-- > 0;) {
    if (origins[i].lineno > 0) next = origins[i];
    map[i] = {static_cast<int>(i) + 1, next.lineno, next.col_offset};
  }
  ast::Pos prev{};
  for (size_t i = 0; i < origins.size(); ++i) {
    if (origins[i].lineno > 0) prev = origins[i];
    if (map[i].original_line == 0) map[i] = {static_cast<int>(i) + 1, prev.lineno, prev.col_offset};
  }
  return map;
}

}  // namespace xag::pipeline
