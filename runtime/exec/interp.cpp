// The interpreter loop: runs a block's instructions in order. Scalar instructions are one
// indirect call on inline bytes; Cond and While recurse into their blocks; While checks the
// interrupt flag and the poll hook once per iteration.
#include <cstring>

#include "runtime/exec/fused_eval.h"
#include "runtime/exec/program.h"

namespace xag::rt::exec {

namespace {

// Truthiness of a Cond predicate or While condition (a scalar by construction).
bool truth(const Tensor& x) {
  if (x.dtype() == DType::Bool && x.rank() == 0) return *static_cast<const bool*>(x.raw_data());
  return x.item<bool>();
}

void transfer(Frame& f, const TransferList& tl) {
  const std::vector<Transfer>& ts = tl.items;
  if (tl.all_scalar) {
    // The common case of scalar loops: 8-byte copies between inline values.
    char* base = f.scalar_base();
    for (const Transfer& x : ts) {
      if (x.mode != Transfer::Mode::Skip) {
        scalar_at<uint64_t>(base, x.dst) = scalar_at<uint64_t>(base, x.src);
      }
    }
    return;
  }
  for (const Transfer& x : ts) {
    if (x.mode != Transfer::Mode::ViaTmp) continue;
    if (x.list) {
      f.l[x.tmp] = f.l[x.src];
    } else {
      f.t[x.tmp] = f.t[x.src];
    }
  }
  for (const Transfer& x : ts) {
    switch (x.mode) {
      case Transfer::Mode::Skip:
      case Transfer::Mode::ViaTmp:
        break;
      case Transfer::Mode::Copy:
      case Transfer::Mode::Swap:
        if (x.scalar) {
          // Both slots hold 0-d tensors of one dtype: their inline bytes are the value.
          char* base = f.scalar_base();
          scalar_at<uint64_t>(base, x.dst) = scalar_at<uint64_t>(base, x.src);
        } else if (x.mode == Transfer::Mode::Copy) {
          if (x.list) {
            f.l[x.dst] = f.l[x.src];
          } else {
            f.t[x.dst] = f.t[x.src];
          }
        } else if (x.list) {
          f.l[x.dst].swap(f.l[x.src]);
        } else {
          std::swap(f.t[x.dst], f.t[x.src]);
        }
        break;
    }
  }
  if (!tl.has_tmp) return;
  for (const Transfer& x : ts) {
    if (x.mode != Transfer::Mode::ViaTmp) continue;
    if (x.list) {
      f.l[x.dst] = std::move(f.l[x.tmp]);
    } else {
      f.t[x.dst] = std::move(f.t[x.tmp]);
      f.t[x.tmp] = Tensor();
    }
  }
}

void run_op(Frame& f, const Instr& in) {
  const size_t n = in.ins.size();
  for (size_t i = 0; i < n; ++i) f.scratch[i] = f.t[static_cast<size_t>(in.ins[i])];
  Tensor& out = f.t[static_cast<size_t>(in.out)];
  const void* before = out.defined() ? out.raw_data() : nullptr;
  if (in.code == Code::Fused) {
    run_fused(*f.prog->fused[static_cast<size_t>(in.payload)], f.scratch.data(), n, out);
  } else {
    run_into(in.op, f.scratch.data(), n, f.prog->attrs[static_cast<size_t>(in.payload)], out);
  }
  // Drop the extra handles so the inputs' buffers stay exclusively owned by their slots.
  for (size_t i = 0; i < n; ++i) f.scratch[i] = Tensor();
  ++f.stats.instructions;
  if (out.rank() > 0) {
    if (out.raw_data() != before) ++f.stats.buffer_allocations;
  } else {
    make_inline(out);
  }
}

void run_while(Frame& f, const Instr& in) {
  const Program& p = *f.prog;
  transfer(f, p.transfers[static_cast<size_t>(in.x0)]);
  const int64_t max_iter = in.c >= 0 ? f.t[static_cast<size_t>(in.c)].item<int64_t>() : -1;
  const Block& cb = p.blocks[static_cast<size_t>(in.block0)];
  const Block& bb = p.blocks[static_cast<size_t>(in.block1)];
  const Tensor& cond_value = f.t[static_cast<size_t>(cb.outputs[0])];
  const TransferList& wb = p.transfers[static_cast<size_t>(in.x1)];
  // in.b == 1: the condition is a bool scalar, read its inline byte directly.
  const bool* cond_byte = in.b == 1 ? &scalar_at<bool>(f.scalar_base(), cb.outputs[0]) : nullptr;
  for (int64_t it = 0;; ++it) {
    tick(f);
    if (max_iter >= 0 && it >= max_iter) break;
    exec_block(f, cb);
    if (!(cond_byte ? *cond_byte : truth(cond_value))) break;
    exec_block(f, bb);
    transfer(f, wb);
    ++f.stats.loop_iterations;
  }
}

void run_cond(Frame& f, const Instr& in) {
  const Program& p = *f.prog;
  const bool c =
      in.b == 1 ? scalar_at<bool>(f.scalar_base(), in.a) : truth(f.t[static_cast<size_t>(in.a)]);
  exec_block(f, p.blocks[static_cast<size_t>(c ? in.block0 : in.block1)]);
  transfer(f, p.transfers[static_cast<size_t>(c ? in.x0 : in.x1)]);
}

void exec_slow(Frame& f, const Instr& in) {
  switch (in.code) {
    case Code::Scalar:
      in.sfn(f.scalar_base(), in);
      break;
    case Code::Op:
    case Code::Fused:
      run_op(f, in);
      break;
    case Code::Cond:
      run_cond(f, in);
      break;
    case Code::While:
      run_while(f, in);
      break;
    case Code::ListNew:
    case Code::ListPushBack:
    case Code::ListGet:
    case Code::ListSet:
    case Code::ListSize:
    case Code::ListStack:
      exec_list(f, in);
      break;
    case Code::Print:
      exec_print(f, in);
      break;
    case Code::Assert:
      exec_assert(f, in);
      break;
    case Code::VarRead:
    case Code::VarAssign:
    case Code::VarAssignAdd:
    case Code::VarAssignSub:
      exec_var(f, in);
      break;
  }
}

}  // namespace

void exec_block(Frame& f, const Block& b) {
  char* base = f.scalar_base();
  const Instr* cur = nullptr;
  try {
    for (const Instr& in : b.code) {
      cur = &in;
      if (in.code == Code::Scalar) {
        in.sfn(base, in);
      } else {
        exec_slow(f, in);
      }
    }
  } catch (const LocatedError&) {
    throw;
  } catch (const InvalidArgumentError& e) {
    // Name the user's line: the failing node's location (or the enclosing Cond/While's).
    if (cur && cur->loc >= 0)
      throw LocatedError(e.what(), f.prog->locs[static_cast<size_t>(cur->loc)]);
    throw;
  }
}

void Frame::slow_tick() {
  using clock = std::chrono::steady_clock;
  const auto now = clock::now();
  const auto since_check = now - last_check;
  last_check = now;
  // Aim for a clock read about every 0.2 ms, whatever one iteration costs.
  if (since_check < std::chrono::microseconds(100)) {
    if (stride < (int64_t{1} << 20)) stride *= 2;
  } else if (since_check > std::chrono::microseconds(400) && stride > 1) {
    stride /= 2;
  }
  countdown = stride;
  if (now - last_poll < poll_interval) return;
  last_poll = now;
  ++stats.polls;
  if (opts->poll()) throw CancelledError("interrupted");
}

}  // namespace xag::rt::exec
