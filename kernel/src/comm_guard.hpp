// Keeps kernel-side comms with an unregistered target from crashing the kernel.
//
// xeus-python 0.14.3 builds a kernel-side Comm on `comm_manager().target(name)`, an inline xeus
// 2.4.1 function that inserts a default xtarget (null manager) for an unknown name; the next
// register_comm dereferences that null manager and the process dies (e.g. `Comm(target_name=
// 'foo')` in a cell). Frontend targets such as "jupyter.widget" are normally unknown to the
// kernel, so this is an ordinary situation, not a misuse.
#ifndef XAG_KERNEL_COMM_GUARD_HPP
#define XAG_KERNEL_COMM_GUARD_HPP

#include <string>

namespace xag {

/// Makes sure `target_name` has a complete xtarget before a kernel-side comm is created for it.
/// A target we add this way answers a frontend's comm_open like an unknown target does in
/// ipykernel: it closes the comm at once. Call on the main thread (with the GIL, as from Python).
void ensure_comm_target(const std::string& target_name);

}  // namespace xag

#endif
