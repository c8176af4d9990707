// The interpreter loop over the flat program: one direct-threaded dispatch loop whose table and
// inline scalar handlers are generated from instructions.def. Control flow is jumps; each While
// iteration passes a cancellation point (the interrupt flag and the poll hook).
#include <cmath>
#include <cstring>
#include <type_traits>

#include "runtime/backend/fused_dispatch.h"
#include "runtime/exec/fused_eval.h"
#include "runtime/exec/program.h"
#include "runtime/ops/scalar_math.h"

namespace xag::rt::exec {

bool truth(const Tensor& x) {
  if (x.dtype() == DType::Bool && x.rank() == 0) return *static_cast<const bool*>(x.raw_data());
  return x.item<bool>();
}

namespace {

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

void exec_op(Frame& f, const Instr& in) {
  const size_t n = in.ins.size();
  for (size_t i = 0; i < n; ++i) f.scratch[i] = f.t[static_cast<size_t>(in.ins[i])];
  Tensor& out = f.t[static_cast<size_t>(in.out)];
  const void* before = out.defined() ? out.raw_data() : nullptr;
  if (in.code == Code::Fused) {
    run_fused_into(*f.prog->fused[static_cast<size_t>(in.payload)], f.scratch.data(), n, out);
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

void exec_transfer(Frame& f, const Instr& in) {
  transfer(f, f.prog->transfers[static_cast<size_t>(in.x0)]);
}

}  // namespace

void exec_slow(Frame& f, const Instr& in) {
  switch (in.code) {
#define XAG_SLOW(Name, label, fn) \
  case Code::Name:                \
    fn(f, in);                    \
    return;
#define XAG_NODE(Name, label, fn, entry) XAG_SLOW(Name, label, fn)
#include "runtime/exec/instructions.def"
    default:
      throw InternalError("exec: control instruction reached the slow path");
  }
}

void rethrow_located(const Frame& f, std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const LocatedError&) {
    throw;
  } catch (const InvalidArgumentError& err) {
    // Name the user's line: the failing node's location (or its enclosing Cond/While's).
    const Instr& in = f.prog->code[f.pc];
    if (in.loc >= 0) throw LocatedError(err.what(), f.prog->locs[static_cast<size_t>(in.loc)]);
    throw;
  } catch (const OutOfMemoryError& err) {
    const Instr& in = f.prog->code[f.pc];
    if (in.loc >= 0) {
      throw LocatedError(err.what(), f.prog->locs[static_cast<size_t>(in.loc)],
                         ErrorKind::OutOfMemory);
    }
    throw;
  }
}

namespace {

// The larger handler bodies of run_program, forced inline so the dispatch loop keeps its
// registers (a call would spill the instruction pointer). Each returns false to send the
// instruction to its slow path.

// Python's floor modulo of int32s, except for b == 0 or -1.
[[gnu::always_inline]] inline bool mod_i32_fast(char* base, const Instr& in) {
  const int32_t a = byte_at<int32_t>(base, in.oa);
  const int32_t b = byte_at<int32_t>(base, in.ob);
  if (b == 0 || b == -1) return false;
  int32_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;  // floor modulo, as Python
  byte_at<int32_t>(base, in.oout) = r;
  return true;
}

// x[i] with an index in range.
template <class U>
[[gnu::always_inline]] inline bool getitem_fast(Frame& f, char* base, const Instr& in) {
  const Tensor& x = f.t[static_cast<size_t>(in.a)];
  const int64_t n = x.num_elements();
  int64_t i = byte_at<int32_t>(base, in.ob);
  if (i < 0) i += n;
  if (i < 0 || i >= n) return false;
  byte_at<U>(base, in.oout) = static_cast<const U*>(x.raw_data())[i];
  return true;
}

}  // namespace

// The handlers of the inline scalar families of instructions.def, expanded inside run_program
// (they use its ip, code, base and f).
#define XAG_DISPATCH() goto* kLabels[static_cast<size_t>(ip->code)]
#define XAG_NEXT() \
  ++ip;            \
  XAG_DISPATCH()
// Jumps to x0 unless r (compare-and-branch).
#define XAG_BRANCH(r)               \
  ip = (r) ? ip + 1 : code + in.x0; \
  XAG_DISPATCH()
// The instruction raises or handles its case through sfn (naming its line on error).
#define XAG_CALL_SFN() (f.pc = static_cast<size_t>(ip - code), in.sfn(base, in))
#define XAG_H_BINARY(Name, label, Kind, DT, T, R, expr) \
  h_##Name : {                                          \
    const Instr& in = *ip;                              \
    const T a = byte_at<T>(base, in.oa);                \
    const T b = byte_at<T>(base, in.ob);                \
    byte_at<R>(base, in.oout) = (expr);                 \
    XAG_NEXT();                                         \
  }
// The test, then the test stored (other instructions may read it) and branched on.
#define XAG_H_TEST(Name, label, Kind, DT, T, expr)   \
  XAG_H_BINARY(Name, label, Kind, DT, T, bool, expr) \
  h_##Name##Br : {                                   \
    const Instr& in = *ip;                           \
    const T a = byte_at<T>(base, in.oa);             \
    const T b = byte_at<T>(base, in.ob);             \
    const bool r = (expr);                           \
    byte_at<bool>(base, in.oout) = r;                \
    XAG_BRANCH(r);                                   \
  }
#define XAG_H_SHIFT(Name, label, Kind, DT, T, expr) \
  h_##Name : {                                      \
    const Instr& in = *ip;                          \
    const T a = byte_at<T>(base, in.oa);            \
    byte_at<T>(base, in.oout) = (expr);             \
    XAG_NEXT();                                     \
  }
#define XAG_H_UNARY(Name, label, Kind, DT, T, expr) XAG_H_SHIFT(Name, label, Kind, DT, T, expr)
#define XAG_H_SELECT(Name, label, bytes, U)                                                   \
  h_##Name : {                                                                                \
    const Instr& in = *ip;                                                                    \
    byte_at<U>(base, in.oout) = byte_at<U>(base, byte_at<bool>(base, in.oa) ? in.ob : in.oc); \
    XAG_NEXT();                                                                               \
  }
#define XAG_H_GETITEM(Name, label, bytes, U)                               \
  h_##Name : {                                                             \
    const Instr& in = *ip;                                                 \
    if (!getitem_fast<U>(f, base, in)) XAG_CALL_SFN(); /* out of bounds */ \
    XAG_NEXT();                                                            \
  }

// Direct-threaded dispatch (GCC/Clang computed goto): every handler ends with its own indirect
// jump to the next one, which branch predictors learn per handler; one shared switch jump is
// mispredicted most of the time in a tight scalar loop.
#if defined(__GNUC__) && !defined(__clang__)
// GCC's global CSE merges the dispatch jumps of computed-goto interpreters and hurts register
// allocation (GCC manual, -fgcse); without it the instruction pointer stays in a register.
#define XAG_NO_GCSE __attribute__((optimize("no-gcse")))
#else
#define XAG_NO_GCSE
#endif
// Starts on a cache line: the speed of the dispatch jumps depends on where they fall within
// 64-byte lines (huber: 10% between two placements 16 bytes apart), and without the alignment
// that placement changes with whatever code the linker puts before this function.
XAG_NO_GCSE __attribute__((aligned(64))) void run_program(Frame& f) {
  const Program& p = *f.prog;
  const Instr* const code = p.code.data();
  char* const base = f.scalar_base();
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
  // The current instruction, pinned to a callee-saved register: left to the allocator, GCC
  // keeps it on the stack, and every dispatch then waits on a store-to-load round trip.
  register const Instr* ip asm("r15") = code;
#else
  const Instr* ip = code;  // the current instruction
#endif
  // One label per Code, in the enum's order.
  static void* const kLabels[] = {
#define XAG_CODE(Name, label) &&h_##Name,
#define XAG_SLOW(Name, label, fn) &&slow,
#define XAG_NODE(Name, label, fn, entry) &&entry,
#include "runtime/exec/instructions.def"
  };
  static_assert(sizeof(kLabels) / sizeof(kLabels[0]) == kNumCodes, "one label per code");
  try {
    XAG_DISPATCH();
  h_Scalar : {
    const Instr& in = *ip;
    XAG_CALL_SFN();
    XAG_NEXT();
  }
  h_ScalarCopy:
    byte_at<uint64_t>(base, ip->oout) = byte_at<uint64_t>(base, ip->oa);
    XAG_NEXT();
  h_Jump:
    ip = code + ip->x0;
    XAG_DISPATCH();
  h_JumpIfFalse : {
    const Instr& in = *ip;
    f.pc = static_cast<size_t>(ip - code);
    const bool c = in.b == 1 ? byte_at<bool>(base, in.oa) : truth(f.t[static_cast<size_t>(in.a)]);
    XAG_BRANCH(c);
  }
  h_LoopStart : {
    const Instr& in = *ip;
    f.pc = static_cast<size_t>(ip - code);
    f.loop_it[static_cast<size_t>(in.x0)] = 0;
    f.loop_max[static_cast<size_t>(in.x0)] =
        in.c >= 0 ? f.t[static_cast<size_t>(in.c)].item<int64_t>() : -1;
    XAG_NEXT();
  }
  h_LoopHead : {
    const Instr& in = *ip;
    tick(f, static_cast<size_t>(ip - code));
    const int64_t mx = f.loop_max[static_cast<size_t>(in.x0)];
    const bool done = mx >= 0 && f.loop_it[static_cast<size_t>(in.x0)] >= mx;
    ip = done ? code + in.x1 : ip + 1;
    XAG_DISPATCH();
  }
  h_LoopBack : {
    // Counts the iteration and does the loop head's work itself (one dispatch less per
    // iteration): the cancellation point, then the maximum check, then straight into the body
    // of the next iteration's condition.
    const Instr& in = *ip;
    const size_t loop = static_cast<size_t>(in.x0);
    const int64_t it = ++f.loop_it[loop];
    ++f.stats.loop_iterations;
    tick(f, static_cast<size_t>(ip - code));
    const int64_t mx = f.loop_max[loop];
    const size_t head = static_cast<size_t>(in.x1);
    ip = (mx >= 0 && it >= mx) ? code + code[head].x1 : code + head + 1;
    XAG_DISPATCH();
  }
  h_LoopBackFree:
    ++f.stats.loop_iterations;
    tick(f, static_cast<size_t>(ip - code));
    ip = code + ip->x1 + 1;
    XAG_DISPATCH();
  h_ListPushBack:
    if (!push_scalar_fast(f, *ip)) {
      f.pc = static_cast<size_t>(ip - code);
      exec_list(f, *ip);
    }
    XAG_NEXT();
  h_ModI32 : {
    const Instr& in = *ip;
    if (!mod_i32_fast(base, in)) XAG_CALL_SFN();
    XAG_NEXT();
  }
  slow:
    f.pc = static_cast<size_t>(ip - code);
    exec_slow(f, *ip);
    XAG_NEXT();
  h_Halt:
    return;
    // The inline scalar families, from the macros above.
#define XAG_BINARY XAG_H_BINARY
#define XAG_TEST XAG_H_TEST
#define XAG_SHIFT XAG_H_SHIFT
#define XAG_UNARY XAG_H_UNARY
#define XAG_SELECT XAG_H_SELECT
#define XAG_GETITEM XAG_H_GETITEM
#include "runtime/exec/instructions.def"
  } catch (...) {
    rethrow_located(f, std::current_exception());
  }
}
#undef XAG_H_GETITEM
#undef XAG_H_SELECT
#undef XAG_H_UNARY
#undef XAG_H_SHIFT
#undef XAG_H_TEST
#undef XAG_H_BINARY
#undef XAG_NO_GCSE
#undef XAG_CALL_SFN
#undef XAG_BRANCH
#undef XAG_NEXT
#undef XAG_DISPATCH

void cancel_loop(const Frame& f, size_t pc) {
  const std::vector<Instr>& code = f.prog->code;
  // A LoopBack names its LoopHead in x1; the head carries the While node's location.
  const Instr& in = code[pc];
  const Instr& head = in.code == Code::LoopHead ? in : code[static_cast<size_t>(in.x1)];
  if (head.loc >= 0) throw LocatedCancelledError(f.prog->locs[static_cast<size_t>(head.loc)]);
  throw CancelledError("interrupted");
}

void Frame::slow_tick(size_t pc) {
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
  if (opts->poll()) cancel_loop(*this, pc);
}

}  // namespace xag::rt::exec
