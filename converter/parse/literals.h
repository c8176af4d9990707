// Decoding of literal text: source bytes (PEP 263), numbers, string escapes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace xag::parse {

// Decodes a source file to UTF-8 per PEP 263: a UTF-8 BOM, or a coding cookie
// on line 1 or 2 (utf-8, latin-1/iso-8859-1 and their aliases). Newlines are
// normalized to '\n' (CPython translates "\r\n" and "\r" too). On failure
// returns false with a message in `error` and the line in `error_line`.
bool decode_source(std::string_view bytes, std::string& out, std::string& error, int& error_line);

// An integer literal (any base, underscores allowed) as normalized decimal digits.
std::string int_literal_to_decimal(std::string_view text);
// A float literal (underscores allowed); overflow gives inf like CPython.
double float_literal(std::string_view text);

void append_utf8(std::string& out, uint32_t cp);

// Decodes backslash escapes of a str literal body into UTF-8. Returns false
// with a CPython-like message on a malformed escape.
bool decode_str_escapes(std::string_view body, std::string& out, std::string& error);
// Same for bytes literals; non-ASCII characters are an error.
bool decode_bytes_escapes(std::string_view body, std::string& out, std::string& error);

// CPython's message for bytes that are not UTF-8 at `offset` of a literal.
std::string utf8_error(std::string_view text, size_t offset);

// Looks up a character by its Unicode name, as "\N{...}" does (case-insensitive).
bool lookup_unicode_name(std::string_view name, uint32_t& cp);

}  // namespace xag::parse
