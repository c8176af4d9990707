// One run of an Executable on behalf of a host language whose code runs under a lock (Python's
// GIL): the run policy every embedder shares, with the host's own steps as hooks. The graph runs
// without the host's lock; every few milliseconds (RunOptions::poll_interval_ms) the session
// takes the lock to write the staged prints batched so far (a notebook gets few writes, in order,
// instead of one message per print) and to ask the host whether a signal (Ctrl-C) is pending. A
// stop source (the Jupyter kernel's SIGINT callback) may set the runtime's stop flag directly,
// so a graph stops at its next check without waiting for a poll.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/exec/executor.h"

namespace xag::rt {

// The host's steps. Implementations live in the bindings (Python) and in tests.
class RunHost {
 public:
  virtual ~RunHost() = default;
  // Run `f` with the host's lock released (the whole run) / held (each poll, on the run's thread).
  virtual void without_lock(const std::function<void()>& f) = 0;
  virtual void with_lock(const std::function<void()>& f) = 0;
  // Writes staged print text (lock held; never empty). A throw during the run is ignored (a
  // broken stdout must not kill the run); the final write's throw propagates.
  virtual void write(const std::string& text) = 0;
  // True when the host has the exception of a signal pending (lock held); the host keeps it for
  // raise_signal, which throws it.
  virtual bool signal_pending() = 0;
  virtual void raise_signal() = 0;
  // Optional: the run was interrupted inside the staged loop at `loop` (called with the lock
  // held, right before raise_signal), so the host's exception can say which loop was running.
  virtual void interrupted_in_loop(const SourceLoc& loop) {}
  // Optional: called (lock held) after the final write, before an error is raised.
  virtual void after_run() {}
  // Optional stop source, in the shape of the kernel's xag_interrupt_api: registers a callback
  // that a signal handler runs (async-signal-safe), returning an id >= 0 (-1: none); unregisters.
  virtual int add_stop_callback(void (*callback)(void*)) { return -1; }
  virtual void remove_stop_callback(int id) {}
};

// Called with the host's lock held. Runs `exe` on `args` with `options` (the session sets its
// print_sink and poll), writes the remaining prints, and returns the results. Errors: the host's
// signal exception (KeyboardInterrupt) wins over the run's own error, CancelledError included;
// a run stopped through the stop source raises the host's exception when the host has recorded
// the signal by then. The stop flag is cleared before the run and after a failed one.
std::vector<Tensor> run_session(const Executable& exe, const std::vector<Tensor>& args,
                                RunOptions options, RunHost& host);

}  // namespace xag::rt
