// Process-wide stop flag. The Jupyter kernel sets it on an interrupt request; the executor checks
// it between ops and once per loop iteration, long kernels check it between chunks, so a running
// graph stops well within 100 ms (SPEC §4).
#pragma once

#include <atomic>

#include "runtime/core/errors.h"

namespace xag::rt {

namespace detail {
// Defined in interrupt.cpp so every user of the static library sees one flag.
extern std::atomic<bool> g_interrupt_flag;
}  // namespace detail

// Asks running graphs and kernels to stop; safe from a signal handler or any thread.
inline void request_interrupt() noexcept {
  detail::g_interrupt_flag.store(true, std::memory_order_relaxed);
}

// Clears the flag; call before starting a new execution.
inline void clear_interrupt() noexcept {
  detail::g_interrupt_flag.store(false, std::memory_order_relaxed);
}

// True once request_interrupt() was called and not yet cleared. One relaxed load: cheap enough
// to poll every loop iteration.
inline bool interrupt_requested() noexcept {
  return detail::g_interrupt_flag.load(std::memory_order_relaxed);
}

// Throws CancelledError if an interrupt is pending (the flag stays set; the caller that started
// the execution clears it).
inline void check_interrupt() {
  if (interrupt_requested()) throw CancelledError("interrupted");
}

}  // namespace xag::rt
