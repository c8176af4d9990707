// String, bytes and number spelling for the unparser (see literals.h).
#include "converter/unparse/literals.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace xag::unparse {
namespace {

// Decodes one code point of UTF-8 (or WTF-8: surrogates encoded as 3 bytes).
// A malformed byte decodes as itself so that nothing is ever dropped.
uint32_t decode(std::string_view s, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t b = byte(i);
  int extra = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : -1;
  if (extra <= 0 || i + extra >= s.size()) {
    ++i;
    return b;
  }
  uint32_t cp = b & (0x3f >> extra);
  for (int k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) {
      ++i;
      return b;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  i += extra + 1;
  return cp;
}

// Characters Python's str.isprintable() rejects and repr() escapes: controls,
// separators other than space, format characters, surrogates, private use.
// (Unassigned code points would need Unicode tables; they are left as they are.)
bool needs_escape(uint32_t c) {
  if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad) return true;
  if (c < 0x600) return false;
  if ((c >= 0x600 && c <= 0x605) || c == 0x61c || c == 0x6dd || c == 0x70f) return true;
  if (c == 0x890 || c == 0x891 || c == 0x8e2 || c == 0x180e || c == 0x1680) return true;
  if ((c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f)) return true;
  if ((c >= 0x205f && c <= 0x2064) || (c >= 0x2066 && c <= 0x206f) || c == 0x3000) return true;
  if (c >= 0xd800 && c <= 0xf8ff) return true;  // surrogates and private use
  if (c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb) || c == 0xfffe || c == 0xffff) return true;
  if (c == 0x110bd || c == 0x110cd || (c >= 0x13430 && c <= 0x1343f)) return true;
  if ((c >= 0x1bca0 && c <= 0x1bca3) || (c >= 0x1d173 && c <= 0x1d17a)) return true;
  if (c >= 0xe0000 && c <= 0xe0fff) return c == 0xe0001 || (c >= 0xe0020 && c <= 0xe007f);
  return c >= 0xf0000;
}

// Whether a character repr() would escape may still stand raw in a literal:
// the tokenizer refuses NUL, turns \r into a line break, cannot read a lone
// surrogate, and bytes literals take only ASCII.
bool can_write_raw(uint32_t c, bool bytes) {
  if (c == 0 || c == '\r') return false;
  if (bytes) return c < 0x80;
  return c < 0xd800 || c > 0xdfff;
}

void append_hex_escape(std::string& out, uint32_t c) {
  char buf[16];
  if (c <= 0xff)
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
  else if (c <= 0xffff)
    std::snprintf(buf, sizeof buf, "\\u%04x", c);
  else
    std::snprintf(buf, sizeof buf, "\\U%08x", c);
  out += buf;
}

// Appends one code point as UTF-8 (surrogates as WTF-8, like the source had them).
void append_utf8(std::string& out, uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

// A quote character inside a literal: single-quoted bodies always escape it;
// triple-quoted ones only where it could close the literal early (a run of
// two, or the last character).
bool must_escape_quote(char ch, std::string_view text, size_t next, Quote q) {
  if (ch != quote_char(q)) return false;
  if (!is_triple(q)) return true;
  return next >= text.size() || text[next] == ch;
}

// The shared body writer; `bytes` selects byte semantics (no UTF-8 decoding).
bool append_body(std::string& out, std::string_view text, Quote q, const BodyOptions& opt,
                 bool bytes) {
  size_t i = 0;
  while (i < text.size()) {
    uint32_t c;
    if (bytes)
      c = static_cast<uint8_t>(text[i++]);
    else
      c = decode(text, i);
    const char* esc = nullptr;
    switch (c) {
      case '\\':
        esc = "\\\\";
        break;
      case '\n':
        if (!opt.raw_newlines) esc = "\\n";
        break;
      case '\r':
        esc = "\\r";
        break;
      case '\t':
        if (!opt.raw_tabs) esc = "\\t";
        break;
      case '\'':
      case '"':
        if (must_escape_quote(static_cast<char>(c), text, i, q)) esc = c == '"' ? "\\\"" : "\\'";
        break;
      case '{':
      case '}':
        if (opt.double_braces) {
          out += static_cast<char>(c);
          out += static_cast<char>(c);
          continue;
        }
        if (opt.escape_braces) esc = c == '{' ? "\\x7b" : "\\x7d";
        break;
      default:
        break;
    }
    if (esc) {
      if (!opt.allow_backslash) return false;
      out += esc;
      continue;
    }
    bool special = c != '\n' && c != '\t' && (bytes ? (c < 0x20 || c >= 0x7f) : needs_escape(c));
    if (special) {
      if (opt.allow_backslash) {
        append_hex_escape(out, c);
        continue;
      }
      // Inside a 3.11 f-string expression no backslash may appear, but a literal
      // may still hold most control characters as they are.
      if (!can_write_raw(c, bytes)) return false;
    }
    if (bytes || c < 0x80)
      out += static_cast<char>(c);
    else
      append_utf8(out, c);
  }
  return true;
}

// Shortest round-trip digits of v > 0 and its decimal exponent: v = d.ddd * 10^exp.
void shortest_digits(double v, std::string& digits, int& exp) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view s(buf, r.ptr - buf);
  size_t e = s.find('e');
  digits.clear();
  for (size_t k = 0; k < e; ++k)
    if (s[k] != '.') digits += s[k];
  exp = std::atoi(std::string(s.substr(e + 1)).c_str());
}

// Python's 'r' float formatting; add_point_zero gives repr(float)'s "1.0".
std::string format_repr(double v, bool add_point_zero) {
  if (std::isinf(v)) return v > 0 ? "1e309" : "-1e309";
  if (std::isnan(v)) return "(1e309 - 1e309)";
  std::string sign = std::signbit(v) ? "-" : "";
  v = std::fabs(v);
  if (v == 0) return sign + (add_point_zero ? "0.0" : "0");
  std::string digits;
  int exp;
  shortest_digits(v, digits, exp);
  int decpt = exp + 1;  // digits are 0.ddd * 10^decpt
  std::string out = sign;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0." + std::string(-decpt, '0') + digits;
    } else if (static_cast<size_t>(decpt) >= digits.size()) {
      out += digits + std::string(decpt - digits.size(), '0');
      if (add_point_zero) out += ".0";
    } else {
      out += digits.substr(0, decpt) + "." + digits.substr(decpt);
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  char buf[16];
  std::snprintf(buf, sizeof buf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  return out + buf;
}

}  // namespace

bool append_str_body(std::string& out, std::string_view text, Quote q, const BodyOptions& opt) {
  return append_body(out, text, q, opt, /*bytes=*/false);
}

bool append_bytes_body(std::string& out, std::string_view bytes, Quote q, const BodyOptions& opt) {
  return append_body(out, bytes, q, opt, /*bytes=*/true);
}

Quote repr_quote(std::string_view text) {
  bool has_single = text.find('\'') != std::string_view::npos;
  bool has_double = text.find('"') != std::string_view::npos;
  return has_single && !has_double ? Quote::Double : Quote::Single;
}

std::string str_repr(std::string_view text) {
  Quote q = repr_quote(text);
  std::string out = quote_text(q);
  append_str_body(out, text, q, BodyOptions{});
  return out + quote_text(q);
}

std::string bytes_repr(std::string_view bytes) {
  Quote q = repr_quote(bytes);
  std::string out = "b";
  out += quote_text(q);
  append_bytes_body(out, bytes, q, BodyOptions{});
  return out + quote_text(q);
}

std::string docstring_literal(std::string_view text) {
  BodyOptions opt;
  opt.raw_newlines = true;
  opt.raw_tabs = true;
  std::string out = "\"\"\"";
  append_str_body(out, text, Quote::TripleDouble, opt);
  return out + "\"\"\"";
}

std::string float_repr(double v) {
  return format_repr(v, /*add_point_zero=*/true);
}

std::string imag_repr(double imag) {
  std::string r = format_repr(imag, /*add_point_zero=*/false);
  if (r[0] == '(') return "(1e309j - 1e309j)";
  return r + "j";
}

}  // namespace xag::unparse
