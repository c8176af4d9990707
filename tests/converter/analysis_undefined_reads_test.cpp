// Reads that may run before their variable is assigned.
#include "converter/analysis/undefined_reads.h"

#include <algorithm>

#include "analysis_test_util.h"

using namespace xag;
using namespace xag::testing;

namespace {
// "line:col" of every flagged read, in source order.
std::string flagged(const std::string& src) {
  Snippet s(src);
  auto reads = analysis::maybe_undefined_reads(s.tree(), s.fn());
  std::vector<std::pair<int, int>> at;
  for (uint32_t i : reads) {
    const auto& p = s.tree().pos(NodeId{i});
    at.push_back({p.lineno, p.col_offset});
  }
  std::sort(at.begin(), at.end());
  std::string r;
  for (auto [l, c] : at) r += (r.empty() ? "" : " ") + std::to_string(l) + ":" + std::to_string(c);
  return r;
}
}  // namespace

TEST_CASE("reads after a one-branch assignment or a loop are flagged", "[analysis][undefined]") {
  CHECK(flagged("def f(c, n):\n"
                "    if c:\n"
                "        z = 1\n"
                "    y = z + n\n"
                "    for i in range(n):\n"
                "        w = i\n"
                "    return w, i, y\n") == "4:8 7:11 7:14");
}

TEST_CASE("reads defined on every path, globals and nested scopes are not",
          "[analysis][undefined]") {
  CHECK(flagged("def f(c):\n"
                "    if c:\n"
                "        z = 1\n"
                "    else:\n"
                "        z = 2\n"
                "    g = lambda: q\n"
                "    return z, g, [v for v in z]\n") == "");
}

TEST_CASE("a loop reads what the previous iteration may have assigned", "[analysis][undefined]") {
  CHECK(flagged("def f(n):\n"
                "    i = 0\n"
                "    while i < n:\n"
                "        if i > 0:\n"
                "            print(prev)\n"
                "        prev = i\n"
                "        i += 1\n") == "5:18");
}
