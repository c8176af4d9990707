// Text of a diagnostic that names its place in the user's file, for errors raised as exceptions
// other than SyntaxError (ag.ConversionError): the message, "(file:line)", then the line without
// its indentation and a caret under the column, as a traceback would show it.
#pragma once

#include <string>
#include <string_view>

namespace xag::diag {

// Line `line` (1-based) of `source` without its newline; empty past the end.
std::string source_line(std::string_view source, int line);

// "message (filename:line)" and, when `text` (the source line) is not empty,
// "\n    <text without indentation>\n    <spaces>^" with the caret under byte column `col`
// (0-based, of the untrimmed line; no spaces when `col` lies in the indentation).
std::string located_message(std::string_view message, std::string_view filename, int line,
                            std::string_view text, int col);

}  // namespace xag::diag
