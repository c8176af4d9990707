#include "runtime/backend/cuda/caching_allocator.h"

#include <utility>

namespace xag::rt::cuda {

namespace {
constexpr size_t kMinClass = 256;
}  // namespace

size_t CachingAllocator::size_class(size_t bytes) {
  if (bytes <= kMinClass) return kMinClass;
  // The power of two p with p <= bytes < 2p, then the first quarter step of p that holds bytes.
  size_t p = kMinClass;
  while (p <= bytes / 2) p *= 2;
  const size_t quarter = p / 4;
  return (bytes + quarter - 1) / quarter * quarter;
}

CachingAllocator::~CachingAllocator() {
  std::lock_guard<std::mutex> lk(mu_);
  release_cached_locked();
  // Live blocks belong to tensors that may outlive the allocator (static destruction order);
  // they are left to the driver, which frees everything at process exit.
}

void* CachingAllocator::allocate(size_t bytes) {
  const size_t cls = size_class(bytes);
  std::lock_guard<std::mutex> lk(mu_);
  auto it = free_.find(cls);
  void* p = nullptr;
  if (it != free_.end() && !it->second.empty()) {
    p = it->second.back();
    it->second.pop_back();
    ++stats_.hits;
    stats_.bytes_cached -= static_cast<int64_t>(cls);
  } else {
    p = raw_.alloc(cls);
    if (!p) {  // out of memory: give the cache back and try once more
      release_cached_locked();
      p = raw_.alloc(cls);
      if (!p) return nullptr;
    }
    ++stats_.raw_allocs;
  }
  live_.emplace(p, cls);
  stats_.bytes_in_use += static_cast<int64_t>(cls);
  return p;
}

void CachingAllocator::hold(bool on) {
  std::lock_guard<std::mutex> lk(mu_);
  holding_ = on;
}

std::vector<void*> CachingAllocator::take_held() {
  std::lock_guard<std::mutex> lk(mu_);
  return std::exchange(held_, {});
}

void CachingAllocator::deallocate(void* p) {
  std::lock_guard<std::mutex> lk(mu_);
  auto it = live_.find(p);
  if (it == live_.end()) return;
  if (holding_) {
    held_.push_back(p);
    return;
  }
  const size_t cls = it->second;
  live_.erase(it);
  free_[cls].push_back(p);
  stats_.bytes_in_use -= static_cast<int64_t>(cls);
  stats_.bytes_cached += static_cast<int64_t>(cls);
}

void CachingAllocator::release_cached() {
  std::lock_guard<std::mutex> lk(mu_);
  release_cached_locked();
}

void CachingAllocator::release_cached_locked() {
  for (auto& [cls, blocks] : free_) {
    for (void* p : blocks) {
      raw_.free(p);
      ++stats_.raw_frees;
    }
    blocks.clear();
  }
  stats_.bytes_cached = 0;
}

AllocatorStats CachingAllocator::stats() const {
  std::lock_guard<std::mutex> lk(mu_);
  return stats_;
}

}  // namespace xag::rt::cuda
