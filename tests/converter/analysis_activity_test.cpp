// Activity analysis: names read, modified, bound and deleted.
#include "converter/analysis/activity.h"

#include "analysis_test_util.h"

using namespace xag;
using namespace xag::testing;

namespace {
analysis::Activity of_line(const Snippet& s, int line) {
  return analysis::stmt_activity(s.tree(), s.at_line(line));
}
}  // namespace

TEST_CASE("assignments, augmented assignments and deletes", "[analysis][activity]") {
  Snippet s(
      "def f(a, b):\n"
      "    x, (y, *z) = a, b\n"
      "    x += y\n"
      "    del z\n"
      "    w: int = x\n"
      "    v: int\n");
  auto a2 = of_line(s, 2);
  CHECK(str(a2.read) == "a b");
  CHECK(str(a2.bound) == "x y z");
  CHECK(str(a2.modified) == "x y z");
  auto a3 = of_line(s, 3);
  CHECK(str(a3.read) == "x y");
  CHECK(str(a3.modified) == "x");
  auto a4 = of_line(s, 4);
  CHECK(str(a4.deleted) == "z");
  CHECK(a4.bound.empty());
  CHECK(str(of_line(s, 5).bound) == "w");
  CHECK(of_line(s, 6).bound.empty());  // an annotation alone binds nothing
}

TEST_CASE("attributes and subscripts are qualified names", "[analysis][activity]") {
  Snippet s(
      "def f(obj, lst, i):\n"
      "    obj.a.b = 1\n"
      "    lst[i] = obj.c\n"
      "    lst.append(i)\n"
      "    obj.n += 1\n");
  auto a2 = of_line(s, 2);
  CHECK(str(a2.modified) == "obj.a.b");
  CHECK(str(a2.read) == "obj obj.a");
  CHECK(a2.bound.empty());
  auto a3 = of_line(s, 3);
  CHECK(str(a3.modified) == "lst[]");
  CHECK(str(a3.read) == "i lst obj obj.c");
  // A method call reads its receiver; it does not modify it.
  auto a4 = of_line(s, 4);
  CHECK(str(a4.read) == "i lst lst.append");
  CHECK(a4.modified.empty());
  auto a5 = of_line(s, 5);
  CHECK(str(a5.modified) == "obj.n");
  CHECK(str(a5.read) == "obj obj.n");
}

TEST_CASE("compound statements aggregate their blocks; headers do not", "[analysis][activity]") {
  Snippet s(
      "def f(n, xs):\n"
      "    for i in xs:\n"
      "        if i > n:\n"
      "            s = i\n"
      "        else:\n"
      "            t = s\n"
      "    with open(n) as fh:\n"
      "        data = fh.read()\n");
  auto whole = of_line(s, 2);
  CHECK(str(whole.read) == "i n s xs");
  CHECK(str(whole.bound) == "i s t");
  auto header = analysis::header_activity(s.tree(), s.at_line(2));
  CHECK(str(header.read) == "xs");
  CHECK(str(header.bound) == "i");
  auto with_header = analysis::header_activity(s.tree(), s.at_line(7));
  CHECK(str(with_header.read) == "n open");
  CHECK(str(with_header.bound) == "fh");
  auto table = analysis::analyze_activity(s.tree(), s.fn());
  CHECK(str(table.at(s.at_line(4).index).bound) == "s");
}

TEST_CASE("nested scopes: free reads, nonlocal writes, comprehension targets",
          "[analysis][activity]") {
  Snippet s(
      "def f(a):\n"
      "    def g(k):\n"
      "        nonlocal total\n"
      "        total = k + a + j\n"
      "        m = 1\n"
      "        return m\n"
      "    h = lambda q: q + a\n"
      "    ys = [x * a for x in b if (last := x)]\n");
  auto a2 = of_line(s, 2);
  CHECK(str(a2.read) == "a j");
  CHECK(str(a2.bound) == "g");
  CHECK(str(a2.modified) == "g total");  // total may change when g runs
  auto a7 = of_line(s, 7);
  CHECK(str(a7.read) == "a");
  CHECK(str(a7.bound) == "h");
  auto a8 = of_line(s, 8);
  CHECK(str(a8.read) == "a b");
  CHECK(str(a8.bound) == "last ys");
}
