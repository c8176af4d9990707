// libFuzzer target for the parser and the unparser.
//
// Any input: parse_module must return (a tree or a syntax error), never crash,
// hang or overflow the stack. A successful parse must also satisfy:
//   1. the tree is no deeper than CPython 3.11 accepts (it raises
//      RecursionError "during ast construction" beyond ~3000 levels); deeper
//      trees overflow the stack of every recursive consumer (dump, unparse,
//      transforms), so the parser has to reject them;
//   2. the unparsed text parses again, to the same tree (ast.dump equal).
// Only these invariants trap; syntax errors are ordinary results.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "converter/ast/ast.h"
#include "converter/ast/dump.h"
#include "converter/parse/parser.h"
#include "converter/unparse/unparse.h"

namespace {

using namespace xag;

// CPython 3.11 checks AST depth against 3 x the recursion limit (1000); a
// little slack absorbs differences in what counts as one level.
constexpr int kMaxTreeDepth = 3000 + 100;

int tree_depth(const ast::Tree& t, ast::NodeId root) {
  int deepest = 0;
  std::vector<std::pair<ast::NodeId, int>> stack{{root, 1}};
  while (!stack.empty()) {
    ast::NodeId n = stack.back().first;
    int d = stack.back().second;
    stack.pop_back();
    if (d > deepest) deepest = d;
    ast::for_each_child(t, n, [&](ast::NodeId c) { stack.push_back({c, d + 1}); });
  }
  return deepest;
}

[[noreturn]] void fail(const char* what, std::string_view input, const std::string& detail) {
  std::fprintf(stderr, "\n=== fuzz_parser invariant violated: %s\n--- input (%zu bytes):\n%.*s\n",
               what, input.size(), static_cast<int>(std::min<size_t>(input.size(), 300)),
               input.data());
  std::fprintf(stderr, "--- detail:\n%s\n", detail.substr(0, 4000).c_str());
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  parse::ParseResult first = parse::parse_module(input);
  if (!first.ok()) return 0;
  ast::NodeId root = first.tree.root();

  int depth = tree_depth(first.tree, root);
  if (depth > kMaxTreeDepth)
    fail("parser accepted a tree deeper than CPython allows", input,
         "depth " + std::to_string(depth) + " > " + std::to_string(kMaxTreeDepth));

  std::string text = unparse::unparse(first.tree, root);
  parse::ParseResult second = parse::parse_module(text);
  if (!second.ok())
    fail("unparsed text does not parse", input,
         text + "\n--- error: " + second.error->message + " at line " +
             std::to_string(second.error->lineno));
  std::string want = ast::dump(first.tree, root);
  std::string got = ast::dump(second.tree, second.tree.root());
  if (want != got)
    fail("unparsed text parses to a different tree", input, text + "\n" + want + "\n" + got);
  return 0;
}
