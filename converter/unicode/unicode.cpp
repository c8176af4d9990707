// Range-table lookups for Unicode properties.
#include "converter/unicode/unicode.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace xag::unicode {
namespace {

struct CodeRange {
  uint32_t first, last;
};
#include "converter/unicode/codecs.inc"
#include "converter/unicode/unicode_props.inc"

template <size_t N>
bool in_ranges(const CodeRange (&table)[N], uint32_t cp) {
  const CodeRange* it = std::upper_bound(
      table, table + N, cp, [](uint32_t v, const CodeRange& r) { return v < r.first; });
  return it != table && cp <= (it - 1)->last;
}

}  // namespace

bool is_printable(uint32_t cp) {
  return !in_ranges(kNonPrintable, cp);
}
bool is_xid_start(uint32_t cp) {
  return in_ranges(kXidStart, cp);
}
bool is_xid_continue(uint32_t cp) {
  return in_ranges(kXidContinue, cp);
}

const char* nfkc(uint32_t cp) {
  const NfkcEntry* end = kNfkc + sizeof kNfkc / sizeof kNfkc[0];
  const NfkcEntry* it =
      std::lower_bound(kNfkc, end, cp, [](const NfkcEntry& e, uint32_t v) { return e.cp < v; });
  return it != end && it->cp == cp ? it->utf8 : nullptr;
}

const uint16_t* single_byte_codec(std::string_view name) {
  // encodings.normalize_encoding: lowercase, runs of punctuation become '_'.
  std::string key;
  bool pending = false;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '.') {
      if (pending && !key.empty()) key += '_';
      pending = false;
      key += static_cast<char>(std::tolower(u));
    } else {
      pending = true;
    }
  }
  for (const CodecAlias& a : kCodecAliases)
    if (key == a.alias) return kCodecs[a.codec].upper;
  return nullptr;
}

size_t utf8_sequence_length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t n;
  uint32_t min;
  if ((c & 0xE0) == 0xC0) {
    n = 2, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  uint32_t cp = c & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) {
    unsigned char d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

size_t find_invalid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = utf8_sequence_length(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

uint32_t decode_utf8(std::string_view s, size_t i, size_t& len) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    len = 1;
    return c;
  }
  size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
  if (i + n > s.size()) n = 1;
  uint32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  len = n;
  return cp;
}

}  // namespace xag::unicode
