// Collection of the intern table (strings.h explains the design): registered string buffers are
// the roots; runs of graphs hold a StringUse, and a collection needs every run out of the way.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "runtime/core/string_table.h"
#include "runtime/core/strings.h"

namespace xag::rt {

namespace {

// The live host buffers of string elements: data -> element count.
struct Roots {
  std::mutex mu;
  std::unordered_map<const void*, size_t> buffers;
};

Roots& roots() {
  static Roots* r = new Roots();  // leaked: tensors freed during static destruction unregister
  return *r;
}

// Runs hold it shared (StringUse); a collection holds it exclusively, and only ever tries.
std::shared_mutex& runs() {
  static std::shared_mutex* m = new std::shared_mutex();
  return *m;
}

thread_local int use_depth = 0;  // StringUse nesting on this thread

// The table size at which the next collection is due (see strings.h's "pace").
std::atomic<size_t> next_due{kMinGrowthBytes};

bool due() {
  return detail::intern_table().bytes.load(std::memory_order_relaxed) >=
         next_due.load(std::memory_order_relaxed);
}

// Mark and sweep; the caller holds runs() exclusively. Marking reads every registered buffer's
// elements as candidate refs: an element that is not an entry's address (zeros, an unfilled
// buffer's bytes) marks nothing, and no element is ever dereferenced.
size_t mark_and_sweep() {
  Roots& r = roots();
  detail::InternTable& t = detail::intern_table();
  std::lock_guard<std::mutex> lr(r.mu);  // buffers can neither come nor go meanwhile
  std::lock_guard<std::mutex> lt(t.mu);
  std::unordered_set<const void*> marked;
  marked.reserve(t.strings.size());
  for (const auto& [data, count] : r.buffers) {
    const StrRef* e = static_cast<const StrRef*>(data);
    for (size_t i = 0; i < count; ++i)
      if (e[i].rep) marked.insert(e[i].rep);
  }
  size_t freed = 0;
  size_t bytes = t.bytes.load(std::memory_order_relaxed);
  for (auto it = t.strings.begin(); it != t.strings.end();) {
    if (marked.count(&*it)) {
      ++it;
      continue;
    }
    bytes -= detail::entry_bytes(*it);
    it = t.strings.erase(it);
    ++freed;
  }
  if (freed > t.strings.size()) t.strings.rehash(0);  // shrink the buckets too (nodes stay put)
  t.bytes.store(bytes, std::memory_order_relaxed);
  next_due.store(bytes + std::max(bytes, kMinGrowthBytes), std::memory_order_relaxed);
  return freed;
}

}  // namespace

void register_string_buffer(const void* data, size_t count) {
  Roots& r = roots();
  std::lock_guard<std::mutex> lk(r.mu);
  r.buffers.emplace(data, count);
}

void unregister_string_buffer(const void* data) {
  Roots& r = roots();
  std::lock_guard<std::mutex> lk(r.mu);
  r.buffers.erase(data);
}

StringUse::StringUse() {
  if (use_depth++ == 0) runs().lock_shared();
}

StringUse::~StringUse() {
  if (--use_depth == 0) runs().unlock_shared();
}

size_t collect_strings() {
  if (use_depth > 0 || !runs().try_lock()) return 0;
  const size_t freed = mark_and_sweep();
  runs().unlock();
  return freed;
}

void collect_strings_if_due() {
  if (due()) collect_strings();
}

size_t string_safe_point(bool force) {
  if (use_depth != 1 || !(force || due())) return 0;
  size_t freed = 0;
  runs().unlock_shared();
  if (runs().try_lock()) {
    freed = mark_and_sweep();
    runs().unlock();
  }
  runs().lock_shared();
  return freed;
}

}  // namespace xag::rt
