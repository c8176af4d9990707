// SIGINT handling for a kernel whose main thread both serves the shell socket and runs cells.
//
// xeus 2.4.1 has no interrupt hook, so the kernelspec says "interrupt_mode": "signal" and
// Jupyter sends SIGINT to the process. A SIGINT delivered to a xeus/zmq thread, or to the main
// thread while it waits in zmq::poll, kills the kernel. So:
//   1. reset_inherited_sigint() and block_sigint() run first in main(), before any thread
//      exists: SIGINT is no longer ignored even if the parent ignored it (nohup), and every
//      thread created later (xeus, zmq, IPython's history saver) inherits the blocked mask.
//   2. Python installs its own SIGINT handler at start-up; install_sigint_chain() then puts ours
//      in front of it (counts, runs the runtime's callbacks, chains to Python's).
//   3. drop_idle_interrupts() runs when an execute_request arrives, before the kernel publishes
//      "busy": SIGINTs that are pending then arrived while the kernel was idle. interrupt_scope
//      then wraps the cell on the main thread: it unblocks SIGINT on this thread only (a SIGINT
//      sent after "busy" is delivered at once, even if the cell has not started yet) and blocks
//      it again on exit.
//   4. prepare_interrupt_nudge() makes a SIGINT in a cell also wake the main thread from a
//      blocking call it entered just after the signal, when CPython would not look at it.
#ifndef XAG_KERNEL_INTERRUPT_GUARD_HPP
#define XAG_KERNEL_INTERRUPT_GUARD_HPP

#include "xautograph/interrupt_api.h"

namespace xag {

/// Sets SIGINT's disposition to the default, whatever the parent process left (SIG_IGN under
/// nohup), so that the embedded Python installs its handler. Call before Python starts.
void reset_inherited_sigint();

/// Blocks SIGINT in the calling thread (and thus in all threads it creates later).
void block_sigint();

/// Creates the timer that nudges the calling (main) thread out of a blocking call after a SIGINT
/// in a cell (see interrupt_guard.cpp) and blocks its signal. Call right after block_sigint().
void prepare_interrupt_nudge();

/// Puts the kernel's SIGINT handler in front of whatever handler is installed now.
void install_sigint_chain();

/// Discards SIGINTs that arrived while no cell ran. Call on the main thread, without the GIL
/// (it takes the GIL itself to clear interrupts Python noted in other threads).
void drop_idle_interrupts();

/// While held, a nudge stays pending instead of breaking the main thread's blocking call: xeus's
/// wait for an input() answer fails on EINTR ("Interrupted system call") and cannot be resumed,
/// and a nudge may still come after the cell caught its KeyboardInterrupt. A SIGINT itself still
/// breaks the wait. Call on the main thread during a cell.
void hold_nudges(bool hold);

/// SIGINTs received since the running cell's interrupt_scope began; 0 while no cell runs.
unsigned long long interrupts_in_cell();

/// The C table handed to native code through the `xautograph_kernel._interrupt_api` capsule.
const xag_interrupt_api& interrupt_api();

/// RAII: SIGINT is deliverable to the main thread only while an instance is alive.
/// Destroy it with the GIL held: it clears an interrupt that came as the cell ended.
class interrupt_scope {
 public:
  interrupt_scope();
  ~interrupt_scope();
  interrupt_scope(const interrupt_scope&) = delete;
  interrupt_scope& operator=(const interrupt_scope&) = delete;
};

}  // namespace xag

#endif
