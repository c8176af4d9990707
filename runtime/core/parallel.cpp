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
// several threads serialize on job_mu_ (nested calls from inside a job run inline instead).
// Chunks are claimed from one atomic word holding (job generation << 32 | next chunk), so a
// worker that is late from a previous job can never claim a chunk of the next one; job
// parameters are copied under mu_ when a worker wakes up.
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
    Job job{call, ctx, n, std::min<int64_t>(threads, max_chunks), 0};
    {
      std::lock_guard<std::mutex> lk(mu_);
      job.gen = ++generation_ & 0xffffffffu;
      job_ = job;
      pending_ = job.chunks;
      next_.store(job.gen << 32, std::memory_order_release);
    }
    cv_.notify_all();
    tls_in_job = true;
    work(job);
    tls_in_job = false;
    std::unique_lock<std::mutex> lk(mu_);
    done_cv_.wait(lk, [&] { return pending_ == 0; });
  }

 private:
  struct Job {
    void (*call)(void*, int64_t, int64_t);
    void* ctx;
    int64_t n, chunks;
    uint64_t gen;
  };

  // Claims and runs chunks of `job` until none is left.
  void work(const Job& job) {
    for (;;) {
      uint64_t v = next_.load(std::memory_order_acquire);
      uint64_t c;
      do {
        if ((v >> 32) != job.gen) return;
        c = v & 0xffffffffu;
        if (static_cast<int64_t>(c) >= job.chunks) return;
      } while (!next_.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel));
      const int64_t b = job.n * static_cast<int64_t>(c) / job.chunks;
      const int64_t e = job.n * static_cast<int64_t>(c + 1) / job.chunks;
      job.call(job.ctx, b, e);
      std::lock_guard<std::mutex> lk(mu_);
      if (--pending_ == 0) done_cv_.notify_all();
    }
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
      Job job;
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [&] { return generation_ != seen; });
        seen = generation_;
        job = job_;
      }
      work(job);
    }
  }

  static thread_local bool tls_in_job;
  std::mutex job_mu_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  Job job_{};
  int64_t pending_ = 0;
  std::atomic<uint64_t> next_{0};
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
