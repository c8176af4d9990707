// The converter's entry points: Python source in, converted source, source
// map and diagnostics out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "converter/transforms/context.h"

namespace xag::pipeline {

using transforms::Diagnostic;
using transforms::Options;

// One line of generated code and the user's position it came from.
struct SourceMapEntry {
  int generated_line = 0;  // 1-based line in ConversionResult::code
  int original_line = 0;   // 1-based line in the source given to convert_*
  int original_col = 0;    // 0-based UTF-8 byte column
};

struct ConversionResult {
  std::string code;                 // empty when errors stop conversion
  std::vector<SourceMapEntry> map;  // one entry per line of code, in order
  std::vector<Diagnostic> errors;   // SyntaxError or ConversionError
  bool ok() const { return errors.empty(); }
};

// Converts the top-level function `function_name` of a module or cell (and
// the functions nested in it). The code is that function alone, without its
// decorators (the caller has already applied them), ready to be exec'd in a
// namespace that provides `ag__`.
ConversionResult convert_function_source(std::string_view source, std::string_view function_name,
                                         const Options& options = {});

// Converts every top-level function of a module or cell; everything else is
// kept as written. The code is the whole module.
ConversionResult convert_module(std::string_view source, const Options& options = {});

// The source map as text, one "generated_line original_line:original_col"
// per line; what `ag-convert --convert --source-map` prints.
std::string format_source_map(const std::vector<SourceMapEntry>& map);

}  // namespace xag::pipeline
