// Builds the generated-line -> original-position map from the unparser's
// per-line origins.
#pragma once

#include <vector>

#include "converter/ast/ast.h"
#include "converter/pipeline/convert.h"

namespace xag::pipeline {

// One entry per output line. Lines without an origin of their own (blank
// lines between definitions) take the origin of the next line that has one,
// the definition they introduce; trailing ones take the previous line's.
std::vector<SourceMapEntry> build_source_map(const std::vector<ast::Pos>& origins);

}  // namespace xag::pipeline
