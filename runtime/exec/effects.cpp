// Side-effecting instructions: print through the embedder's sink, assertions, variables.
#include <cstdio>

#include "runtime/exec/program.h"

namespace xag::rt::exec {

void exec_print(Frame& f, const Instr& in) {
  const PrintSpec& ps = f.prog->prints[static_cast<size_t>(in.payload)];
  std::string s;
  for (size_t i = 0; i < ps.items.size(); ++i) {
    if (i) s += ps.sep;
    const PrintItem& it = ps.items[i];
    s += it.input >= 0 ? f.t[static_cast<size_t>(in.ins[static_cast<size_t>(it.input)])].to_string()
                       : it.text;
  }
  s += ps.end;
  if (f.opts->print_sink) {
    f.opts->print_sink(s);
  } else {
    std::fwrite(s.data(), 1, s.size(), stdout);
    std::fflush(stdout);
  }
}

void exec_assert(Frame& f, const Instr& in) {
  const Tensor& p = f.t[static_cast<size_t>(in.a)];
  bool ok = true;
  if (p.dtype() == DType::Bool && p.rank() == 0) {
    ok = *static_cast<const bool*>(p.raw_data());
  } else {
    const Tensor b = p.host().cast(DType::Bool);
    const bool* d = b.data<bool>();
    for (int64_t i = 0; i < b.num_elements() && ok; ++i) ok = d[i];
  }
  if (ok) return;
  const std::string& msg = f.prog->messages[static_cast<size_t>(in.payload)];
  throw LocatedError("assertion failed: " + msg, f.prog->locs[static_cast<size_t>(in.loc)]);
}

void exec_var(Frame& f, const Instr& in) {
  Variable& var = *f.prog->variables[static_cast<size_t>(in.payload)];
  Tensor& out = f.t[static_cast<size_t>(in.out)];
  switch (in.code) {
    case Code::VarRead:
      break;
    case Code::VarAssign:
      var.assign(f.t[static_cast<size_t>(in.a)]);
      break;
    default: {
      const OpKind op = in.code == Code::VarAssignAdd ? OpKind::Add : OpKind::Sub;
      const Tensor args[2] = {var.read(), f.t[static_cast<size_t>(in.a)]};
      Tensor r = run(op, args, 2, OpAttrs{});
      if (r.shape() != var.spec().shape) {
        throw InvalidArgumentError(
            std::string(in.code == Code::VarAssignAdd ? "assign_add" : "assign_sub") +
            ": the result has shape " + r.shape().to_string() + " but the variable has shape " +
            var.spec().shape.to_string());
      }
      var.assign(r);
      break;
    }
  }
  out = var.read();
  make_inline(out);
}

}  // namespace xag::rt::exec
