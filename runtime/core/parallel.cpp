#include "runtime/core/parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
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

// Workers take jobs as follows. One job at a time: parallel_for calls from several threads
// serialize on job_mu_ (nested calls from inside a job run inline instead). Chunks are claimed
// from one atomic word holding (job generation << 32 | next chunk), so a worker that is late from
// a previous job can never claim a chunk of the next one; job parameters are copied under mu_
// when a worker sees a new generation.
//
// Waiting is spin-then-sleep on both sides. After a job a worker polls the generation for up to
// kSpin before it sleeps on cv_, and the caller polls the pending-chunk count for up to kSpin
// before it sleeps on done_cv_. A staged loop runs its big ops back to back, microseconds apart:
// with sleeping alone every op paid a futex wake-up of the worker and one of the caller (SPEC §6
// newton on the 2-core VM: futex wait/wake about 8% of all samples, and the woken worker
// started late on the op it was woken for).
class Pool {
 public:
  static Pool& get() {
    static Pool* pool = new Pool();  // leaked on purpose: no join races at process exit
    return *pool;
  }

  void run(int64_t n, int64_t min_chunk, int chunks_per_thread,
           void (*call)(void*, int64_t, int64_t), void* ctx, int threads) {
    if (tls_in_job) {  // nested: stay on this thread
      call(ctx, 0, n);
      return;
    }
    std::lock_guard<std::mutex> job_lock(job_mu_);
    if (solo_jobs_ > 0) {  // helpers were recently slower than none (see judge)
      --solo_jobs_;
      call(ctx, 0, n);
      return;
    }
    ensure_workers(threads - 1);
    const int64_t max_chunks = std::max<int64_t>(1, n / min_chunk);
    const int64_t chunks = std::min<int64_t>(int64_t{threads} * chunks_per_thread, max_chunks);
    Job job{call, ctx, n, chunks, 0};
    bool wake;
    {
      std::lock_guard<std::mutex> lk(mu_);
      job.gen = (generation_.load(std::memory_order_relaxed) + 1) & 0xffffffffu;
      job_ = job;
      pending_.store(job.chunks, std::memory_order_relaxed);
      next_.store(job.gen << 32, std::memory_order_release);
      generation_.store(job.gen, std::memory_order_release);
      wake = sleepers_ > 0;  // read under mu_: a worker going to sleep has counted itself
    }
    if (wake) cv_.notify_all();
    const Clock::time_point start = Clock::now();
    tls_in_job = true;
    const int64_t own_chunks = work(job);
    tls_in_job = false;
    const Clock::time_point own_done = Clock::now();
    wait_done();
    judge(job.chunks, own_chunks, own_done - start, Clock::now() - start);
  }

  // Forgets the helpers' measured pace (a new thread count makes it meaningless).
  void reset_pace() {
    std::lock_guard<std::mutex> job_lock(job_mu_);
    solo_jobs_ = 0;
    solo_len_ = kMinSolo;
  }

 private:
  struct Job {
    void (*call)(void*, int64_t, int64_t);
    void* ctx;
    int64_t n, chunks;
    uint64_t gen;
  };

  // About the gap between the ops of a staged loop iteration plus the Python call overhead
  // between two calls of a staged function; short enough that an idle pool soon stops using
  // the CPU.
  static constexpr auto kSpin = std::chrono::microseconds(200);

  // Polls `ready` for up to kSpin; true once it holds.
  template <class Ready>
  static bool spin_until(Ready ready) {
    if (ready()) return true;
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (;;) {
      for (int i = 0; i < 64; ++i) {
        if (ready()) return true;
        cpu_relax();
      }
      if (std::chrono::steady_clock::now() >= until) return ready();
    }
  }

  static void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  using Clock = std::chrono::steady_clock;

  void wait_done() {
    if (spin_until([&] { return pending_.load(std::memory_order_acquire) == 0; })) return;
    std::unique_lock<std::mutex> lk(mu_);
    done_cv_.wait(lk, [&] { return pending_.load(std::memory_order_acquire) == 0; });
  }

  // Straggler check, after each job. On a machine busy with other processes a worker can share
  // the caller's core or be preempted in the middle of a chunk, and the caller then waits for
  // that chunk longer than it would have taken to run the whole job alone (newton with the
  // second core busy: 2 threads about 40% slower than 1 at the 10th percentile). When a job took
  // over 1.25x what the caller's own pace over all chunks predicts, the next jobs run on the
  // caller alone: 16, doubling while it keeps happening (up to 4096), back to 16 after a job
  // where the helpers paid off.
  void judge(int64_t chunks, int64_t own_chunks, Clock::duration own, Clock::duration total) {
    // The caller ran nothing (no pace to compare with) or everything (helpers cost nothing).
    if (own_chunks <= 0 || own_chunks >= chunks) return;
    if (4 * total.count() * own_chunks > 5 * own.count() * chunks) {  // 1.25x: slack for noise
      solo_jobs_ = solo_len_;
      solo_len_ = std::min(solo_len_ * 2, kMaxSolo);
    } else {
      solo_len_ = kMinSolo;
    }
  }

  // Claims and runs chunks of `job` until none is left; returns how many it ran.
  int64_t work(const Job& job) {
    int64_t ran = 0;
    for (;;) {
      uint64_t v = next_.load(std::memory_order_acquire);
      uint64_t c;
      do {
        if ((v >> 32) != job.gen) return ran;
        c = v & 0xffffffffu;
        if (static_cast<int64_t>(c) >= job.chunks) return ran;
      } while (!next_.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel));
      const int64_t b = job.n * static_cast<int64_t>(c) / job.chunks;
      const int64_t e = job.n * static_cast<int64_t>(c + 1) / job.chunks;
      job.call(job.ctx, b, e);
      ++ran;
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        // The caller may be asleep on done_cv_; taking mu_ orders this notify after its check.
        std::lock_guard<std::mutex> lk(mu_);
        done_cv_.notify_all();
      }
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
      if (!spin_until([&] { return generation_.load(std::memory_order_acquire) != seen; })) {
        std::unique_lock<std::mutex> lk(mu_);
        ++sleepers_;
        cv_.wait(lk, [&] { return generation_.load(std::memory_order_relaxed) != seen; });
        --sleepers_;
      }
      Job job;
      {
        std::lock_guard<std::mutex> lk(mu_);
        seen = generation_.load(std::memory_order_relaxed);
        job = job_;
      }
      work(job);
    }
  }

  static constexpr int64_t kMinSolo = 16, kMaxSolo = 4096;

  static thread_local bool tls_in_job;
  std::mutex job_mu_;
  int64_t solo_jobs_ = 0;        // jobs still to run on the caller alone; guarded by job_mu_
  int64_t solo_len_ = kMinSolo;  // length of the next solo stretch; guarded by job_mu_
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  Job job_{};                            // guarded by mu_
  int sleepers_ = 0;                     // workers waiting on cv_; guarded by mu_
  std::atomic<int64_t> pending_{0};      // chunks of the current job not finished yet
  std::atomic<uint64_t> next_{0};        // generation << 32 | next chunk to claim
  std::atomic<uint64_t> generation_{0};  // written under mu_
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
  Pool::get().reset_pace();
}

namespace detail {
void parallel_for_impl(int64_t n, int64_t min_chunk, int chunks_per_thread,
                       void (*call)(void*, int64_t, int64_t), void* ctx) {
  Pool::get().run(n, std::max<int64_t>(1, min_chunk), std::max(1, chunks_per_thread), call, ctx,
                  num_threads());
}
}  // namespace detail

}  // namespace xag::rt
