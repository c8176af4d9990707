// Helpers for the analysis tests: parse a snippet, find its function and the
// statement on a given line.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "converter/analysis/ast_util.h"
#include "converter/analysis/name_set.h"
#include "converter/parse/parser.h"

namespace xag::testing {

using analysis::NameSet;
using ast::Field;
using ast::NodeId;
using ast::NodeKind;

// Tests spell sets as "a b c" (sorted or not).
inline NameSet names(const std::string& spaced) {
  NameSet r;
  size_t i = 0;
  while (i < spaced.size()) {
    size_t j = spaced.find(' ', i);
    if (j == std::string::npos) j = spaced.size();
    if (j > i) r.insert(spaced.substr(i, j - i));
    i = j + 1;
  }
  return r;
}

inline std::string str(const NameSet& s) {
  return analysis::join(s, " ");
}

struct Snippet {
  parse::ParseResult parsed;
  explicit Snippet(const std::string& src) : parsed(parse::parse_module(src)) {
    INFO(src);
    REQUIRE(parsed.ok());
  }
  const ast::Tree& tree() const { return parsed.tree; }
  // The first top-level def.
  NodeId fn() const {
    for (NodeId s : tree().list(tree().root(), Field::Module_body))
      if (tree().kind(s) == NodeKind::FunctionDef) return s;
    FAIL("no function in snippet");
    return {};
  }
  // The first statement (in source order, depth first) that starts on line.
  NodeId at_line(int line) const {
    NodeId found;
    find(tree().root(), line, found);
    INFO("line " << line);
    REQUIRE(found.valid());
    return found;
  }

 private:
  void find(NodeId n, int line, NodeId& found) const {
    if (found) return;
    auto cat = ast::kind_category(tree().kind(n));
    if ((cat == ast::Category::Stmt || cat == ast::Category::ExceptHandler) &&
        tree().pos(n).lineno == line) {
      found = n;
      return;
    }
    ast::for_each_child(tree(), n, [&](NodeId c) { find(c, line, found); });
  }
};

}  // namespace xag::testing
