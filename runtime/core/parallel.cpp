#include "runtime/core/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace xag::rt {

namespace {

int default_threads() {
  if (const char* env = std::getenv("XAG_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n >= 1) return n;
  }
  unsigned hw = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp(hw, 1u, 8u));
}

std::atomic<int> g_threads{0};

// Workers sleep on a condition variable between jobs. One job at a time: parallel_for calls from
// several threads serialize on job_mu (nested calls from inside a job run inline instead).
class Pool {
 public:
  static Pool& get() {
    static Pool* pool = new Pool();  // leaked on purpose: no join races at process exit
    return *pool;
  }

  void run(int64_t n, int64_t min_chunk, void (*call)(void*, int64_t, int64_t), void* ctx,
           int threads) {
    if (tls_in_job) {  // nested: stay on this thread
      call(ctx, 0, n);
      return;
    }
    std::lock_guard<std::mutex> job_lock(job_mu_);
    ensure_workers(threads - 1);
    const int64_t max_chunks = std::max<int64_t>(1, n / min_chunk);
    const int64_t chunks = std::min<int64_t>(threads, max_chunks);
    {
      std::lock_guard<std::mutex> lk(mu_);
      call_ = call;
      ctx_ = ctx;
      n_ = n;
      chunks_ = chunks;
      next_.store(1, std::memory_order_release);  // chunk 0 is the caller's; publishes call_
      pending_ = chunks - 1;
      ++generation_;
    }
    cv_.notify_all();
    tls_in_job = true;
    run_chunk(0);
    // Help with chunks no worker picked up yet, then wait for the rest.
    for (int64_t c; (c = next_.fetch_add(1)) < chunks_;) {
      run_chunk(c);
      finish_one();
    }
    tls_in_job = false;
    std::unique_lock<std::mutex> lk(mu_);
    done_cv_.wait(lk, [&] { return pending_ == 0; });
  }

 private:
  void run_chunk(int64_t c) {
    const int64_t b = n_ * c / chunks_, e = n_ * (c + 1) / chunks_;
    call_(ctx_, b, e);
  }
  void finish_one() {
    std::lock_guard<std::mutex> lk(mu_);
    if (--pending_ == 0) done_cv_.notify_one();
  }
  void ensure_workers(int n) {
    while (static_cast<int>(workers_.size()) < n) {
      workers_.emplace_back([this] { worker_loop(); });
      workers_.back().detach();
    }
  }
  void worker_loop() {
    tls_in_job = true;
    uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [&] { return generation_ != seen; });
        seen = generation_;
      }
      for (int64_t c; (c = next_.fetch_add(1)) < chunks_;) {
        run_chunk(c);
        finish_one();
      }
    }
  }

  static thread_local bool tls_in_job;
  std::mutex job_mu_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  void (*call_)(void*, int64_t, int64_t) = nullptr;
  void* ctx_ = nullptr;
  int64_t n_ = 0, chunks_ = 0, pending_ = 0;
  std::atomic<int64_t> next_{0};
  uint64_t generation_ = 0;
};

thread_local bool Pool::tls_in_job = false;

}  // namespace

int num_threads() {
  int n = g_threads.load(std::memory_order_relaxed);
  if (n == 0) {
    n = default_threads();
    g_threads.store(n, std::memory_order_relaxed);
  }
  return n;
}

void set_num_threads(int n) {
  g_threads.store(std::max(1, n), std::memory_order_relaxed);
}

namespace detail {
void parallel_for_impl(int64_t n, int64_t min_chunk, void (*call)(void*, int64_t, int64_t),
                       void* ctx) {
  Pool::get().run(n, std::max<int64_t>(1, min_chunk), call, ctx, num_threads());
}
}  // namespace detail

}  // namespace xag::rt
