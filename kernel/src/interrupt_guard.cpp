#include "interrupt_guard.hpp"

#include <Python.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>

namespace xag {
namespace {

constexpr int kMaxCallbacks = 16;

struct callback_slot {
  std::atomic<bool> taken{false};
  std::atomic<xag_interrupt_callback> fn{nullptr};
  std::atomic<void*> data{nullptr};
};

std::atomic<unsigned long long> g_interrupt_count{0};
callback_slot g_callbacks[kMaxCallbacks];

// CPython's SIGINT handler only sets a flag that the interpreter checks between bytecodes. A
// SIGINT that lands after the last check and before a blocking call (time.sleep, select, a lock)
// is noticed only when that call returns, maybe minutes later; so is one that Linux gave to a
// thread the user started during a cell (it inherits the cell's unblocked mask). After a SIGINT
// in a cell, the "nudge" timer sends the main thread a no-op signal a few times: its blocking
// call fails with EINTR, and CPython checks the flag before it retries (PEP 475). A nudge that
// comes after the KeyboardInterrupt was raised only makes a syscall retry.
constexpr int kNudges = 3;  // 20, 120 and 220 ms: a main thread preempted in the window gets more
constexpr long kFirstNudgeNs = 20'000'000;  // long enough for a plain wake-up to win the race
constexpr long kNudgeIntervalNs = 100'000'000;
int g_nudge_signal = 0;  // a real-time signal; 0 until prepare_interrupt_nudge() ran
timer_t g_nudge_timer;
std::atomic<bool> g_cell_running{false};
std::atomic<unsigned long long> g_count_at_cell_start{0};
std::atomic<int> g_nudges_left{0};

void set_nudge_timer(long first_ns, long interval_ns) {
  struct itimerspec when {};
  when.it_value.tv_nsec = first_ns;
  when.it_interval.tv_nsec = interval_ns;
  timer_settime(g_nudge_timer, 0, &when, nullptr);  // async-signal-safe (POSIX)
}

void on_nudge(int) {
  if (g_nudges_left.fetch_sub(1, std::memory_order_relaxed) <= 1) set_nudge_timer(0, 0);
}

// The handler we chain to. Only written while SIGINT is blocked in every thread that could run
// on_sigint, so the handler never sees a half-written value.
struct sigaction g_previous;

void on_sigint(int sig, siginfo_t* info, void* context) {
  int saved_errno = errno;
  g_interrupt_count.fetch_add(1, std::memory_order_relaxed);
  for (callback_slot& slot : g_callbacks) {
    xag_interrupt_callback fn = slot.fn.load(std::memory_order_acquire);
    if (fn != nullptr) fn(slot.data.load(std::memory_order_acquire));
  }
  if (g_nudge_signal != 0 && g_cell_running.load(std::memory_order_relaxed)) {
    g_nudges_left.store(kNudges, std::memory_order_relaxed);
    set_nudge_timer(kFirstNudgeNs, kNudgeIntervalNs);
  }
  if (g_previous.sa_flags & SA_SIGINFO) {
    if (g_previous.sa_sigaction != nullptr) g_previous.sa_sigaction(sig, info, context);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN &&
             g_previous.sa_handler != nullptr) {
    g_previous.sa_handler(sig);
  }
  errno = saved_errno;
}

bool is_ours(const struct sigaction& action) {
  return (action.sa_flags & SA_SIGINFO) && action.sa_sigaction == &on_sigint;
}

// Installs on_sigint unless it is already there. If user code replaced the handler (e.g.
// `signal.signal(SIGINT, f)` re-installs Python's C handler), we chain to the new one. When the
// handler is SIG_DFL or SIG_IGN, the user asked for exactly that: leave it alone.
void ensure_chain() {
  struct sigaction current;
  if (sigaction(SIGINT, nullptr, &current) != 0 || is_ours(current)) return;
  if (!(current.sa_flags & SA_SIGINFO) &&
      (current.sa_handler == SIG_DFL || current.sa_handler == SIG_IGN)) {
    return;
  }
  g_previous = current;
  struct sigaction ours = current;
  ours.sa_flags = (current.sa_flags | SA_SIGINFO) & ~SA_RESETHAND;
  ours.sa_sigaction = &on_sigint;
  sigaction(SIGINT, &ours, nullptr);
}

// SIGINT and, once prepared, the nudge signal: they are blocked and unblocked together.
sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  if (g_nudge_signal != 0) sigaddset(&set, g_nudge_signal);
  return set;
}

// Takes a SIGINT (or nudge) pending on this thread or the process, without running a handler.
void drop_pending_sigint() {
  const sigset_t set = interrupt_signals();
  struct timespec zero = {0, 0};
  while (sigtimedwait(&set, nullptr, &zero) > 0) {
  }
}

// Python may have noted a SIGINT while no cell ran (its handler only sets a flag). Running the
// pending handlers now and dropping their exception keeps a stale interrupt from hitting the
// next cell or a completion request. Needs the GIL.
void clear_python_pending_signals() {
  if (Py_IsInitialized() && PyGILState_Check()) {
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    if (PyErr_CheckSignals() != 0) PyErr_Clear();
    PyErr_Restore(type, value, traceback);
  }
}

void set_sigint_mask(int how) {
  const sigset_t set = interrupt_signals();
  pthread_sigmask(how, &set, nullptr);
}

unsigned long long api_interrupt_count() {
  return g_interrupt_count.load(std::memory_order_relaxed);
}

int api_add_callback(xag_interrupt_callback fn, void* data) {
  if (fn == nullptr) return -1;
  for (int i = 0; i < kMaxCallbacks; ++i) {
    if (!g_callbacks[i].taken.exchange(true, std::memory_order_acq_rel)) {
      // Publish data before fn: the handler reads fn first and only then data.
      g_callbacks[i].data.store(data, std::memory_order_release);
      g_callbacks[i].fn.store(fn, std::memory_order_release);
      return i;
    }
  }
  return -1;
}

void api_remove_callback(int id) {
  if (id < 0 || id >= kMaxCallbacks) return;
  g_callbacks[id].fn.store(nullptr, std::memory_order_release);
  g_callbacks[id].data.store(nullptr, std::memory_order_release);
  g_callbacks[id].taken.store(false, std::memory_order_release);
}

const xag_interrupt_api g_api = {XAG_INTERRUPT_API_VERSION, &api_interrupt_count, &api_add_callback,
                                 &api_remove_callback};

}  // namespace

void reset_inherited_sigint() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(SIGINT, &dfl, nullptr);
}

void block_sigint() {
  set_sigint_mask(SIG_BLOCK);
}

void prepare_interrupt_nudge() {
  const int signal = SIGRTMIN + 3;  // glibc keeps the ones below SIGRTMIN; +3 leaves room
  struct sigaction nudge {};
  nudge.sa_handler = &on_nudge;
  nudge.sa_flags = 0;  // no SA_RESTART: the point is that the blocking call returns EINTR
  sigemptyset(&nudge.sa_mask);
  struct sigevent target {};
  target.sigev_notify = SIGEV_THREAD_ID;
  target.sigev_signo = signal;
  // glibc 2.36 has no sigev_notify_thread_id accessor yet; this is the field it names.
  target._sigev_un._tid = static_cast<pid_t>(syscall(SYS_gettid));
  if (sigaction(signal, &nudge, nullptr) != 0) return;
  if (timer_create(CLOCK_MONOTONIC, &target, &g_nudge_timer) != 0) return;
  g_nudge_signal = signal;
  set_sigint_mask(SIG_BLOCK);
}

void hold_nudges(bool hold) {
  if (g_nudge_signal == 0 || !g_cell_running.load(std::memory_order_relaxed)) return;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, g_nudge_signal);
  pthread_sigmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, nullptr);
}

unsigned long long interrupts_in_cell() {
  if (!g_cell_running.load(std::memory_order_relaxed)) return 0;
  return g_interrupt_count.load(std::memory_order_relaxed) -
         g_count_at_cell_start.load(std::memory_order_relaxed);
}

void install_sigint_chain() {
  ensure_chain();
}

const xag_interrupt_api& interrupt_api() {
  return g_api;
}

void drop_idle_interrupts() {
  drop_pending_sigint();
  if (Py_IsInitialized()) {
    PyGILState_STATE state = PyGILState_Ensure();
    clear_python_pending_signals();
    PyGILState_Release(state);
  }
}

interrupt_scope::interrupt_scope() {
  ensure_chain();
  g_count_at_cell_start.store(g_interrupt_count.load(std::memory_order_relaxed),
                              std::memory_order_relaxed);
  g_cell_running.store(true, std::memory_order_relaxed);
  set_sigint_mask(SIG_UNBLOCK);
}

interrupt_scope::~interrupt_scope() {
  set_sigint_mask(SIG_BLOCK);
  g_cell_running.store(false, std::memory_order_relaxed);
  if (g_nudge_signal != 0) set_nudge_timer(0, 0);
  drop_pending_sigint();
  clear_python_pending_signals();
}

}  // namespace xag
