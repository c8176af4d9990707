// The DeviceLoop instruction (instructions.def): hands a capturable While (loop_plan.h) to the
// run's device backend, which may run it whole there (Backend::run_loop). On the CPU, or when
// the backend declines, it does nothing and the host-driven loop that follows runs as usual.
#include <chrono>

#include "runtime/backend/backend.h"
#include "runtime/backend/registry.h"
#include "runtime/exec/program.h"

namespace xag::rt::exec {

void exec_device_loop(Frame& f, const Instr& in) {
  const DeviceId dev = f.opts->device;
  if (dev == kCpuDevice) return;
  const LoopPlan& plan = *f.prog->device_loops[static_cast<size_t>(in.payload)];
  std::vector<Tensor> state;
  state.reserve(in.ins.size());
  for (int32_t s : in.ins) state.push_back(f.t[static_cast<size_t>(s)]);
  // The interrupt flag at every check, the embedder's poll (it takes the GIL) at its interval.
  auto last_poll = std::chrono::steady_clock::now();
  auto stop = [&f, &last_poll] {
    if (interrupt_requested()) return true;
    if (!f.has_poll) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_poll < f.poll_interval) return false;
    last_poll = now;
    ++f.stats.polls;
    return f.opts->poll();
  };
  bool ran = false;
  try {
    ran = backend(dev).run_loop(plan, state, stop);
  } catch (const CancelledError&) {
    cancel_loop(f, static_cast<size_t>(in.x1));  // names the loop, as the host loop does
  }
  if (!ran) return;
  for (int32_t i = 0; i < plan.num_vars; ++i) {
    Tensor& slot = f.t[static_cast<size_t>(in.ins[static_cast<size_t>(i)])];
    slot = std::move(state[static_cast<size_t>(i)]);
    make_inline(slot);  // 0-d loop variables live inline on the host between instructions
  }
  ++f.stats.device_loops;
}

}  // namespace xag::rt::exec
