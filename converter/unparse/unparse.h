// The unparser: Python source text from a tree, the inverse of parse_module.
//
// CPython 3.11 parses the output back to the same tree (ast.dump equal,
// positions aside). The text is meant for people too: 4-space indentation,
// blank lines around definitions, parentheses only where precedence needs them,
// docstrings as triple-quoted blocks. Comments and type comments are not kept.
#pragma once

#include <string>
#include <vector>

#include "converter/ast/ast.h"

namespace xag::unparse {

// Source for node n: a module or statement gives lines ending in '\n'; an
// expression, pattern, argument list or other part gives its text alone.
std::string unparse(const ast::Tree& tree, ast::NodeId n);

// Output with, for each line, the position of the node that produced it
// (origins[i] belongs to line i + 1; all zero for blank lines). A statement's
// position covers its header and anything it writes before its body.
struct Unparsed {
  std::string text;
  std::vector<ast::Pos> origins;
};
Unparsed unparse_with_origins(const ast::Tree& tree, ast::NodeId n);

}  // namespace xag::unparse
