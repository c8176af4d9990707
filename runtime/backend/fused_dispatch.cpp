#include "runtime/backend/fused_dispatch.h"

#include <vector>

#include "runtime/backend/placement.h"
#include "runtime/backend/registry.h"
#include "runtime/exec/fused_eval.h"

namespace xag::rt {

namespace {

// The fallback: register r (0..n-1 the inputs, then one per step) computed by run_into under a
// scope on `dev`, so each step runs there.
void run_steps(DeviceId dev, const FusedProgram& prog, const Tensor* in, size_t n, Tensor& out) {
  DeviceScope scope(dev);
  std::vector<Tensor> regs(in, in + n);
  regs.resize(n + prog.steps.size());
  for (size_t k = 0; k < prog.steps.size(); ++k) {
    const FusedStep& s = prog.steps[k];
    Tensor args[3];
    size_t m = 0;
    for (int16_t r : {s.a, s.b, s.c})
      if (r >= 0) args[m++] = regs[static_cast<size_t>(r)];
    run_into(s.op, args, m, OpAttrs{}, regs[n + k]);
  }
  const Tensor& last = regs.back();
  if (prog.reduce == OpKind::Identity) {
    out = last;
  } else {
    run_into(prog.reduce, &last, 1, OpAttrs{}, out);  // max/min over every element
  }
}

}  // namespace

void run_fused_into(const FusedProgram& prog, const Tensor* in, size_t n, Tensor& out) {
  if (!needs_placement(in, n)) return exec::run_fused(prog, in, n, out);
  const DeviceId dev = placed_device();
  std::vector<Tensor> moved;
  const Tensor* on = inputs_on(dev, in, n, moved);
  if (backend(dev).run_fused(prog, on, n, out)) return;
  run_steps(dev, prog, on, n, out);
}

}  // namespace xag::rt
