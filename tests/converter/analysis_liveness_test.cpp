// Liveness: live-in / live-out of statements, through the CFG.
#include "converter/analysis/liveness.h"

#include "analysis_test_util.h"

using namespace xag;
using namespace xag::testing;

namespace {
struct Live {
  Snippet s;
  analysis::Cfg cfg;
  analysis::Liveness live;
  explicit Live(const std::string& src)
      : s(src),
        cfg(analysis::build_cfg(s.tree(), s.fn())),
        live(analysis::analyze_liveness(s.tree(), s.fn(), cfg)) {}
  std::string in(int line) { return str(live.live_in(s.at_line(line))); }
  std::string out(int line) { return str(live.live_out(s.at_line(line))); }
};
}  // namespace

TEST_CASE("straight-line code", "[analysis][liveness]") {
  Live l(
      "def f(a, b):\n"
      "    c = a + 1\n"
      "    d = c * b\n"
      "    c = 0\n"
      "    return d + c\n");
  CHECK(l.in(2) == "a b");
  CHECK(l.out(2) == "b c");
  CHECK(l.in(3) == "b c");
  CHECK(l.out(3) == "d");
  CHECK(l.in(4) == "d");
  CHECK(l.in(5) == "c d");
  CHECK(l.out(5) == "");
}

TEST_CASE("if: live out of the whole statement, branches", "[analysis][liveness]") {
  Live l(
      "def f(x, y):\n"
      "    if x > 0:\n"
      "        y = x\n"
      "        z = 1\n"
      "    else:\n"
      "        z = y\n"
      "    return y + z\n");
  CHECK(l.in(2) == "x y");
  CHECK(l.out(2) == "y z");
  CHECK(l.in(3) == "x");
  CHECK(l.in(6) == "y");
}

TEST_CASE("loops: values carried around the back edge stay live", "[analysis][liveness]") {
  Live l(
      "def f(n):\n"
      "    s = 0\n"
      "    i = 0\n"
      "    while i < n:\n"
      "        t = i * 2\n"
      "        s += t\n"
      "        i += 1\n"
      "    return s\n");
  CHECK(l.in(4) == "i n s");
  CHECK(l.out(4) == "s");
  CHECK(l.in(5) == "i n s");
  CHECK(l.out(5) == "i n s t");
  CHECK(l.out(7) == "i n s");
}

TEST_CASE("for target, break, attribute reads, del and nested defs", "[analysis][liveness]") {
  Live l(
      "def f(xs, obj):\n"
      "    for x in xs:\n"
      "        if x:\n"
      "            break\n"
      "        obj.last = x\n"
      "    k = obj.n\n"
      "    del obj\n"
      "    def g():\n"
      "        return k\n"
      "    return g\n");
  CHECK(l.in(2) == "obj xs");
  CHECK(l.out(2) == "obj");
  CHECK(l.in(3) == "obj x xs");  // x read; obj and xs needed later
  CHECK(l.in(5) == "obj x xs");
  CHECK(l.in(7) == "k");
  CHECK(l.in(8) == "k");  // g's body reads k when called
}
