// The text of CPython's `ast.dump(tree)` for our trees.
#pragma once

#include <string>

#include "converter/ast/ast.h"

namespace xag::ast {

// Exactly what `ast.dump(node)` prints; with include_attributes, what
// `ast.dump(node, include_attributes=True)` prints.
std::string dump(const Tree& tree, NodeId node, bool include_attributes = false);
void dump_to(std::string& out, const Tree& tree, NodeId node, bool include_attributes);

}  // namespace xag::ast
