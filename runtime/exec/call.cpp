// Calls of graph functions (a recursive function staged as a `call` op, SPEC §3). Each call
// runs the callee's program in a frame of its own, so calls are re-entrant; the interpreter
// recurses on the C++ stack once per call, which kMaxCallDepth bounds (Python's default
// recursion limit) so that a recursion whose stopping test never holds ends in a RecursionError
// at the user's line instead of overflowing the stack.
#include "runtime/exec/program.h"

namespace xag::rt::exec {

void prepare_frame(Frame& f, const Program& p, const RunOptions& options) {
  f.prog = &p;
  f.opts = &options;
  f.t.resize(static_cast<size_t>(p.num_tensor_slots));
  f.l.resize(static_cast<size_t>(p.num_list_slots));
  f.scratch.resize(static_cast<size_t>(p.max_inputs));
  for (const auto& [slot, value] : p.preset) {
    f.t[static_cast<size_t>(slot)] = value;
    make_inline(f.t[static_cast<size_t>(slot)]);
  }
  f.has_poll = static_cast<bool>(options.poll);
  f.last_check = f.last_poll = std::chrono::steady_clock::now();
  f.poll_interval = std::chrono::nanoseconds(static_cast<int64_t>(options.poll_interval_ms * 1e6));
  f.loop_it.resize(static_cast<size_t>(p.num_loops));
  f.loop_max.resize(static_cast<size_t>(p.num_loops));
}

namespace {

[[noreturn]] void too_deep(const Frame& f, const Instr& in, const std::string& name) {
  const std::string message =
      "maximum recursion depth exceeded: '" + name + "' was called more than " +
      std::to_string(kMaxCallDepth) +
      " calls deep while the graph ran (does its stopping test ever hold for these arguments?)";
  if (in.loc >= 0) {
    throw LocatedError(message, f.prog->locs[static_cast<size_t>(in.loc)], ErrorKind::Recursion);
  }
  throw LocatedError(message, SourceLoc{}, ErrorKind::Recursion);
}

}  // namespace

void exec_call(Frame& f, const Instr& in) {
  const CallSpec& c = f.prog->calls[static_cast<size_t>(in.payload)];
  const FunctionTable& table = *f.prog->functions;
  const Program& callee = *table.programs[static_cast<size_t>(c.function)];
  if (f.call_depth >= kMaxCallDepth) too_deep(f, in, table.names[static_cast<size_t>(c.function)]);
  Frame g;
  prepare_frame(g, callee, *f.opts);
  g.call_depth = f.call_depth + 1;
  for (size_t i = 0; i < in.ins.size(); ++i) {
    Tensor& slot = g.t[static_cast<size_t>(callee.param_slots[i])];
    slot = f.t[static_cast<size_t>(in.ins[i])];
    make_inline(slot);
  }
  run_program(g);
  for (size_t i = 0; i < c.outs.size(); ++i) {
    Tensor& out = f.t[static_cast<size_t>(c.outs[i])];
    out = g.t[static_cast<size_t>(callee.results[i])];
    make_inline(out);
  }
  f.stats.instructions += g.stats.instructions + 1;
  f.stats.loop_iterations += g.stats.loop_iterations;
  f.stats.buffer_allocations += g.stats.buffer_allocations;
  f.stats.polls += g.stats.polls;
}

}  // namespace xag::rt::exec
