// Templates: placeholders, splicing, name lists, and positions.
#include <catch2/catch.hpp>

#include "converter/parse/parser.h"
#include "converter/transforms/templates.h"
#include "converter/unparse/unparse.h"

using namespace xag;
using namespace xag::transforms;

namespace {

struct Fixture {
  parse::ParseResult parsed = parse::parse_module("x = a + 1\ny = 2\nprint(x)\n");
  Tree& t = parsed.tree;
  NodeId stmt(int i) { return t.list(t.root(), Field::Module_body)[i]; }
  std::string text(const std::vector<NodeId>& stmts) {
    std::string out;
    for (NodeId s : stmts) out += unparse::unparse(t, s);
    return out;
  }
};

}  // namespace

TEST_CASE("placeholders become nodes, names, name lists and spliced statements",
          "[transform][templates]") {
  Fixture f;
  REQUIRE(f.parsed.ok());
  Builder b(f.t, f.stmt(0));
  NodeId value = f.t.node(f.stmt(0), Field::Assign_value);
  auto out = replace(b, R"(
    def fn_name(param):
        nonlocal names
        global nothing
        body
        return (names, value, 'fn_name')
  )",
                     {{"fn_name", Subst::name("if_body")},
                      {"param", Subst::name("itr")},
                      {"names", Subst::name_list({"p", "q"})},
                      {"nothing", Subst::name_list({})},
                      {"body", Subst::list({f.stmt(1), f.stmt(2)})},
                      {"value", Subst::of(value)}});
  REQUIRE(out.size() == 1);
  CHECK(f.text(out) ==
        "def if_body(itr):\n"
        "    nonlocal p, q\n"
        "    y = 2\n"
        "    print(x)\n"
        "    return p, q, a + 1, 'if_body'\n");
}

TEST_CASE("generated nodes take the origin; substituted ones keep theirs",
          "[transform][templates]") {
  Fixture f;
  Builder b(f.t, f.stmt(2));                                // line 3
  NodeId value = f.t.node(f.stmt(0), Field::Assign_value);  // line 1
  NodeId e = replace_expr(b, "ag__.wrap(value)\n", {{"value", Subst::of(value)}});
  CHECK(f.t.pos(e).lineno == 3);
  CHECK(f.t.pos(f.t.node(e, Field::Call_func)).lineno == 3);
  CHECK(f.t.list(e, Field::Call_args)[0] == value);
  CHECK(f.t.pos(value).lineno == 1);
}

TEST_CASE("a node substituted twice is copied the second time", "[transform][templates]") {
  Fixture f;
  Builder b(f.t, f.stmt(0));
  NodeId value = f.t.node(f.stmt(0), Field::Assign_value);
  NodeId e = replace_expr(b, "(v, v)\n", {{"v", Subst::of(value)}});
  auto elts = f.t.list(e, Field::Tuple_elts);
  CHECK(elts[0] == value);
  CHECK(elts[1] != value);
  CHECK(unparse::unparse(f.t, e) == "a + 1, a + 1");
}
