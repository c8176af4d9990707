// Dense name sets for the dataflow fixed points (liveness, reaching
// definitions). Each analysis run numbers the names it meets and iterates
// over bit vectors, so an iteration is a few word operations per CFG node
// instead of building and comparing std::set<std::string> trees; results are
// turned back into NameSets only for the statements callers ask about.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "converter/analysis/name_set.h"

namespace xag::analysis {

using Bits = std::vector<uint64_t>;

class NameIds {
 public:
  int id(const std::string& name) {
    auto [it, added] = ids_.try_emplace(name, static_cast<int>(names_.size()));
    if (added) names_.push_back(name);
    return it->second;
  }
  const std::string& name(int id) const { return names_[id]; }
  // The id of a name already numbered, or -1.
  int find(const std::string& name) const {
    auto it = ids_.find(name);
    return it == ids_.end() ? -1 : it->second;
  }
  size_t size() const { return names_.size(); }
  size_t words() const { return (names_.size() + 63) / 64; }

 private:
  std::unordered_map<std::string, int> ids_;
  std::vector<std::string> names_;
};

inline uint64_t bit_of(size_t i) {
  return uint64_t{1} << (i % 64);
}
inline void set_bit(Bits& b, size_t i) {
  b[i / 64] |= uint64_t{1} << (i % 64);
}
inline bool test_bit(const Bits& b, size_t i) {
  return (b[i / 64] >> (i % 64)) & 1;
}

// The bits of every name in s (all of which must already have ids).
inline Bits to_bits(NameIds& ids, const NameSet& s, size_t words) {
  Bits b(words, 0);
  for (const auto& n : s) set_bit(b, ids.id(n));
  return b;
}

inline NameSet to_names(const NameIds& ids, const Bits& b) {
  NameSet r;
  for (size_t w = 0; w < b.size(); ++w)
    for (uint64_t x = b[w]; x; x &= x - 1) r.insert(ids.name(w * 64 + __builtin_ctzll(x)));
  return r;
}

}  // namespace xag::analysis
