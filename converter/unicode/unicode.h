// Unicode properties the converter needs (tables generated from Python 3.11's
// unicodedata by converter/scripts/gen_unicode_tables.py).
#pragma once

#include <cstdint>
#include <string_view>

namespace xag::unicode {

// str.isprintable() for one code point (decides \x/\u escapes in repr()).
bool is_printable(uint32_t cp);
// Identifier characters beyond ASCII (XID_Start / XID_Continue, as CPython uses).
bool is_xid_start(uint32_t cp);
bool is_xid_continue(uint32_t cp);
// The NFKC form of an identifier character when it differs, else nullptr.
const char* nfkc(uint32_t cp);
// The code point named `name` (case-insensitive), as "\N{name}" resolves it.
bool lookup_name(std::string_view name, uint32_t& cp);

// The byte-to-code-point table (bytes 0x80..0xFF; 0xFFFF: undecodable) of a
// single-byte source encoding named like Python's codecs.lookup accepts
// ("iso-8859-5", "cp1252", "koi8_r", "cyrillic"), or nullptr.
const uint16_t* single_byte_codec(std::string_view name);

// Length of the valid UTF-8 sequence at s[i] (1 to 4), or 0 when invalid.
size_t utf8_sequence_length(std::string_view s, size_t i);
// The first byte of s that is not valid UTF-8, or npos.
size_t find_invalid_utf8(std::string_view s);

// Decodes the UTF-8 (or WTF-8) sequence at s[i]; sets len to its byte count.
uint32_t decode_utf8(std::string_view s, size_t i, size_t& len);

}  // namespace xag::unicode
