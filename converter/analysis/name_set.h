// Sets of (possibly qualified) variable names, as the analyses report them.
//
// A simple name is "x". A qualified (composite) name is "x.a" for an attribute
// chain or "x[]" for a subscript of x; composites are recorded so that callers
// can tell `x.a = 1` (modifies x.a, reads x) from `x = 1`. Sets are ordered so
// that everything derived from them (state tuples, test output) is deterministic.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace xag::analysis {

using NameSet = std::set<std::string, std::less<>>;

// True for "x", false for "x.a" and "x[]".
inline bool is_simple(std::string_view name) {
  return name.find_first_of(".[") == std::string_view::npos;
}

// The simple name a qualified name hangs off: base_name("x.a.b") == "x".
inline std::string_view base_name(std::string_view name) {
  return name.substr(0, name.find_first_of(".["));
}

inline void add_all(NameSet& to, const NameSet& from) {
  to.insert(from.begin(), from.end());
}

inline NameSet set_union(const NameSet& a, const NameSet& b) {
  NameSet r = a;
  add_all(r, b);
  return r;
}

inline NameSet set_intersection(const NameSet& a, const NameSet& b) {
  NameSet r;
  for (const auto& n : a)
    if (b.count(n)) r.insert(n);
  return r;
}

inline NameSet set_difference(const NameSet& a, const NameSet& b) {
  NameSet r;
  for (const auto& n : a)
    if (!b.count(n)) r.insert(n);
  return r;
}

// Only the simple names of s; composites contribute their base name when
// with_bases is set (reading x.a reads x).
inline NameSet simple_names(const NameSet& s, bool with_bases = false) {
  NameSet r;
  for (const auto& n : s) {
    if (is_simple(n))
      r.insert(n);
    else if (with_bases)
      r.insert(std::string(base_name(n)));
  }
  return r;
}

// "a, b, c": for messages and tests.
inline std::string join(const NameSet& s, std::string_view sep = ", ") {
  std::string r;
  for (const auto& n : s) {
    if (!r.empty()) r += sep;
    r += n;
  }
  return r;
}

}  // namespace xag::analysis
