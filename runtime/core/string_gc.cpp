// Collection of the intern table (strings.h explains the design): registered string buffers are
// the roots; runs of graphs hold a StringUse, and a collection needs every run out of the way.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <unordered_set>

#include "runtime/core/string_table.h"
#include "runtime/core/strings.h"

namespace xag::rt {

namespace {

// A string buffer's header, right before its elements: a link of the list of roots (intrusive:
// registering costs no allocation of its own). kHeaderBytes keeps the elements 64-byte aligned.
struct BufferHeader {
  BufferHeader* prev;
  BufferHeader* next;
  size_t count;
};
constexpr size_t kBufferAlignment = 64;
constexpr size_t kHeaderBytes = kBufferAlignment;
static_assert(sizeof(BufferHeader) <= kHeaderBytes);

// The live string buffers: a circular list through `head`.
struct Roots {
  std::mutex mu;
  BufferHeader head{&head, &head, 0};
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
  for (const BufferHeader* b = r.head.next; b != &r.head; b = b->next) {
    const StrRef* e =
        reinterpret_cast<const StrRef*>(reinterpret_cast<const char*>(b) + kHeaderBytes);
    for (size_t i = 0, n = b->count; i < n; ++i)
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

void unlink_and_free(BufferHeader* b) {
  {
    Roots& r = roots();
    std::lock_guard<std::mutex> lk(r.mu);  // first: a collection may be reading it
    b->prev->next = b->next;
    b->next->prev = b->prev;
  }
  std::free(b);
}

// Freed one-element buffers this thread keeps for its next 0-d strings: they stay linked (their
// element zeroed, it marks nothing), so reusing one costs no allocation and no lock. A staged
// or eager step that makes a few 0-d strings then pays about what an inline scalar costs.
// Trivially destructible, so tensors freed during the thread's (or the process's) exit, after
// CacheFlush ran, still find it usable: closed, they free their buffers directly.
struct ScalarCache {
  static constexpr size_t kMax = 32;
  BufferHeader* blocks[kMax];
  size_t n;
  bool flush_armed;
  bool closed;
};
thread_local ScalarCache scalar_cache{};

struct CacheFlush {
  ~CacheFlush() {
    scalar_cache.closed = true;
    while (scalar_cache.n) unlink_and_free(scalar_cache.blocks[--scalar_cache.n]);
  }
};
thread_local CacheFlush cache_flush;

}  // namespace

void* allocate_string_buffer(size_t count) {
  if (count == 1 && scalar_cache.n) {
    return reinterpret_cast<char*>(scalar_cache.blocks[--scalar_cache.n]) + kHeaderBytes;
  }
  const size_t bytes = kHeaderBytes + count * sizeof(StrRef);
  // aligned_alloc's size must be a multiple of the alignment (C11).
  const size_t rounded = (bytes + kBufferAlignment - 1) / kBufferAlignment * kBufferAlignment;
  auto* b = static_cast<BufferHeader*>(std::aligned_alloc(kBufferAlignment, rounded));
  if (!b) return nullptr;
  char* data = reinterpret_cast<char*>(b) + kHeaderBytes;
  std::memset(data, 0, count * sizeof(StrRef));  // the collector reads every element
  b->count = count;
  Roots& r = roots();
  std::lock_guard<std::mutex> lk(r.mu);
  b->prev = &r.head;
  b->next = r.head.next;
  r.head.next->prev = b;
  r.head.next = b;
  return data;
}

void free_string_buffer(void* data) {
  auto* b = reinterpret_cast<BufferHeader*>(static_cast<char*>(data) - kHeaderBytes);
  ScalarCache& c = scalar_cache;
  if (b->count == 1 && c.n < ScalarCache::kMax && !c.closed) {
    if (!c.flush_armed) {
      (void)&cache_flush;  // constructs it: its destructor empties the cache at thread exit
      c.flush_armed = true;
    }
    *static_cast<StrRef*>(data) = StrRef{};
    c.blocks[c.n++] = b;
    return;
  }
  unlink_and_free(b);
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
