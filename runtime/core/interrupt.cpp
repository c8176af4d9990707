#include "runtime/core/interrupt.h"

namespace xag::rt::detail {
std::atomic<bool> g_interrupt_flag{false};
}  // namespace xag::rt::detail
