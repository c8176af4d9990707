// A caching allocator for device memory: freed blocks go onto a free list per size class and are
// handed out again, so ops do not call cudaMalloc/cudaFree (each of which synchronizes the device
// and costs tens of microseconds). Plain C++ over a RawAllocator, so its bookkeeping is tested on
// the CPU with a fake one (tests/runtime/cuda_allocator_test.cpp).
//
// Size classes: 256 bytes at least, then four classes per power of two (x1, x1.25, x1.5, x1.75),
// so a block wastes at most 25%. One stream per device orders every kernel, so a block freed by
// one op can be reused by the next without waiting: the reuse is ordered after the last use.
// When the raw allocator fails, every cached block is released and the request is retried once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace xag::rt::cuda {

// Where blocks really come from (cudaMalloc on a device; a fake in tests).
class RawAllocator {
 public:
  virtual ~RawAllocator() = default;
  virtual void* alloc(size_t bytes) = 0;  // null when out of memory
  virtual void free(void* p) = 0;
};

struct AllocatorStats {
  int64_t raw_allocs = 0, raw_frees = 0;  // calls into the RawAllocator
  int64_t hits = 0;                       // requests served from a free list
  int64_t bytes_in_use = 0;               // by class size, of the blocks handed out
  int64_t bytes_cached = 0;               // on the free lists
};

class CachingAllocator {
 public:
  explicit CachingAllocator(RawAllocator& raw) : raw_(raw) {}
  ~CachingAllocator();
  CachingAllocator(const CachingAllocator&) = delete;
  CachingAllocator& operator=(const CachingAllocator&) = delete;

  // A block of at least `bytes` (a unique block for 0), or null when the raw allocator fails
  // even after the cache was emptied.
  void* allocate(size_t bytes);
  // Returns a block from allocate() to its free list; `p` that is not live is ignored.
  void deallocate(void* p);
  // While held (hold(true)), deallocated blocks stay out of circulation, collected for
  // hold(false) to return: a CUDA graph captured meanwhile keeps using the temporaries its
  // kernels were captured with, so no other tensor may get them while the graph lives. The
  // caller deallocates the returned blocks when it destroys the graph.
  void hold(bool on);
  std::vector<void*> take_held();
  // Gives every cached block back to the raw allocator.
  void release_cached();
  AllocatorStats stats() const;

  // The size of the class `bytes` falls into (what a block of that request really has).
  static size_t size_class(size_t bytes);

 private:
  void release_cached_locked();

  RawAllocator& raw_;
  mutable std::mutex mu_;
  std::unordered_map<size_t, std::vector<void*>> free_;  // class size -> blocks
  std::unordered_map<void*, size_t> live_;               // block -> class size
  AllocatorStats stats_;
  bool holding_ = false;
  std::vector<void*> held_;  // still live: deallocate() returns them later
};

}  // namespace xag::rt::cuda
