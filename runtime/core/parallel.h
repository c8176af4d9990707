// A small persistent thread pool for splitting big kernels across cores. Threads are created once
// (lazily) and reused; a call below the size threshold runs inline on the caller with no
// synchronization at all, so small and scalar ops pay nothing. Between jobs the workers spin
// briefly before they sleep, so the back-to-back jobs of a staged loop do not pay a futex
// wake-up each.
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
// Changes the thread count (>= 1) and ends a solo stretch (see parallel.cpp, Pool::judge); not
// to be called while a parallel_for is running.
void set_num_threads(int n);

namespace detail {
void parallel_for_impl(int64_t n, int64_t min_chunk, int chunks_per_thread,
                       void (*call)(void*, int64_t, int64_t), void* ctx);

template <class Fn>
void parallel_for_chunks(int64_t n, int64_t min_chunk, int chunks_per_thread, Fn&& fn) {
  if (n <= 0) return;
  if (n < 2 * min_chunk || num_threads() <= 1) {
    fn(int64_t{0}, n);
    return;
  }
  using F = std::remove_reference_t<Fn>;
  parallel_for_impl(
      n, min_chunk, chunks_per_thread,
      [](void* ctx, int64_t b, int64_t e) { (*static_cast<F*>(ctx))(b, e); },
      const_cast<void*>(static_cast<const void*>(&fn)));
}
}  // namespace detail

// Runs fn(begin, end) over disjoint chunks covering [0, n), each at least min_chunk long, on the
// pool and the calling thread; returns when all are done. fn must not throw: record errors and
// raise them after the call. Runs inline when n < 2 * min_chunk or only one thread is configured.
// One chunk per thread, so the chunk boundaries depend only on n and the thread count: callers
// that combine float partial sums per chunk keep the rounding they always had.
template <class Fn>
void parallel_for(int64_t n, int64_t min_chunk, Fn&& fn) {
  detail::parallel_for_chunks(n, min_chunk, 1, std::forward<Fn>(fn));
}

// parallel_for for work whose result does not depend on how it is split (element-wise ops,
// max/min): up to kBalanceChunks chunks per thread, claimed dynamically, so a thread that starts
// late (a worker waking up, or preempted on a busy machine) takes fewer chunks instead of
// leaving the others waiting for its share.
inline constexpr int kBalanceChunks = 4;
template <class Fn>
void parallel_for_balanced(int64_t n, int64_t min_chunk, Fn&& fn) {
  detail::parallel_for_chunks(n, min_chunk, kBalanceChunks, std::forward<Fn>(fn));
}

}  // namespace xag::rt
