// Scope analysis: Python's symtable rules on small snippets.
#include "converter/analysis/scopes.h"

#include "analysis_test_util.h"

using namespace xag;
using namespace xag::testing;

TEST_CASE("function locals, params, globals and implicit globals", "[analysis][scopes]") {
  Snippet s(
      "def f(a, *args, b=1, **kw):\n"
      "    global g\n"
      "    x = a + h\n"
      "    g = 2\n"
      "    for i in range(3):\n"
      "        pass\n"
      "    import os.path as p, sys\n"
      "    return x\n");
  auto table = analysis::analyze_scopes(s.tree(), s.tree().root());
  const auto& f = table.at(s.fn());
  CHECK(str(f.params) == "a args b kw");
  CHECK(str(f.locals) == "a args b i kw p sys x");
  CHECK(str(f.globals) == "g");
  CHECK(str(f.implicit_globals) == "h range");
  CHECK(f.free.empty());
  CHECK(table.classify(s.fn(), "g") == "global");
  CHECK(table.classify(s.fn(), "x") == "local");
}

TEST_CASE("closures: free and nonlocal names, class scopes skipped", "[analysis][scopes]") {
  Snippet s(
      "def outer(n):\n"
      "    total = 0\n"
      "    class C:\n"
      "        k = n\n"
      "        def m(self):\n"
      "            return k\n"
      "    def inner(v):\n"
      "        nonlocal total\n"
      "        total += v * n\n"
      "        return lambda w: w + total + q\n"
      "    return inner\n");
  auto table = analysis::analyze_scopes(s.tree(), s.tree().root());
  const auto& outer = table.at(s.fn());
  CHECK(str(outer.locals) == "C inner n total");
  NodeId cls = s.at_line(3);
  NodeId method = s.at_line(5);
  NodeId inner = s.at_line(7);
  CHECK(str(table.at(cls).locals) == "k m");
  CHECK(str(table.at(cls).free) == "n");
  // The class scope does not make k visible to the method: k is global there.
  CHECK(str(table.at(method).implicit_globals) == "k");
  CHECK(str(table.at(inner).nonlocals) == "total");
  CHECK(str(table.at(inner).free) == "n total");
  CHECK(str(table.at(inner).locals) == "v");
  REQUIRE(table.at(inner).children.size() == 1);
  const auto& lam = table.at(table.at(inner).children[0]);
  CHECK(lam.kind == analysis::ScopeKind::Lambda);
  CHECK(str(lam.params) == "w");
  CHECK(str(lam.free) == "total");
  CHECK(str(lam.implicit_globals) == "q");
}

TEST_CASE("comprehensions have their own scope; walrus binds outside", "[analysis][scopes]") {
  Snippet s(
      "def f(xs):\n"
      "    ys = [y * k for y in xs if (last := y)]\n"
      "    return ys, last\n");
  auto table = analysis::analyze_scopes(s.tree(), s.tree().root());
  const auto& f = table.at(s.fn());
  CHECK(str(f.locals) == "last xs ys");
  REQUIRE(f.children.size() == 1);
  const auto& comp = table.at(f.children[0]);
  CHECK(comp.kind == analysis::ScopeKind::Comprehension);
  CHECK(str(comp.locals) == "y");
  CHECK(str(comp.implicit_globals) == "k");
  // xs is evaluated in f; last is bound in f.
  CHECK(comp.free.count("last") == 1);
  CHECK(comp.free.count("xs") == 0);
}

TEST_CASE("names read by lambdas and nested defs (what they may capture)", "[analysis][scopes]") {
  Snippet s(
      "def f(xs):\n"
      "    fs = []\n"
      "    for i in xs:\n"
      "        k = i * 2\n"
      "        fs.append(lambda: i + k)\n"
      "        ys = [j * k for j in xs]\n"
      "        def g():\n"
      "            return fs\n"
      "    return fs\n");
  // Comprehensions run at once: they capture nothing late. The def's own name is not read.
  CHECK(str(analysis::names_in_closures(s.tree(), s.fn())) == "fs i k");
}
