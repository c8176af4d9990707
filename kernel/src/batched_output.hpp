// sys.stdout and sys.stderr of the kernel: text written during a cell is sent in batches.
//
// xeus-python's streams publish one iopub message per write(): `print(i)` is two messages, and a
// loop that prints sends tens of thousands a second. ZMQ's PUB socket then drops what the
// subscriber (the notebook server, a test client) cannot take, and what it drops may be the cell's
// error or its idle status. Like ipykernel's OutStream, text is held and sent at most every
// 50 ms (or at 64 KiB), in the order it was written: a write to the other stream sends what is
// pending first, and so does everything else the cell publishes (displays, results, errors,
// input prompts; see python_startup.py) and the cell's end.
//
// Who publishes: the main thread, or the flusher thread while it holds the GIL and a cell runs.
// Every other publish of the main thread during a cell holds the GIL too, and the cell's end
// (end_cell) sends the rest under the GIL before the kernel publishes "idle"; so the publisher
// socket, which belongs to the main thread, is never used by two threads at once. Outside a cell
// a write is published at once, as before.
#ifndef XAG_KERNEL_BATCHED_OUTPUT_HPP
#define XAG_KERNEL_BATCHED_OUTPUT_HPP

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace xag {

class batched_output {
 public:
  static constexpr std::chrono::milliseconds kDelay{50};
  static constexpr std::size_t kMaxPending = 64 * 1024;

  /// The kernel's one instance.
  static batched_output& instance();
  ~batched_output();

  /// Starts the flusher thread (once; call on the main thread with SIGINT blocked) and stops it.
  /// stop() must run before Python is finalized.
  void start();
  void stop();

  /// All of these need the GIL. flush() publishes what is pending (the mutex is held only to
  /// take it).
  void write(const std::string& stream, const std::string& text);
  void flush();
  void begin_cell();
  void end_cell();

 private:
  batched_output() = default;
  void run_flusher();

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::string m_stream;  // the stream m_pending belongs to
  std::string m_pending;
  bool m_in_cell = false;
  std::chrono::steady_clock::time_point m_due;  // when m_pending, if any, must be sent
  bool m_stopping = false;
  std::thread m_flusher;
};

/// RAII: the output of a cell is batched while an instance lives; its end publishes the rest.
/// Create and destroy it with the GIL held.
class cell_output_scope {
 public:
  cell_output_scope() { batched_output::instance().begin_cell(); }
  ~cell_output_scope() { batched_output::instance().end_cell(); }
  cell_output_scope(const cell_output_scope&) = delete;
  cell_output_scope& operator=(const cell_output_scope&) = delete;
};

}  // namespace xag

#endif
