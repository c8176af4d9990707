// Python's repr() for constants, so that dumps match CPython byte for byte.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "converter/ast/ast.h"
#include "converter/unicode/unicode.h"

namespace xag::ast {
namespace {

// float.__repr__: shortest round-trip digits; exponent notation when the
// decimal point position is < -4 or > 16. add_dot_zero appends ".0" to
// integral values (floats do, complex parts do not).
void append_float(std::string& out, double v, bool add_dot_zero) {
  if (std::isinf(v)) {
    out += v > 0 ? "inf" : "-inf";
    return;
  }
  if (std::isnan(v)) {
    out += "nan";
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view s(buf, res.ptr - buf);
  if (s[0] == '-') {
    out += '-';
    s.remove_prefix(1);
  }
  size_t e = s.find('e');
  std::string digits;
  for (char c : s.substr(0, e))
    if (c != '.') digits += c;
  int exp = std::atoi(std::string(s.substr(e + 1)).c_str());
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int decpt = exp + 1;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0.";
      out.append(static_cast<size_t>(-decpt), '0');
      out += digits;
    } else if (static_cast<size_t>(decpt) >= digits.size()) {
      out += digits;
      out.append(decpt - digits.size(), '0');
      if (add_dot_zero) out += ".0";
    } else {
      out += digits.substr(0, decpt);
      out += '.';
      out += digits.substr(decpt);
    }
    return;
  }
  out += digits[0];
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  std::snprintf(buf, sizeof buf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  out += buf;
}

char pick_quote(std::string_view s) {
  bool single = s.find('\'') != std::string_view::npos;
  bool dbl = s.find('"') != std::string_view::npos;
  return single && !dbl ? '"' : '\'';
}

void append_str_repr(std::string& out, std::string_view s) {
  char q = pick_quote(s);
  out += q;
  char buf[16];
  for (size_t i = 0; i < s.size();) {
    size_t len;
    uint32_t cp = unicode::decode_utf8(s, i, len);
    if (cp == '\\') {
      out += "\\\\";
    } else if (cp == static_cast<uint32_t>(q)) {
      out += '\\';
      out += q;
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp < 0x20 || cp == 0x7f) {
      std::snprintf(buf, sizeof buf, "\\x%02x", cp);
      out += buf;
    } else if (cp < 0x7f) {
      out += static_cast<char>(cp);
    } else if (unicode::is_printable(cp)) {
      out.append(s.data() + i, len);
    } else {
      if (cp < 0x100) {
        std::snprintf(buf, sizeof buf, "\\x%02x", cp);
      } else if (cp < 0x10000) {
        std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      } else {
        std::snprintf(buf, sizeof buf, "\\U%08x", cp);
      }
      out += buf;
    }
    i += len;
  }
  out += q;
}

void append_bytes_repr(std::string& out, std::string_view s) {
  char q = pick_quote(s);
  out += 'b';
  out += q;
  char buf[8];
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == static_cast<unsigned char>(q)) {
      out += '\\';
      out += q;
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c >= 0x7f) {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += q;
}

}  // namespace

std::string constant_repr(const Constant& c) {
  std::string out;
  switch (c.kind) {
    case ConstKind::None:
      return "None";
    case ConstKind::True:
      return "True";
    case ConstKind::False:
      return "False";
    case ConstKind::Ellipsis:
      return "Ellipsis";
    case ConstKind::Int:
      return std::string(c.text);
    case ConstKind::Float:
      append_float(out, c.number, true);
      return out;
    case ConstKind::Complex:
      append_float(out, c.number, false);
      out += 'j';
      return out;
    case ConstKind::Str:
      append_str_repr(out, c.text);
      return out;
    case ConstKind::Bytes:
      append_bytes_repr(out, c.text);
      return out;
  }
  return out;
}

}  // namespace xag::ast
