// The text of located diagnostics (converter/diag/located.h), as ag.ConversionError shows it.
#include <catch2/catch.hpp>

#include "converter/diag/located.h"

using xag::diag::located_message;
using xag::diag::source_line;

TEST_CASE("source_line picks one line without its newline", "[diag]") {
  const char* src = "a = 1\n  b = 2\nc";
  CHECK(source_line(src, 1) == "a = 1");
  CHECK(source_line(src, 2) == "  b = 2");
  CHECK(source_line(src, 3) == "c");
  CHECK(source_line(src, 4).empty());
}

TEST_CASE("located_message puts a caret under the column of the trimmed line", "[diag]") {
  CHECK(located_message("bad", "cell.py", 7, "    x = yield 1", 8) ==
        "bad (cell.py:7)\n    x = yield 1\n        ^");
  CHECK(located_message("bad", "f.py", 2, "", 3) == "bad (f.py:2)");
  // A column inside the indentation: the caret goes under the first character.
  CHECK(located_message("bad", "f.py", 2, "  pass", 0) == "bad (f.py:2)\n    pass\n    ^");
}
