// The run policy of an embedder (see run_session.h).
#include "runtime/exec/run_session.h"

#include <exception>
#include <optional>

#include "runtime/core/errors.h"
#include "runtime/core/interrupt.h"
#include "runtime/core/strings.h"
#include "runtime/exec/print_buffer.h"

namespace xag::rt {

namespace {

// The stop source's callback for the lifetime of one run: one atomic store, async-signal-safe.
class StopCallback {
 public:
  explicit StopCallback(RunHost& host)
      : host_(host), id_(host.add_stop_callback([](void*) { request_interrupt(); })) {}
  ~StopCallback() {
    if (id_ >= 0) host_.remove_stop_callback(id_);
  }
  StopCallback(const StopCallback&) = delete;
  StopCallback& operator=(const StopCallback&) = delete;

 private:
  RunHost& host_;
  const int id_;
};

}  // namespace

std::vector<Tensor> run_session(const Executable& exe, const std::vector<Tensor>& args,
                                RunOptions options, RunHost& host) {
  PrintBuffer prints;
  bool signalled = false;
  options.print_sink = [&prints](std::string_view s) { prints.append(s); };
  options.poll = [&] {
    host.with_lock([&] {
      try {
        if (std::string text = prints.take_if_due(); !text.empty()) host.write(text);
      } catch (...) {
        // A broken output must not kill the run; the final write reports it.
      }
      signalled = host.signal_pending();
      // Polls come between instructions, where every value of the run is in its slots: a
      // staged loop that makes a string per iteration gets its garbage collected as it goes.
      // With the host's lock held: the host's own threads may hold refs only while they hold it.
      string_safe_point();
    });
    return signalled;
  };

  std::vector<Tensor> results;
  std::exception_ptr failure;
  bool cancelled = false;
  std::optional<SourceLoc> loop;  // the staged loop an interrupt stopped
  clear_interrupt();
  {
    StopCallback stop(host);
    host.without_lock([&] {
      try {
        results = exe.run(args, options);
      } catch (const LocatedCancelledError& e) {
        cancelled = true;
        loop = e.loc();
        failure = std::current_exception();
      } catch (const CancelledError&) {
        cancelled = true;
        failure = std::current_exception();
      } catch (...) {
        failure = std::current_exception();
      }
    });
  }
  if (std::string text = prints.take(); !text.empty()) host.write(text);
  host.after_run();
  if (failure) clear_interrupt();
  // Stopped through the stop source: the host's handler has recorded the signal by now, so its
  // exception (KeyboardInterrupt, or whatever a user's SIGINT handler raises) is the error.
  if (signalled || (cancelled && host.signal_pending())) {
    if (loop) host.interrupted_in_loop(*loop);
    host.raise_signal();
  }
  if (failure) std::rethrow_exception(failure);
  return results;
}

}  // namespace xag::rt
