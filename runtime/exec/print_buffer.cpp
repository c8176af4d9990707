// Batched print output (see print_buffer.h).
#include "runtime/exec/print_buffer.h"

namespace xag::rt {

void PrintBuffer::append(std::string_view s) {
  std::lock_guard<std::mutex> lock(mu_);
  text_.append(s);
}

std::string PrintBuffer::take_if_due() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (text_.empty() || Clock::now() - last_take_ < interval_) return {};
  }
  return take();
}

std::string PrintBuffer::take() {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  out.swap(text_);
  last_take_ = Clock::now();
  return out;
}

}  // namespace xag::rt
