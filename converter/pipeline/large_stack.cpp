#include "converter/pipeline/large_stack.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <condition_variable>
#include <exception>
#include <mutex>

namespace xag::pipeline {

namespace {

// One long-lived thread per process and stack size runs the conversions: starting a thread with
// a 64 MB stack for each conversion cost ~80 us (a tenth of converting a 50-line function); a
// hand-over to a waiting thread costs a few.
class StackWorker {
 public:
  // Null when no thread could be started (the caller then runs the work itself).
  static StackWorker* start(size_t bytes) {
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) return nullptr;
    auto* worker = new StackWorker();
    bool started = false;
    if (pthread_attr_setstacksize(&attr, bytes) == 0 &&
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0) {
      // The thread starts with every signal blocked: it must never take a SIGINT meant for the
      // thread that runs the user's code (the kernel unblocks SIGINT only there, while a cell
      // runs, and a thread created inside a cell would inherit that).
      sigset_t all, previous;
      sigfillset(&all);
      pthread_sigmask(SIG_SETMASK, &all, &previous);
      pthread_t thread;
      started = pthread_create(&thread, &attr, &StackWorker::loop, worker) == 0;
      pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    }
    pthread_attr_destroy(&attr);
    if (!started) {
      delete worker;
      return nullptr;
    }
    std::unique_lock<std::mutex> lock(worker->mutex_);
    worker->done_.wait(lock, [worker] { return worker->ready_; });
    return worker;
  }

  bool is_current() const { return pthread_equal(pthread_self(), thread_) != 0; }

  void run(const std::function<void()>& work) {
    std::lock_guard<std::mutex> one_job_at_a_time(submit_);
    std::exception_ptr error;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      job_ = &work;
      error_ = nullptr;
      wake_.notify_one();
      done_.wait(lock, [this] { return job_ == nullptr; });
      error = error_;
    }
    if (error) std::rethrow_exception(error);
  }

 private:
  static void* loop(void* self) {
    auto* worker = static_cast<StackWorker*>(self);
    worker->thread_ = pthread_self();
    std::unique_lock<std::mutex> lock(worker->mutex_);
    worker->ready_ = true;
    worker->done_.notify_all();
    for (;;) {
      worker->wake_.wait(lock, [worker] { return worker->job_ != nullptr; });
      const std::function<void()>* work = worker->job_;
      lock.unlock();
      std::exception_ptr error;
      try {
        (*work)();
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      worker->error_ = error;
      worker->job_ = nullptr;
      worker->done_.notify_all();
    }
  }

  std::mutex submit_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void()>* job_ = nullptr;
  std::exception_ptr error_;
  bool ready_ = false;
  pthread_t thread_{};
};

struct WorkerSlot {
  StackWorker* worker = nullptr;
  size_t bytes = 0;
  pid_t pid = 0;  // a forked child has no copy of the thread: it starts its own
};

StackWorker* worker_for(size_t bytes) {
  static std::mutex slot_mutex;
  static WorkerSlot slot;
  std::lock_guard<std::mutex> lock(slot_mutex);
  if (slot.worker == nullptr || slot.bytes != bytes || slot.pid != getpid()) {
    // A worker left behind (other stack size, or the parent's after fork) is leaked on
    // purpose: it may still be blocked on its condition variable, and destroying it at exit
    // would race with process teardown.
    slot.worker = StackWorker::start(bytes);
    slot.bytes = bytes;
    slot.pid = getpid();
  }
  return slot.worker;
}

}  // namespace

void run_on_large_stack(const std::function<void()>& work, size_t bytes) {
  StackWorker* worker = worker_for(bytes);
  if (worker == nullptr || worker->is_current()) {
    work();
    return;
  }
  worker->run(work);
}

}  // namespace xag::pipeline
