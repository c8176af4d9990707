// Staged print output of one run, batched for an embedder: the run's thread appends each Print's
// text (without the embedder's lock, e.g. Python's GIL), and the embedder takes the text in
// batches, when a batch is due or at the end of the run, so that a notebook gets few writes, in
// order, instead of one message per print.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

namespace xag::rt {

class PrintBuffer {
 public:
  using Clock = std::chrono::steady_clock;

  explicit PrintBuffer(Clock::duration interval = std::chrono::milliseconds(10))
      : interval_(interval), last_take_(Clock::now()) {}

  void append(std::string_view s);
  // The text appended since the last take if `interval` has passed since then; else empty (and
  // the text stays).
  std::string take_if_due();
  // All the text appended since the last take.
  std::string take();

 private:
  std::mutex mu_;
  std::string text_;
  Clock::duration interval_;
  Clock::time_point last_take_;
};

}  // namespace xag::rt
