// "\N{name}" lookup: a generated list of names, indexed on first use.
#include <mutex>
#include <string>
#include <unordered_map>

#include "converter/unicode/unicode.h"

namespace xag::unicode {
namespace {

#include "converter/unicode/unicode_names.inc"

const std::unordered_map<std::string_view, uint32_t>& name_index() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, uint32_t>();
    std::string_view all(kUnicodeNames, sizeof kUnicodeNames - 1);
    m->reserve(40000);
    size_t i = 0;
    while (i < all.size()) {
      size_t semi = all.find(';', i), nl = all.find('\n', semi);
      uint32_t cp = static_cast<uint32_t>(
          std::stoul(std::string(all.substr(semi + 1, nl - semi - 1)), nullptr, 16));
      m->emplace(all.substr(i, semi - i), cp);
      i = nl + 1;
    }
    return m;
  }();
  return *index;
}

bool hex_suffix(std::string_view s, uint32_t& cp) {
  if (s.size() < 4 || s.size() > 6) return false;
  cp = 0;
  for (char c : s) {
    int h = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (h < 0) return false;
    cp = cp * 16 + static_cast<uint32_t>(h);
  }
  return true;
}

}  // namespace

bool lookup_name(std::string_view name, uint32_t& cp) {
  std::string upper(name);
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  static const char* const kAlgorithmic[] = {"CJK UNIFIED IDEOGRAPH-",
                                             "CJK COMPATIBILITY IDEOGRAPH-", "TANGUT IDEOGRAPH-",
                                             "KHITAN SMALL SCRIPT CHARACTER-", "NUSHU CHARACTER-"};
  for (const char* prefix : kAlgorithmic) {
    std::string_view p(prefix);
    if (std::string_view(upper).substr(0, p.size()) == p)
      return hex_suffix(std::string_view(upper).substr(p.size()), cp);
  }
  const auto& index = name_index();
  auto it = index.find(upper);
  if (it == index.end()) return false;
  cp = it->second;
  return true;
}

}  // namespace xag::unicode
