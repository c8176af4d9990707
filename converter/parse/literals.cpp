// Literal decoding: source encodings, numbers and escapes.
#include "converter/parse/literals.h"

#include <cstdlib>
#include <cstring>
#include <vector>

#include "converter/unicode/unicode.h"

namespace xag::parse {
namespace {

std::string lower_name(std::string_view s) {
  std::string r;
  for (char c : s) r += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : (c == '_' ? '-' : c);
  return r;
}

// The value of a coding cookie on one line, or empty.
std::string_view coding_cookie(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f')) ++i;
  if (i >= line.size() || line[i] != '#') return {};
  size_t at = line.find("coding", i);
  while (at != std::string_view::npos) {
    size_t p = at + 6;
    if (p < line.size() && (line[p] == ':' || line[p] == '=')) {
      ++p;
      while (p < line.size() && (line[p] == ' ' || line[p] == '\t')) ++p;
      size_t b = p;
      while (p < line.size() && (isalnum(static_cast<unsigned char>(line[p])) || line[p] == '-' ||
                                 line[p] == '_' || line[p] == '.'))
        ++p;
      if (p > b) return line.substr(b, p - b);
    }
    at = line.find("coding", at + 1);
  }
  return {};
}

bool is_blank_or_comment(std::string_view line) {
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\f') continue;
    return c == '#' || c == '\n' || c == '\r';
  }
  return true;
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool decode_source(std::string_view in, std::string& out, std::string& error, int& error_line) {
  bool bom = in.size() >= 3 && in.substr(0, 3) == "\xEF\xBB\xBF";
  if (bom) in.remove_prefix(3);
  // The cookie may sit on line 1, or on line 2 when line 1 is blank or a comment.
  std::string encoding = "utf-8";
  size_t nl = in.find('\n');
  std::string_view l1 = in.substr(0, nl == std::string_view::npos ? in.size() : nl + 1);
  std::string_view cookie = coding_cookie(l1);
  if (cookie.empty() && nl != std::string_view::npos && is_blank_or_comment(l1)) {
    size_t nl2 = in.find('\n', nl + 1);
    cookie = coding_cookie(in.substr(nl + 1, nl2 == std::string_view::npos ? nl2 : nl2 - nl));
  }
  if (!cookie.empty()) encoding = lower_name(cookie);
  // The tokenizer's own names for utf-8 and latin-1 (get_normal_name), then
  // the single-byte codecs Python knows.
  bool latin1 = false;
  const uint16_t* table = nullptr;
  auto starts = [&](const char* p) { return encoding.rfind(p, 0) == 0; };
  if (encoding == "utf-8" || starts("utf-8-") || encoding == "utf8") {
  } else if (encoding == "latin-1" || encoding == "iso-8859-1" || encoding == "iso-latin-1" ||
             starts("latin-1-") || starts("iso-8859-1-") || starts("iso-latin-1-") ||
             encoding == "latin1" || encoding == "l1" || encoding == "iso8859-1" ||
             encoding == "cp819" || encoding == "8859" || encoding == "iso-ir-100" ||
             encoding == "latin") {
    latin1 = true;
  } else if ((table = unicode::single_byte_codec(cookie)) == nullptr) {
    error = "unknown encoding: " + std::string(cookie);
    error_line = 1;
    return false;
  }
  out.clear();
  out.reserve(in.size() + 1);
  int line = 1;
  for (size_t i = 0; i < in.size();) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == '\r') {
      out += '\n';
      ++line;
      i += (i + 1 < in.size() && in[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    if (c == '\n') ++line;
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else if (latin1) {
      append_utf8(out, c);
      ++i;
    } else if (table) {
      uint16_t cp = table[c - 0x80];
      if (cp == 0xFFFF) {
        char buf[160];
        std::snprintf(buf, sizeof buf,
                      "(unicode error) '%s' codec can't decode byte 0x%02x in position %zu: "
                      "character maps to <undefined>",
                      std::string(cookie).c_str(), c, i);
        error = buf;
        error_line = line;
        return false;
      }
      append_utf8(out, cp);
      ++i;
    } else {
      // UTF-8 is checked lazily, where CPython checks it: in identifiers and
      // string literals (comments may hold any bytes).
      out += static_cast<char>(c);
      ++i;
    }
  }
  return true;
}

std::string int_literal_to_decimal(std::string_view text) {
  int base = 10;
  size_t i = 0;
  if (text.size() > 1 && text[0] == '0') {
    char x = text[1] | 0x20;
    if (x == 'x') base = 16, i = 2;
    if (x == 'o') base = 8, i = 2;
    if (x == 'b') base = 2, i = 2;
  }
  if (base == 10) {
    std::string r;
    for (; i < text.size(); ++i)
      if (text[i] != '_' && !(r.empty() && text[i] == '0')) r += text[i];
    return r.empty() ? "0" : r;
  }
  // Little-endian limbs of 10^9; multiply-add one digit at a time.
  std::vector<uint32_t> limbs{0};
  for (; i < text.size(); ++i) {
    int d = hexval(text[i]);
    if (d < 0) continue;
    uint64_t carry = static_cast<uint64_t>(d);
    for (uint32_t& l : limbs) {
      uint64_t v = static_cast<uint64_t>(l) * base + carry;
      l = static_cast<uint32_t>(v % 1000000000u);
      carry = v / 1000000000u;
    }
    if (carry) limbs.push_back(static_cast<uint32_t>(carry));
  }
  std::string r = std::to_string(limbs.back());
  char buf[16];
  for (size_t k = limbs.size() - 1; k-- > 0;) {
    std::snprintf(buf, sizeof buf, "%09u", limbs[k]);
    r += buf;
  }
  return r;
}

double float_literal(std::string_view text) {
  char small[64];
  std::string big;
  char* buf = small;
  if (text.size() >= sizeof small) {
    big.resize(text.size() + 1);
    buf = big.data();
  }
  size_t n = 0;
  for (char c : text)
    if (c != '_' && c != 'j' && c != 'J') buf[n++] = c;
  buf[n] = '\0';
  return std::strtod(buf, nullptr);
}

void append_utf8(std::string& out, uint32_t cp) {
  // Lone surrogates are encoded like other BMP code points ("WTF-8").
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

namespace {

// Shared escapes of str and bytes; returns the number of body bytes consumed
// after the backslash, or 0 when the escape is not one of these.
bool simple_escape(char c, char& out) {
  switch (c) {
    case '\\':
      out = '\\';
      return true;
    case '\'':
      out = '\'';
      return true;
    case '"':
      out = '"';
      return true;
    case 'a':
      out = '\a';
      return true;
    case 'b':
      out = '\b';
      return true;
    case 'f':
      out = '\f';
      return true;
    case 'n':
      out = '\n';
      return true;
    case 'r':
      out = '\r';
      return true;
    case 't':
      out = '\t';
      return true;
    case 'v':
      out = '\v';
      return true;
    default:
      return false;
  }
}

std::string truncated(const char* codec, size_t from, size_t to, const char* what) {
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "(%s error) '%sescape' codec can't decode bytes in position %zu-%zu: %s",
                codec[0] == 'u' ? "unicode" : "value", codec, from, to, what);
  return buf;
}

}  // namespace

bool decode_str_escapes(std::string_view s, std::string& out, std::string& error) {
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c != '\\' || i + 1 >= s.size()) {
      out += c;
      ++i;
      continue;
    }
    char e = s[i + 1];
    char simple;
    if (simple_escape(e, simple)) {
      out += simple;
      i += 2;
    } else if (e == '\n') {
      i += 2;
    } else if (e >= '0' && e <= '7') {
      uint32_t v = 0;
      size_t j = i + 1;
      for (int k = 0; k < 3 && j < s.size() && s[j] >= '0' && s[j] <= '7'; ++k, ++j)
        v = v * 8 + (s[j] - '0');
      append_utf8(out, v);
      i = j;
    } else if (e == 'x' || e == 'u' || e == 'U') {
      int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      uint32_t v = 0;
      size_t j = i + 2;
      for (int k = 0; k < n; ++k, ++j) {
        int h = j < s.size() ? hexval(s[j]) : -1;
        if (h < 0) {
          error = truncated("unicode", i, j - 1,
                            e == 'x'   ? "truncated \\xXX escape"
                            : e == 'u' ? "truncated \\uXXXX escape"
                                       : "truncated \\UXXXXXXXX escape");
          return false;
        }
        v = v * 16 + h;
      }
      if (v > 0x10FFFF) {
        error = truncated("unicode", i, j - 1, "illegal Unicode character");
        return false;
      }
      append_utf8(out, v);
      i = j;
    } else if (e == 'N') {
      size_t close = s.find('}', i);
      uint32_t cp;
      if (i + 2 >= s.size() || s[i + 2] != '{' || close == std::string_view::npos ||
          !lookup_unicode_name(s.substr(i + 3, close - i - 3), cp)) {
        error = truncated("unicode", i, close == std::string_view::npos ? s.size() - 1 : close,
                          "unknown Unicode character name");
        return false;
      }
      append_utf8(out, cp);
      i = close + 1;
    } else {
      out += '\\';  // invalid escapes stay (CPython only warns)
      ++i;
    }
  }
  return true;
}

bool decode_bytes_escapes(std::string_view s, std::string& out, std::string& error) {
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      error = "bytes can only contain ASCII literal characters";
      return false;
    }
    if (c != '\\' || i + 1 >= s.size()) {
      out += c;
      ++i;
      continue;
    }
    char e = s[i + 1];
    char simple;
    if (simple_escape(e, simple)) {
      out += simple;
      i += 2;
    } else if (e == '\n') {
      i += 2;
    } else if (e >= '0' && e <= '7') {
      uint32_t v = 0;
      size_t j = i + 1;
      for (int k = 0; k < 3 && j < s.size() && s[j] >= '0' && s[j] <= '7'; ++k, ++j)
        v = v * 8 + (s[j] - '0');
      out += static_cast<char>(v & 0xFF);
      i = j;
    } else if (e == 'x') {
      int h1 = i + 2 < s.size() ? hexval(s[i + 2]) : -1;
      int h2 = i + 3 < s.size() ? hexval(s[i + 3]) : -1;
      if (h1 < 0 || h2 < 0) {
        error = "(value error) invalid \\x escape at position " + std::to_string(i);
        return false;
      }
      out += static_cast<char>(h1 * 16 + h2);
      i += 4;
    } else {
      out += '\\';
      ++i;
    }
  }
  return true;
}

std::string utf8_error(std::string_view text, size_t offset) {
  char buf[160];
  unsigned char c = static_cast<unsigned char>(text[offset]);
  bool start = (c & 0xC0) != 0x80 && c < 0xF8;
  std::snprintf(buf, sizeof buf,
                "(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %zu: %s", c,
                offset, start ? "invalid continuation byte" : "invalid start byte");
  return buf;
}

bool lookup_unicode_name(std::string_view name, uint32_t& cp) {
  return unicode::lookup_name(name, cp);
}

}  // namespace xag::parse
