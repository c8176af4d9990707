// The intern table behind strings.h, shared by interning (strings.cpp) and the collector
// (string_gc.cpp). Internal to runtime/core.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_set>

namespace xag::rt::detail {

// Node-based: an element's address never changes while it is in the set, so it is the ref.
struct InternTable {
  std::mutex mu;
  std::unordered_set<std::string> strings;
  // Approximate footprint of `strings` (entry_bytes of each); written under mu, read without it
  // by the collector's cheap "is one due" test.
  std::atomic<size_t> bytes{0};
};

// Leaked: refs stay valid during static destruction.
inline InternTable& intern_table() {
  static InternTable* t = new InternTable();
  return *t;
}

// What one entry costs: its text plus the hash node (next pointer, cached hash, std::string)
// and the malloc headers, rounded to the figures glibc gives for short strings.
inline size_t entry_bytes(const std::string& s) {
  constexpr size_t kNode = 64;
  return kNode + (s.size() > 15 ? s.size() + 1 + 16 : 0);
}

}  // namespace xag::rt::detail
