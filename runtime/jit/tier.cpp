// The tiering policy of tier.h, and the one background thread that compiles.
#include "runtime/jit/tier.h"

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <thread>

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/jit/native.h"

namespace xag::rt::jit {

namespace {

using clock = std::chrono::steady_clock;

double seconds_since(clock::time_point t) {
  return std::chrono::duration<double>(clock::now() - t).count();
}

// One compile thread for the process, so background compilation costs at most one core.
class Worker {
 public:
  Worker() : thread_([this] { loop(); }) {}
  // Stops after the job in progress (the process is exiting: no compile may run while it tears
  // down LLVM's globals).
  // The pending jobs are destroyed outside the lock: dropping a job may drop the last owner of
  // a program whose constants belong to the host (a NumPy array takes Python's GIL to go).
  void stop_and_join() {
    std::deque<std::function<void()>> dropped;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      dropped.swap(jobs_);
    }
    cv_.notify_all();
    dropped.clear();
    thread_.join();
  }
  void submit(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

 private:
  void loop() {
#if defined(__linux__)
    // The lowest nice level: a compile barely slows the calls it overlaps when they share a
    // core (a process pinned to one CPU, or a loaded machine): the scheduler gives this thread
    // ~1.5% of a core that a normal thread wants. Not SCHED_IDLE: with every core busy (other
    // processes, a CI machine running tests in parallel) an idle-class thread got so little
    // time that native code came tens of seconds late or never. On Linux a thread's nice value
    // is its own (setpriority with the thread id).
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
    pthread_setname_np(pthread_self(), "xag-jit");  // as top -H, gdb and /proc show it
#endif
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
        if (stop_) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stop_ = false;
  std::thread thread_;
};

// The worker of this process. A forked child (which has none of its parent's threads) makes
// its own and leaves the parent's copy alone; at exit the current process's worker is joined.
// After shutdown() no worker is made again: graphs stay interpreted.
struct WorkerSlot {
  std::mutex mutex;
  Worker* worker = nullptr;
  pid_t owner = 0;
  bool closed = false;
  void close() {
    Worker* w = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex);
      closed = true;
      if (worker && owner == getpid()) w = worker;
      worker = nullptr;
    }
    if (w) w->stop_and_join();
  }
  ~WorkerSlot() { close(); }
};

WorkerSlot& slot() {
  static WorkerSlot s;
  return s;
}

// This process's worker, or null once shut down.
Worker* worker() {
  WorkerSlot& s = slot();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.closed) return nullptr;
  if (!s.worker || s.owner != getpid()) {
    s.worker = new Worker();  // never deleted: a child's copy of the parent's is garbage
    s.owner = getpid();
  }
  return s.worker;
}

// Larger programs (Python loops unrolled by tracing: huber over 400 elements is 6000
// instructions, 5 s) compile slowly; their straight-line code gains little.
constexpr size_t kMaxInstructions = 1000;

bool has_loop(const exec::Program& p) {
  for (const exec::Instr& in : p.code)
    if (in.code == exec::Code::LoopStart) return true;
  return false;
}

}  // namespace

bool available() {
#ifdef XAG_HAVE_LLVM_JIT
  return true;
#else
  return false;
#endif
}

Mode env_mode() {
  const char* v = std::getenv("XAG_JIT");
  if (!v || !*v) return Mode::Async;
  const std::string s(v);
  if (s == "0" || s == "off" || s == "false") return Mode::Off;
  if (s == "sync") return Mode::Sync;
  return Mode::Async;
}

void shutdown() {
  slot().close();
}

Tier::Tier(Mode mode) : mode_(mode) {
  if (mode == Mode::Off) {
    state_ = State::Interpreted;
    reason_ = "JIT off (XAG_JIT=0)";
  }
}

Tier::~Tier() = default;

bool Tier::run(const std::shared_ptr<const exec::Program>& p, exec::Frame& f) {
  auto fn = reinterpret_cast<NativeFn>(fn_.load(std::memory_order_acquire));
  if (!fn) {
    if (!start(p)) return false;
    fn = reinterpret_cast<NativeFn>(fn_.load(std::memory_order_acquire));
    if (!fn) return false;
  }
  NativeCall call;
  call.f = &f;
  int64_t iterations = 0;
  const int32_t status = fn(&call, f.scalar_base(), &iterations);
  f.stats.loop_iterations += iterations;
  if (status != 0) exec::rethrow_located(f, call.error);
  return true;
}

// Starts the compilation (Idle only); true when the code is ready now (sync mode).
bool Tier::start(const std::shared_ptr<const exec::Program>& p) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (state_ != State::Idle) return false;
  requested_ = clock::now();
  if (!available()) {
    state_ = State::Interpreted;
    reason_ = "built without LLVM (XAG_WITH_JIT=OFF)";
    return false;
  }
  if (p->code.size() > kMaxInstructions) {
    state_ = State::Interpreted;
    reason_ = "too large to compile (" + std::to_string(p->code.size()) + " instructions)";
    return false;
  }
  if (mode_ == Mode::Sync) {
    lock.unlock();
    compile(*p);
    return true;
  }
  if (!has_loop(*p)) {
    state_ = State::Interpreted;
    reason_ = "no loop: the interpreter is as fast";
    return false;
  }
  Worker* w = worker();
  if (!w) {
    state_ = State::Interpreted;
    reason_ = "the JIT is shut down (process exiting)";
    return false;
  }
  state_ = State::Compiling;
  // Weak references: a graph dropped before its turn is not compiled (nor kept alive).
  std::weak_ptr<Tier> self = weak_from_this();
  std::weak_ptr<const exec::Program> program = p;
  lock.unlock();
  w->submit([self, program] {
    std::shared_ptr<Tier> t = self.lock();
    std::shared_ptr<const exec::Program> q = program.lock();
    if (t && q) t->compile(*q);
  });
  return false;
}

void Tier::compile(const exec::Program& p) {
  const auto t0 = clock::now();
  std::unique_ptr<NativeCode> code;
  std::string why;
  try {
    code = compile_native(p);
  } catch (const std::exception& e) {
    why = e.what();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  compile_seconds_ = seconds_since(t0);
  if (state_ == State::Interpreted) return;  // disabled meanwhile
  if (!code) {
    state_ = State::Interpreted;
    reason_ = "compile failed: " + why;
    if (std::getenv("XAG_JIT_LOG")) std::fprintf(stderr, "xautograph jit: %s\n", reason_.c_str());
    return;
  }
  state_ = State::Native;
  ready_seconds_ = seconds_since(requested_);
  if (std::getenv("XAG_JIT_LOG")) {
    std::fprintf(stderr, "xautograph jit: native (%zu instructions, %.1f ms)\n", p.code.size(),
                 compile_seconds_ * 1e3);
  }
  code_ = std::move(code);
  fn_.store(reinterpret_cast<void*>(code_->fn), std::memory_order_release);
}

void Tier::disable(const std::string& why) {
  std::lock_guard<std::mutex> lock(mutex_);
  state_ = State::Interpreted;
  reason_ = why;
  fn_.store(nullptr, std::memory_order_release);
}

TierInfo Tier::info() const {
  std::lock_guard<std::mutex> lock(mutex_);
  TierInfo i;
  switch (state_) {
    case State::Idle:
      i.tier = "interpreter";
      i.reason = "not run yet";
      break;
    case State::Compiling:
      i.tier = "interpreter";
      i.reason = "compiling";
      break;
    case State::Native:
      i.tier = "native";
      break;
    case State::Interpreted:
      i.tier = "interpreter";
      i.reason = reason_;
      break;
  }
  i.compile_seconds = compile_seconds_;
  i.ready_seconds = ready_seconds_;
  return i;
}

}  // namespace xag::rt::jit
