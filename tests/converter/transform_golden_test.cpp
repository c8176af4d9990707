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
