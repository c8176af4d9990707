// Public entry points of the Python 3.11 parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "converter/ast/ast.h"
#include "converter/diag/syntax_error.h"

namespace xag::parse {

struct ParseResult {
  ast::Tree tree;  // holds the decoded (UTF-8) source; root() is the Module
  std::optional<diag::SyntaxError> error;
  bool ok() const { return !error.has_value(); }
};

// Parses a whole file like CPython's `ast.parse(source_bytes)`: the bytes are
// decoded per PEP 263 (BOM, `# -*- coding: ... -*-`; utf-8 and latin-1), then
// tokenized and parsed. On a syntax error, error is set and tree is partial.
ParseResult parse_module(std::string_view source_bytes);

}  // namespace xag::parse
