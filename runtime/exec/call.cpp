// Calls of graph functions (a recursive function staged as a `call` op, SPEC §3). Each call
// runs the callee's program in a frame of its own, so calls are re-entrant; the interpreter
// recurses on the C++ stack once per call (under 1 KB a call), which kMaxCallDepth bounds
// (Python's default recursion limit) so that a recursion whose stopping test never holds ends in
// a RecursionError at the user's line instead of overflowing the stack; a thread whose stack is
// too small even for that (a thread made with a small stack size) gets the same error when
// little of its stack is left.
#include <pthread.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/backend/placement.h"
#include "runtime/exec/program.h"

namespace xag::rt::exec {

namespace {

// Sizes `f`'s slots for `p` and fills the preset ones (each loop sets its counters at entry).
void load_program(Frame& f, const Program& p) {
  f.prog = &p;
  f.t.resize(static_cast<size_t>(p.num_tensor_slots));
  f.l.resize(static_cast<size_t>(p.num_list_slots));
  f.scratch.resize(static_cast<size_t>(p.max_inputs));
  for (const auto& [slot, value] : p.preset) {
    f.t[static_cast<size_t>(slot)] = value;
    make_inline(f.t[static_cast<size_t>(slot)]);
  }
  f.loop_it.resize(static_cast<size_t>(p.num_loops));
  f.loop_max.resize(static_cast<size_t>(p.num_loops));
}

}  // namespace

void prepare_frame(Frame& f, const Program& p, const RunOptions& options) {
  load_program(f, p);
  f.opts = &options;
  f.has_poll = static_cast<bool>(options.poll);
  f.last_check = f.last_poll = std::chrono::steady_clock::now();
  f.poll_interval = std::chrono::nanoseconds(static_cast<int64_t>(options.poll_interval_ms * 1e6));
}

namespace {

// Frames of finished calls, kept per thread with their vectors' capacity for the next call. A
// recursive function makes one call per step: allocating and constructing a fresh frame's slot
// vectors and reading the clock for it was most of what a call cost (fib(20): 15 ms, twenty
// times plain Python). A free list rather than one frame per depth: a graph run nested in
// another on the same thread (a Python callback) takes frames of its own.
class FramePool {
 public:
  std::unique_ptr<Frame> take() {
    if (free_.empty()) return std::make_unique<Frame>();
    std::unique_ptr<Frame> f = std::move(free_.back());
    free_.pop_back();
    return f;
  }

  // Drops what `f` holds (its slots must not keep tensors alive after the call), keeps the rest.
  void give(std::unique_ptr<Frame> f) {
    for (Tensor& x : f->t) x.reset();
    for (ListPtr& l : f->l) l.reset();
    for (Tensor& x : f->scratch) x.reset();
    if (free_.size() < kMaxKept) free_.push_back(std::move(f));
  }

 private:
  static constexpr size_t kMaxKept = kMaxCallDepth + 8;
  std::vector<std::unique_ptr<Frame>> free_;
};

FramePool& frame_pool() {
  thread_local FramePool pool;
  return pool;
}

// `g` ready to run `callee` for a call from `f`: as prepare_frame, but on a reused frame, and
// the poll pacing continues the caller's (no clock read per call).
void prepare_call_frame(Frame& g, const Frame& f, const Program& callee) {
  load_program(g, callee);
  g.opts = f.opts;
  g.stats = RunStats{};
  g.pc = 0;
  g.has_poll = f.has_poll;
  g.countdown = f.countdown;
  g.stride = f.stride;
  g.last_check = f.last_check;
  g.last_poll = f.last_poll;
  g.poll_interval = f.poll_interval;
  g.call_depth = f.call_depth + 1;
}

// Stack this thread keeps free for the error's own unwinding and for the kernels a call runs.
constexpr uintptr_t kStackReserve = 128 * 1024;

// The lowest address this thread's stack may grow down to (0: unknown).
uintptr_t stack_floor() {
  thread_local const uintptr_t floor = [] {
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return uintptr_t{0};
    void* addr = nullptr;
    size_t size = 0;
    const int rc = pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
    return rc == 0 ? reinterpret_cast<uintptr_t>(addr) : uintptr_t{0};
  }();
  return floor;
}

bool stack_nearly_full() {
  char here = 0;
  const uintptr_t floor = stack_floor();
  return floor != 0 && reinterpret_cast<uintptr_t>(&here) < floor + kStackReserve;
}

[[noreturn]] void too_deep(const Frame& f, const Instr& in, const std::string& name) {
  const std::string message =
      "maximum recursion depth exceeded: '" + name + "' was called " +
      (f.call_depth >= kMaxCallDepth
           ? "more than " + std::to_string(kMaxCallDepth) + " calls deep"
           : std::to_string(f.call_depth) + " calls deep, and this thread's stack is nearly full") +
      " while the graph ran (does its stopping test ever hold for these arguments?)";
  if (in.loc >= 0) {
    throw LocatedError(message, f.prog->locs[static_cast<size_t>(in.loc)], ErrorKind::Recursion);
  }
  throw LocatedError(message, SourceLoc{}, ErrorKind::Recursion);
}

}  // namespace

void exec_call(Frame& f, const Instr& in) {
  const CallSpec& c = f.prog->calls[static_cast<size_t>(in.payload)];
  const FunctionTable& table = *f.prog->functions;
  const DeviceId dev = f.opts->device;
  const Program& callee = *(
      dev == kCpuDevice ? table.programs : table.device_programs)[static_cast<size_t>(c.function)];
  if (f.call_depth >= kMaxCallDepth || stack_nearly_full()) {
    too_deep(f, in, table.names[static_cast<size_t>(c.function)]);
  }
  struct Lease {  // the frame goes back to the pool however the call ends
    FramePool& pool = frame_pool();
    std::unique_ptr<Frame> frame = pool.take();
    ~Lease() { pool.give(std::move(frame)); }
  } lease;
  Frame& g = *lease.frame;
  prepare_call_frame(g, f, callee);
  if (dev != kCpuDevice) {
    for (const auto& [slot, value] : callee.preset)
      place_value(g.t[static_cast<size_t>(slot)], dev);
  }
  for (size_t i = 0; i < in.ins.size(); ++i) {
    Tensor& slot = g.t[static_cast<size_t>(callee.param_slots[i])];
    slot = f.t[static_cast<size_t>(in.ins[i])];
    make_inline(slot);
  }
  run_program(g);
  for (size_t i = 0; i < c.outs.size(); ++i) {
    Tensor& out = f.t[static_cast<size_t>(c.outs[i])];
    out = g.t[static_cast<size_t>(callee.results[i])];
    make_inline(out);
  }
  f.stats.instructions += g.stats.instructions + 1;
  f.stats.loop_iterations += g.stats.loop_iterations;
  f.stats.buffer_allocations += g.stats.buffer_allocations;
  f.stats.polls += g.stats.polls;
}

}  // namespace xag::rt::exec
