// Golden tests of the unparser: source in, the exact text it must print.
// The round trip over the stdlib (unparse_roundtrip.py) checks correctness at
// scale; these pin down what the output looks like for people.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "converter/parse/parser.h"
#include "converter/unparse/unparse.h"

namespace {

using namespace xag;

std::string roundtrip(const std::string& source) {
  parse::ParseResult r = parse::parse_module(source);
  REQUIRE(r.ok());
  return unparse::unparse(r.tree, r.tree.root());
}

struct Golden {
  const char* in;
  const char* out;
};

void check_all(std::initializer_list<Golden> cases) {
  for (const Golden& g : cases) {
    INFO("input: " << g.in);
    CHECK(roundtrip(g.in) == g.out);
  }
}

}  // namespace

TEST_CASE("redundant parentheses go, needed ones stay", "[unparse]") {
  check_all({
      {"x = ((a))\n", "x = a\n"},
      {"(a, b) = (b, a)\n", "a, b = b, a\n"},
      {"x = (a + b) * c - (d - e)\n", "x = (a + b) * c - (d - e)\n"},
      {"x = a - (b - c)\n", "x = a - (b - c)\n"},
      {"x = (a ** b) ** c, a ** b ** c\n", "x = (a ** b) ** c, a ** b ** c\n"},
      {"x = (-1) ** 2, -1 ** 2, 2 ** -1\n", "x = (-1) ** 2, -1 ** 2, 2 ** -1\n"},
      {"x = (a < b) < c, a < b < c\n", "x = (a < b) < c, a < b < c\n"},
      {"x = (not a) == b, not a == b\n", "x = (not a) == b, not a == b\n"},
      {"x = (a or b) and c\n", "x = (a or b) and c\n"},
      {"x = (a if b else c) if d else e\n", "x = (a if b else c) if d else e\n"},
      {"f((x for x in y))\n", "f(x for x in y)\n"},
      {"f((x for x in y), z)\n", "f((x for x in y), z)\n"},
      {"x = 1 .real, (1).imag\n", "x = 1 .real, 1 .imag\n"},
      {"x = [(yield)]\n", "x = [(yield)]\n"},
      {"x = yield a, b\n", "x = yield a, b\n"},
      {"return_ = (lambda: (yield))\n", "return_ = lambda: (yield)\n"},
      {"if (n := len(a)) > 10: pass\n", "if (n := len(a)) > 10:\n    pass\n"},
      {"a[(1, 2)], a[1:2, ::3], a[()], a[*b]\n", "a[1, 2], a[1:2, ::3], a[()], a[*b,]\n"},
      {"for x in (yield): pass\n", "for x in (yield):\n    pass\n"},
      {"def f(): return (*a, b)\n", "def f():\n    return *a, b\n"},
      {"del (a, b), c\n", "del (a, b), c\n"},
  });
}

TEST_CASE("literals use repr, infinity is 1e309", "[unparse]") {
  check_all({
      {"x = 'it''s', \"say \\\"hi\\\"\"\n", "x = 'its', 'say \"hi\"'\n"},
      {"x = \"it's\"\n", "x = \"it's\"\n"},
      {"x = b'\\x00\\xff\"', u'u'\n", "x = b'\\x00\\xff\"', u'u'\n"},
      {"x = 1e400, 2e400j, 0x10, 1_000, 1.50, 1e16, 1e-5\n",
       "x = 1e309, 1e309j, 16, 1000, 1.5, 1e+16, 1e-05\n"},
      {"x = '\\u2028\\x00\\t\\ud800é'\n", "x = '\\u2028\\x00\\t\\ud800é'\n"},
  });
}

TEST_CASE("f-strings pick quotes that 3.11 can read", "[unparse]") {
  check_all({
      {"f\"{x['a']}\"\n", "f'{x[\"a\"]}'\n"},
      {"f'{x!r:>{w}} {{b}}'\n", "f'{x!r:>{w}} {{b}}'\n"},
      {"f\"it's {x}\"\n", "f\"it's {x}\"\n"},
      {"f\"it's {x['a']}\"\n", "f\"it's {x['a']}\"\n"},
      {"f\"it's {x['a']} \\\"q\\\"\"\n", "f'it\\'s {x[\"a\"]} \"q\"'\n"},
      {"f'{ {1: 2}[1] }'\n", "f'{ {1: 2}[1] }'\n"},
      {"f'{(lambda: 1)()}{(x := 2)}{x,}'\n", "f'{(lambda: 1)()}{(x := 2)}{(x,)}'\n"},
      {"f'{x=}'\n", "f'x={x!r}'\n"},
      {"f'{f\"{x}\"}'\n", "f'{f\"{x}\"}'\n"},
      {"'a' f'b{c}'\n", "f'ab{c}'\n"},
      // A control character in a string inside a field cannot be escaped
      // there (no backslashes in 3.11 field expressions): it stays raw.
      {"f'{x, \"\x01q\"}'\n", "f'{(x, \"\x01q\")}'\n"},
      // 3.11 ends f'...' at any `'`, even in a field: a string there whose
      // text holds both quote kinds needs f'''...''', where a lone `'` is fine.
      {"f'''{\"'\"}'''\n", "f'''{\"'\"}'''\n"},
      {"f'{\"\"\"x\"\"y\"\"\"}'\n", "f'''{'x\"\"y'}'''\n"},
      {"f'''{'\"'!r:{'\"\"'=}}'''\n", "f'''{'\"'!r:'\"\"'={'\"\"'!r}}'''\n"},
      // The leading constant of `u"a" f"{x}"` has kind 'u' in CPython's tree.
      {"u'a' F'{x}'\n", "u'' f'a{x}'\n"},
  });
}

// 3.11 has no `{{` escape in a format spec: a brace there opens a field or
// ends the spec. Braces in a spec's text come from the source of a
// self-documenting field (written back as that field) or from \x7b escapes.
TEST_CASE("f-string format specs keep their braces", "[unparse]") {
  check_all({
      // Found by fuzz_parser: was written f'{a:{{c}}={ {c} !r}}'.
      {"x = f'{a:{{c}=}}'\n", "x = f'{a:{{c}=}}'\n"},
      {"f'{a:{ {c}=}}'\n", "f'{a:{ {c}=}}'\n"},
      {"f'{a:x{ {c} = }y}'\n", "f'{a:x{ {c} = }y}'\n"},
      {"f'{a:{ {c}=}{ {d}=}}'\n", "f'{a:{ {c}=}{ {d}=}}'\n"},
      {"f'{a:{ {c}=!s:>3}}'\n", "f'{a:{ {c}=!s:>3}}'\n"},
      {"f'{a:{ {c}=:}}'\n", "f'{a:{ {c}=:}}'\n"},
      {"f'{a:{\"{\"=}}'\n", "f'{a:{\"{\"=}}'\n"},
      {"f\"{a:{'{'=}}\"\n", "f\"{a:{'{'=}}\"\n"},
      {"f'''{a:{ {c}=}}'''\n", "f'{a:{ {c}=}}'\n"},
      // Inside a field no backslash may appear: only the field form fits.
      {"f'{f\"{a:{ {c}=}}\"}'\n", "f'{f\"{a:{ {c}=}}\"}'\n"},
      // Without braces the constant stays plain text.
      {"f'{a:{b=}}'\n", "f'{a:b={b!r}}'\n"},
      {"f'{a:>{w=}}'\n", "f'{a:>w={w!r}}'\n"},
      {"f'{a:{b=!s:>3}}'\n", "f'{a:b={b!s:>3}}'\n"},
      // Escaped braces, and text that only looks like a field's source.
      {"f'{a:\\x7b}'\n", "f'{a:\\x7b}'\n"},
      {"f'{a:\\N{RIGHT CURLY BRACKET}{b}}'\n", "f'{a:\\x7d{b}}'\n"},
      {"f'{a:{b:\\x7b}}'\n", "f'{a:{b:\\x7b}}'\n"},
      {"f'{a:\\x7bb={b!r}}'\n", "f'{a:\\x7bb={b!r}}'\n"},
      {"f'{a:\\x7bc\\x7d={d!r}}'\n", "f'{a:\\x7bc\\x7d={d!r}}'\n"},
  });
}

// NFKC folds `iſ` (long s) to the keyword `is`: such names come back with a
// fullwidth first letter, which folds the same way. Found by fuzz_parser.
TEST_CASE("names that fold to keywords stay names", "[unparse]") {
  check_all({
      {"i\xc5\xbf\n", "\xef\xbd\x89s\n"},
      {"x.i\xc5\xbf = \xef\xbc\xaeone\n", "x.\xef\xbd\x89s = \xef\xbc\xaeone\n"},
      {"import a.i\xc5\xbf as i\xc5\xbf\n", "import a.\xef\xbd\x89s as \xef\xbd\x89s\n"},
      {"f(i\xc5\xbf=1)\n", "f(\xef\xbd\x89s=1)\n"},
  });
}

TEST_CASE("statements read like hand-written code", "[unparse]") {
  check_all({
      {"import os\ndef f(a, b=1, *args, c: int=2, **kw) -> int:\n  '''Doc.\n\n  More.'''\n"
       "  return a\nclass C(B, metaclass=M):\n  x: int = 1\n  def g(self, /): pass\n"
       "print(1)\n",
       "import os\n\n\ndef f(a, b=1, *args, c: int = 2, **kw) -> int:\n    \"\"\"Doc.\n\n"
       "  More.\"\"\"\n    return a\n\n\nclass C(B, metaclass=M):\n    x: int = 1\n\n"
       "    def g(self, /):\n        pass\n\n\nprint(1)\n"},
      {"if a: pass\nelse:\n  if b: pass\n  else: c\n",
       "if a:\n    pass\nelif b:\n    pass\nelse:\n    c\n"},
      {"try: pass\nexcept* (A, B) as e: pass\nelse: pass\nfinally: pass\n",
       "try:\n    pass\nexcept* (A, B) as e:\n    pass\nelse:\n    pass\nfinally:\n    pass\n"},
      {"with (a, b): pass\nwith ((a, b)): pass\nwith a as (b, c): pass\n",
       "with a, b:\n    pass\nwith ((a, b)):\n    pass\nwith a as (b, c):\n    pass\n"},
      {"(x): int = 1\nx: int\n", "(x): int = 1\nx: int\n"},
      {"from ..a import (b as c, d)\nimport a.b as c\n",
       "from ..a import b as c, d\nimport a.b as c\n"},
      {"@d\n@(x := y)\nasync def f():\n  async with a: await b\n  async for x, y in z: yield\n",
       "@d\n@(x := y)\nasync def f():\n    async with a:\n        await b\n    async for x, y in "
       "z:\n"
       "        yield\n"},
  });
}

TEST_CASE("match statements with every pattern kind", "[unparse]") {
  check_all({
      {"match p:\n case [1, -2, 3 + 4j, *rest] if rest: pass\n case {'a': 1, **kw}: pass\n"
       " case Point(0, y=_) | (1 | 2) as z: pass\n case (a as b) as c: pass\n"
       " case None | True | a.b: pass\n case x, *_: pass\n",
       "match p:\n    case [1, -2, 3 + 4j, *rest] if rest:\n        pass\n"
       "    case {'a': 1, **kw}:\n        pass\n    case Point(0, y=_) | (1 | 2) as z:\n"
       "        pass\n    case (a as b) as c:\n        pass\n    case None | True | a.b:\n"
       "        pass\n    case [x, *_]:\n        pass\n"},
  });
}

TEST_CASE("each output line knows the statement it came from", "[unparse]") {
  parse::ParseResult r =
      parse::parse_module("x = 1\n\n\nif x:\n    y = (1 +\n 2)\ndef f(): pass\n");
  REQUIRE(r.ok());
  unparse::Unparsed u = unparse::unparse_with_origins(r.tree, r.tree.root());
  REQUIRE(u.text == "x = 1\nif x:\n    y = 1 + 2\n\n\ndef f():\n    pass\n");
  std::vector<int> lines;
  for (const ast::Pos& p : u.origins) lines.push_back(p.lineno);
  CHECK(lines == std::vector<int>{1, 4, 5, 0, 0, 7, 7});
}

TEST_CASE("hand-built trees the parser never produces still print", "[unparse]") {
  ast::Tree t;
  ast::Pos p{1, 0, 1, 1};
  ast::NodeId set = t.make(ast::NodeKind::Set, p);
  CHECK(unparse::unparse(t, set) == "{*()}");
  ast::NodeId c = t.make(ast::NodeKind::Constant, p);
  ast::Constant nan;
  nan.kind = ast::ConstKind::Float;
  nan.number = std::nan("");
  t.set_constant(c, ast::Field::Constant_value, nan);
  CHECK(unparse::unparse(t, c) == "(1e309 - 1e309)");
  ast::NodeId fn = t.make(ast::NodeKind::FunctionDef, p);
  t.set_ident(fn, ast::Field::FunctionDef_name, t.intern("f"));
  t.set_node(fn, ast::Field::FunctionDef_args, t.make(ast::NodeKind::arguments, p));
  CHECK(unparse::unparse(t, fn) == "def f():\n    pass\n");
}
