// Control-flow graphs: the exact edges, nodes named line:col.
#include "converter/analysis/cfg.h"

#include "analysis_test_util.h"

using namespace xag;
using namespace xag::testing;

namespace {
std::string edges(const std::string& src) {
  Snippet s(src);
  return analysis::build_cfg(s.tree(), s.fn()).describe(s.tree());
}
}  // namespace

TEST_CASE("straight line and if/else", "[analysis][cfg]") {
  CHECK(edges("def f(x):\n"
              "    a = 1\n"
              "    if x:\n"
              "        a = 2\n"
              "    else:\n"
              "        a = 3\n"
              "    return a\n") ==
        "entry -> 2:4\n"
        "2:4 -> 3:4\n"
        "3:4 -> 4:8\n"
        "3:4 -> 6:8\n"
        "4:8 -> 7:4\n"
        "6:8 -> 7:4\n"
        "7:4 -> exit\n");
}

TEST_CASE("if without else falls through", "[analysis][cfg]") {
  CHECK(edges("def f(x):\n"
              "    if x:\n"
              "        x = 1\n"
              "    return x\n") ==
        "entry -> 2:4\n"
        "2:4 -> 3:8\n"
        "2:4 -> 4:4\n"
        "3:8 -> 4:4\n"
        "4:4 -> exit\n");
}

TEST_CASE("while with break, continue and else", "[analysis][cfg]") {
  CHECK(edges("def f(n):\n"
              "    while n:\n"
              "        if n > 5:\n"
              "            break\n"
              "        if n > 3:\n"
              "            continue\n"
              "        n -= 1\n"
              "    else:\n"
              "        n = 0\n"
              "    return n\n") ==
        "entry -> 2:4\n"
        "2:4 -> 3:8\n"
        "2:4 -> 9:8\n"
        "3:8 -> 4:12\n"
        "3:8 -> 5:8\n"
        "4:12 -> 10:4\n"
        "5:8 -> 6:12\n"
        "5:8 -> 7:8\n"
        "6:12 -> 2:4\n"
        "7:8 -> 2:4\n"
        "9:8 -> 10:4\n"
        "10:4 -> exit\n");
}

TEST_CASE("for loop, return inside, nested def is one node", "[analysis][cfg]") {
  CHECK(edges("def f(xs):\n"
              "    for x in xs:\n"
              "        def g():\n"
              "            return x\n"
              "        if x:\n"
              "            return g\n"
              "    raise ValueError\n") ==
        "entry -> 2:4\n"
        "2:4 -> 2:8\n"  // the target x is bound on the way into the body
        "2:4 -> 7:4\n"
        "2:8 -> 3:8\n"
        "3:8 -> 5:8\n"
        "5:8 -> 6:12\n"
        "5:8 -> 2:4\n"
        "6:12 -> exit\n"
        "7:4 -> exit\n");
}

TEST_CASE("try/except/finally", "[analysis][cfg]") {
  CHECK(edges("def f(x):\n"
              "    try:\n"
              "        y = g(x)\n"
              "    except E as e:\n"
              "        y = 0\n"
              "    finally:\n"
              "        done()\n"
              "    return y\n") ==
        "entry -> 2:4\n"
        "2:4 -> 4:4\n"  // an exception before the body did anything
        "2:4 -> 3:8\n"
        "2:4 -> 7:8\n"  // unhandled: straight to finally
        "4:4 -> 5:8\n"  // the handler node (binds e) is numbered before the body
        "3:8 -> 4:4\n"
        "3:8 -> 7:8\n"
        "5:8 -> 7:8\n"
        "7:8 -> 8:4\n"
        "8:4 -> exit\n");
}
