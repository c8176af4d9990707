// The native tier of one compiled graph (Executable): the first runs are interpreted while a
// background thread compiles the program with the LLVM JIT; once the code is ready, runs switch
// to it. Compilation failures (or programs the code generator cannot express) leave the graph
// interpreted, with the reason kept for tier_info() and written to stderr when XAG_JIT_LOG is
// set (which also logs each compilation's size and time). Built without LLVM, every graph stays
// interpreted.
//
// XAG_JIT: unset/"1" compiles graphs with loops in the background (graphs without a loop gain
// nothing); "0" turns the JIT off; "sync" compiles every graph on its first run, before running
// it (tests: every run after the first compile is native). XAG_JIT_TEST_FAIL=1 makes every
// compilation fail (tests of the fallback).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "runtime/exec/executor.h"

namespace xag::rt {
namespace exec {
struct Frame;
}

namespace jit {

class NativeCode;
enum class Mode : uint8_t { Off, Async, Sync };

// The mode XAG_JIT asks for (read on every call).
Mode env_mode();
// Whether this build has the LLVM JIT.
bool available();
// Stops the compile thread for good (pending compiles are dropped, the one in progress ends;
// graphs stay interpreted from then on). Every host calls it before exit(): LLVM's static
// objects, made lazily during compiles, are destroyed before a static of ours could join the
// thread, and a compile still running then crashes (Python: atexit, with the GIL released;
// C++ programs: at the end of main).
void shutdown();

class Tier : public std::enable_shared_from_this<Tier> {
 public:
  explicit Tier(Mode mode);
  ~Tier();
  Tier(const Tier&) = delete;
  Tier& operator=(const Tier&) = delete;

  // Runs the frame's program natively and returns true when its code is ready; otherwise
  // returns false (the caller interprets), starting the compilation on the first call.
  bool run(const std::shared_ptr<const exec::Program>& p, exec::Frame& f);
  // Keeps the graph interpreted from now on.
  void disable(const std::string& why);
  TierInfo info() const;

 private:
  enum class State : uint8_t { Idle, Compiling, Native, Interpreted };
  bool start(const std::shared_ptr<const exec::Program>& p);
  void compile(const exec::Program& p);

  mutable std::mutex mutex_;
  Mode mode_;
  State state_ = State::Idle;
  std::string reason_;
  double compile_seconds_ = -1, ready_seconds_ = -1;
  std::chrono::steady_clock::time_point requested_;
  std::unique_ptr<NativeCode> code_;
  std::atomic<void*> fn_{nullptr};  // code_->fn once ready
};

}  // namespace jit
}  // namespace xag::rt
