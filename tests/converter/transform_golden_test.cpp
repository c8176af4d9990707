// Golden tests of the whole conversion: every transform_golden/NAME.py is
// converted (convert_module) and compared exactly with NAME.expected (the
// code, or "ERROR" and the diagnostics) and NAME.map (the source map).
// XAG_REGEN_GOLDEN=1 rewrites the expected files instead; review the diff.
// transform_check.py then runs the expected code under CPython.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "converter/pipeline/convert.h"

namespace fs = std::filesystem;

#ifndef XAG_TRANSFORM_GOLDEN_DIR
#error "XAG_TRANSFORM_GOLDEN_DIR must name tests/converter/transform_golden"
#endif

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

std::string expected_text(const xag::pipeline::ConversionResult& r) {
  if (r.ok()) return r.code;
  std::string out = "ERROR\n";
  for (const auto& e : r.errors)
    out += std::to_string(e.pos.lineno) + ":" + std::to_string(e.pos.col_offset) + " " + e.type +
           ": " + e.message + "\n";
  return out;
}

size_t count_lines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("converted code matches the golden files", "[transform][golden]") {
  bool regen = std::getenv("XAG_REGEN_GOLDEN") != nullptr;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(XAG_TRANSFORM_GOLDEN_DIR)) {
    fs::path in = entry.path();
    if (in.extension() != ".py") continue;
    ++files;
    fs::path expected = fs::path(in).replace_extension(".expected");
    fs::path map = fs::path(in).replace_extension(".map");
    xag::pipeline::ConversionResult r = xag::pipeline::convert_module(read(in));
    std::string text = expected_text(r);
    std::string map_text = xag::pipeline::format_source_map(r.map);
    if (regen) {
      write(expected, text);
      if (r.ok()) write(map, map_text);
      continue;
    }
    INFO("golden file " << in.filename().string() << " (XAG_REGEN_GOLDEN=1 regenerates)");
    REQUIRE(fs::exists(expected));
    CHECK(text == read(expected));
    if (r.ok()) {
      // One map entry per line of code, each pointing into the source.
      CHECK(r.map.size() == count_lines(r.code));
      for (const auto& e : r.map) CHECK(e.original_line >= 1);
      CHECK(map_text == read(map));
    }
  }
  CHECK(files > 0);
}

TEST_CASE("convert_function_source converts one function and drops its decorators",
          "[transform][api]") {
  const char* src =
      "import autograph as ag\n"
      "\n"
      "@ag.function\n"
      "def f(x):\n"
      "    if x > 0:\n"
      "        x = -x\n"
      "    return x\n"
      "\n"
      "def g(y):\n"
      "    return y\n";
  auto r = xag::pipeline::convert_function_source(src, "f");
  REQUIRE(r.ok());
  CHECK(r.code.rfind("def f(x):\n", 0) == 0);
  CHECK(r.code.find("def g(") == std::string::npos);
  CHECK(r.code.find("ag__.if_stmt(x > 0, if_body, else_body, get_state, set_state, ('x',), 1)") !=
        std::string::npos);
  // The def line maps to line 4, the if_stmt call to the if on line 5.
  REQUIRE(!r.map.empty());
  CHECK(r.map[0].original_line == 4);
  size_t line = 1;
  for (size_t i = 0, p = 0; (p = r.code.find('\n', i)) != std::string::npos; i = p + 1, ++line)
    if (r.code.compare(i, p - i, "        ag__.if_stmt", 0, 20) == 0)
      CHECK(r.map[line - 1].original_line == 5);

  auto missing = xag::pipeline::convert_function_source(src, "h");
  REQUIRE(missing.errors.size() == 1);
  CHECK(missing.errors[0].message == "no top-level function named 'h' to convert");

  auto bad = xag::pipeline::convert_function_source("def f(:\n", "f");
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].type == "SyntaxError");
}

TEST_CASE("unsupported constructs are reported with their line and column", "[transform][errors]") {
  auto r = xag::pipeline::convert_function_source(
      "def f(n):\n"
      "    while n:\n"
      "        yield n\n",
      "f");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].type == "ConversionError");
  CHECK(r.errors[0].pos.lineno == 3);
  CHECK(r.errors[0].pos.col_offset == 8);
  CHECK(r.errors[0].message.find("'yield' at line 3, column 9") != std::string::npos);
  CHECK(r.code.empty());
}

TEST_CASE("async functions are refused by name", "[transform][errors]") {
  auto r = xag::pipeline::convert_function_source("async def f(x):\n    return x\n", "f");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "async code cannot be converted: 'async def f' at line 1");
}

TEST_CASE("each pass leaves its mark", "[transform][passes]") {
  auto code = [](const char* src) {
    auto r = xag::pipeline::convert_function_source(src, "f");
    INFO(src);
    REQUIRE(r.ok());
    return r.code;
  };
  auto has = [](const std::string& code, const char* piece) {
    INFO(code);
    CHECK(code.find(piece) != std::string::npos);
  };
  has(code("def f(x):\n    assert x, 'm'\n"), "ag__.assert_stmt(x, lambda: 'm')");
  has(code("def f(x):\n    assert x\n"), "ag__.assert_stmt(x, None)");
  has(code("def f(l, v):\n    l.append(v)\n"), "l = ag__.list_append(l, v)");
  has(code("def f(l):\n    v = l.pop(0)\n    return v\n"), "l, v = ag__.list_pop(l, 0)");
  has(code("def f(a, b):\n    return a or not b\n"), "ag__.or_(lambda: a, lambda: ag__.not_(b))");
  has(code("def f(a, b):\n    return a if b else -a\n"),
      "ag__.if_exp(b, lambda: a, lambda: -a, 'b')");
  has(code("def f(g, *a, **k):\n    return g(1, *a, x=2, **k)\n"),
      "ag__.converted_call(g, (1, *a), {'x': 2, **k}, fscope)");
  // super() and locals() need the caller's frame: called as written.
  has(code("def f():\n    return super().f(locals())\n"),
      "ag__.converted_call(super().f, (locals(),), None, fscope)");
  has(code("def f(n):\n    while n:\n        n -= 1\n"),
      "ag__.while_stmt(loop_test, loop_body, get_state, set_state, ('n',), {})");
  has(code("def f(xs):\n    for i, x in xs:\n        pass\n"),
      "ag__.for_stmt(xs, None, loop_body, get_state, set_state, (), {'iterate_names': 'i, x'})");
  has(code("def f(xs):\n    for x in xs:\n        if x:\n            break\n"), "break_ = True");
  has(code("def f(xs):\n    for x in xs:\n        if x:\n            break\n"),
      "ag__.for_stmt(xs, extra_test, loop_body");
  has(code("def f(x):\n    if x:\n        return 1\n    return 2\n"),
      "return fscope.ret(retval_, do_return)");
  has(code("def f(x):\n    \"\"\"Doc.\"\"\"\n    global g\n    g = x\n"),
      "    \"\"\"Doc.\"\"\"\n    global g\n    with ag__.FunctionScope('f', 'fscope', ag__.STD) as "
      "fscope:\n");
  // `try` inside a loop runs while the loop is traced: nothing to tell the runtime.
  has(code("def f(n):\n    while n:\n        try:\n            n -= 1\n        except E:\n         "
           "   pass\n"),
      "ag__.while_stmt(loop_test, loop_body, get_state, set_state, ('n',), {})");
  has(code("def f(c):\n    if c:\n        y: int = 1\n    return y\n"), "y = 1");
}
