// A small persistent thread pool for splitting big kernels across cores. Threads are created once
// (lazily) and reused; a call below the size threshold runs inline on the caller with no
// synchronization at all, so small and scalar ops pay nothing.
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

namespace xag::rt {

// Element count from which element-wise kernels go parallel (2^16, SPEC brief).
inline constexpr int64_t kParallelThreshold = int64_t{1} << 16;

// Threads used by parallel_for, the caller included. Defaults to the hardware concurrency (capped
// at 8) or the XAG_NUM_THREADS environment variable.
int num_threads();
// Changes the thread count (>= 1); not to be called while a parallel_for is running.
void set_num_threads(int n);

namespace detail {
void parallel_for_impl(int64_t n, int64_t min_chunk, void (*call)(void*, int64_t, int64_t),
                       void* ctx);
}  // namespace detail

// Runs fn(begin, end) over disjoint chunks covering [0, n), each at least min_chunk long, on the
// pool and the calling thread; returns when all are done. fn must not throw: record errors and
// raise them after the call. Runs inline when n < 2 * min_chunk or only one thread is configured.
template <class Fn>
void parallel_for(int64_t n, int64_t min_chunk, Fn&& fn) {
  if (n <= 0) return;
  if (n < 2 * min_chunk || num_threads() <= 1) {
    fn(int64_t{0}, n);
    return;
  }
  using F = std::remove_reference_t<Fn>;
  detail::parallel_for_impl(
      n, min_chunk, [](void* ctx, int64_t b, int64_t e) { (*static_cast<F*>(ctx))(b, e); },
      const_cast<void*>(static_cast<const void*>(&fn)));
}

}  // namespace xag::rt
