// Reaching definitions and "defined on every path".
#include "converter/analysis/reaching_definitions.h"

#include "analysis_test_util.h"

using namespace xag;
using namespace xag::testing;

namespace {
struct Reach {
  Snippet s;
  analysis::Cfg cfg;
  analysis::ReachingDefinitions defs;
  explicit Reach(const std::string& src)
      : s(src),
        cfg(analysis::build_cfg(s.tree(), s.fn())),
        defs(analysis::analyze_reaching_definitions(s.tree(), s.fn(), cfg)) {}
  // Lines of the definitions of name that reach the statement on line.
  std::string reaching(int line, const std::string& name) {
    std::string r;
    for (NodeId d : defs.reaching(s.at_line(line), name)) {
      if (!r.empty()) r += " ";
      r += std::to_string(s.tree().pos(d).lineno);
    }
    return r;
  }
  std::string defined(int line) { return str(defs.defined_in(s.at_line(line))); }
  std::string maybe(int line) { return str(defs.maybe_defined_in(s.at_line(line))); }
};
}  // namespace

TEST_CASE("definitions reaching through if/else", "[analysis][reaching]") {
  Reach r(
      "def f(c, x):\n"
      "    y = 1\n"
      "    if c:\n"
      "        y = 2\n"
      "        z = 3\n"
      "    else:\n"
      "        x = 4\n"
      "    return x + y + z\n");
  CHECK(r.reaching(8, "y") == "2 4");
  CHECK(r.reaching(8, "x") == "1 7");  // line 1: the parameter
  CHECK(r.reaching(8, "z") == "5");
  CHECK(r.defined(8) == "c x y");
  CHECK(r.maybe(8) == "c x y z");
  CHECK(r.defined(3) == "c x y");
}

TEST_CASE("loops: definitions from the previous iteration reach the header",
          "[analysis][reaching]") {
  Reach r(
      "def f(n):\n"
      "    i = 0\n"
      "    while i < n:\n"
      "        last = i\n"
      "        i += 1\n"
      "    return last\n");
  CHECK(r.reaching(3, "i") == "2 5");
  CHECK(r.reaching(6, "last") == "4");
  // The loop may not run: last is not defined on every path.
  CHECK(r.defined(6) == "i n");
  CHECK(r.defined(4) == "i n");
}

TEST_CASE("for targets, del and try handlers", "[analysis][reaching]") {
  Reach r(
      "def f(xs):\n"
      "    for x in xs:\n"
      "        y = x\n"
      "    del xs\n"
      "    try:\n"
      "        z = 1\n"
      "    except E as e:\n"
      "        z = 2\n"
      "    return z\n");
  CHECK(r.defined(3) == "x xs");
  CHECK(r.defined(4) == "xs");
  CHECK(r.defined(5) == "");
  CHECK(r.reaching(9, "z") == "6 8");
  CHECK(r.defined(9) == "z");
  CHECK(r.maybe(9) == "e x y z");
}
