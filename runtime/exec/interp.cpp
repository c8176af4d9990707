// The interpreter loop over the flat program. Scalar instructions are one indirect call on
// inline bytes, control flow is jumps; each While iteration passes a cancellation point (the
// interrupt flag and the poll hook).
#include <cmath>
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

void exec_slow(Frame& f, const Instr& in) {
  switch (in.code) {
    case Code::Op:
    case Code::Fused:
      run_op(f, in);
      break;
    case Code::Transfer:
      transfer(f, f.prog->transfers[static_cast<size_t>(in.x0)]);
      break;
    case Code::Scalar:
    case Code::ScalarCopy:
    case Code::Jump:
    case Code::JumpIfFalse:
    case Code::LoopStart:
    case Code::LoopHead:
    case Code::LoopBack:
    case Code::Halt:
    case Code::AddI32:
    case Code::SubI32:
    case Code::MulI32:
    case Code::EqI32:
    case Code::NeI32:
    case Code::LtI32:
    case Code::LeI32:
    case Code::GtI32:
    case Code::GeI32:
    case Code::ModPow2I32:
    case Code::FloorDivPow2I32:
    case Code::EqI32Br:
    case Code::NeI32Br:
    case Code::LtI32Br:
    case Code::LeI32Br:
    case Code::GtI32Br:
    case Code::GeI32Br:
    case Code::AddI64:
    case Code::SubI64:
    case Code::MulI64:
    case Code::EqI64:
    case Code::NeI64:
    case Code::LtI64:
    case Code::LeI64:
    case Code::GtI64:
    case Code::GeI64:
    case Code::EqI64Br:
    case Code::NeI64Br:
    case Code::LtI64Br:
    case Code::LeI64Br:
    case Code::GtI64Br:
    case Code::GeI64Br:
    case Code::NotB:
    case Code::AndB:
    case Code::OrB:
    case Code::SelectB:
    case Code::Select4:
    case Code::Select8:
    case Code::ModI32:
    case Code::AndBBr:
    case Code::OrBBr:
    case Code::AddF32:
    case Code::SubF32:
    case Code::MulF32:
    case Code::LtF32:
    case Code::LeF32:
    case Code::GtF32:
    case Code::GeF32:
    case Code::AddF64:
    case Code::SubF64:
    case Code::MulF64:
    case Code::LtF64:
    case Code::LeF64:
    case Code::GtF64:
    case Code::GeF64:
    case Code::LtF32Br:
    case Code::LeF32Br:
    case Code::GtF32Br:
    case Code::GeF32Br:
    case Code::LtF64Br:
    case Code::LeF64Br:
    case Code::GtF64Br:
    case Code::GeF64Br:
    case Code::AbsF32:
    case Code::AbsF64:
    case Code::GetItem4:
    case Code::GetItem8:
    case Code::LoopBackFree:
      throw InternalError("exec: control instruction reached the slow path");
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

// Direct-threaded dispatch (GCC/Clang computed goto): every handler ends with its own indirect
// jump to the next one, which branch predictors learn per handler; one shared switch jump is
// mispredicted most of the time in a tight scalar loop.
#if defined(__GNUC__) && !defined(__clang__)
// GCC's global CSE merges the dispatch jumps of computed-goto interpreters and hurts register
// allocation (GCC manual, -fgcse); without it the instruction pointer stays in a register.
__attribute__((optimize("no-gcse")))
#endif
void run_program(Frame& f) {
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
  static void* const kLabels[] = {&&scalar,        &&scalar_copy,
                                  &&jump,          &&jump_if_false,
                                  &&loop_start,    &&loop_head,
                                  &&loop_back,     &&slow,
                                  &&slow,          &&slow,
                                  &&slow,          &&list_push,
                                  &&slow,          &&slow,
                                  &&slow,          &&slow,
                                  &&slow,          &&slow,
                                  &&slow,          &&slow,
                                  &&slow,          &&slow,
                                  &&halt,          &&add_i32,
                                  &&sub_i32,       &&mul_i32,
                                  &&eq_i32,        &&ne_i32,
                                  &&lt_i32,        &&le_i32,
                                  &&gt_i32,        &&ge_i32,
                                  &&mod_pow2_i32,  &&floordiv_pow2_i32,
                                  &&eq_i32_br,     &&ne_i32_br,
                                  &&lt_i32_br,     &&le_i32_br,
                                  &&gt_i32_br,     &&ge_i32_br,
                                  &&add_i64,       &&sub_i64,
                                  &&mul_i64,       &&eq_i64,
                                  &&ne_i64,        &&lt_i64,
                                  &&le_i64,        &&gt_i64,
                                  &&ge_i64,        &&eq_i64_br,
                                  &&ne_i64_br,     &&lt_i64_br,
                                  &&le_i64_br,     &&gt_i64_br,
                                  &&ge_i64_br,     &&not_b,
                                  &&and_b,         &&or_b,
                                  &&select_b,      &&select4,
                                  &&select8,       &&mod_i32,
                                  &&and_b_br,      &&or_b_br,
                                  &&add_f32,       &&sub_f32,
                                  &&mul_f32,       &&lt_f32,
                                  &&le_f32,        &&gt_f32,
                                  &&ge_f32,        &&add_f64,
                                  &&sub_f64,       &&mul_f64,
                                  &&lt_f64,        &&le_f64,
                                  &&gt_f64,        &&ge_f64,
                                  &&lt_f32_br,     &&le_f32_br,
                                  &&gt_f32_br,     &&ge_f32_br,
                                  &&lt_f64_br,     &&le_f64_br,
                                  &&gt_f64_br,     &&ge_f64_br,
                                  &&abs_f32,       &&abs_f64,
                                  &&getitem4,      &&getitem8,
                                  &&loop_back_free};
  static_assert(sizeof(kLabels) / sizeof(kLabels[0]) == static_cast<size_t>(Code::LoopBackFree) + 1,
                "one label per instruction code");
#define XAG_DISPATCH() goto* kLabels[static_cast<size_t>((*ip).code)]
  try {
    XAG_DISPATCH();
  scalar:
    f.pc = static_cast<size_t>(ip - code);
    (*ip).sfn(base, (*ip));
    ++ip;
    XAG_DISPATCH();
  scalar_copy:
    byte_at<uint64_t>(base, (*ip).oout) = byte_at<uint64_t>(base, (*ip).oa);
    ++ip;
    XAG_DISPATCH();
  jump:
    ip = code + (*ip).x0;
    XAG_DISPATCH();
  jump_if_false : {
    const Instr& in = (*ip);
    f.pc = static_cast<size_t>(ip - code);
    const bool c = in.b == 1 ? byte_at<bool>(base, in.oa) : truth(f.t[static_cast<size_t>(in.a)]);
    ip = c ? ip + 1 : code + in.x0;
    XAG_DISPATCH();
  }
  loop_start : {
    const Instr& in = (*ip);
    f.pc = static_cast<size_t>(ip - code);
    f.loop_it[static_cast<size_t>(in.x0)] = 0;
    f.loop_max[static_cast<size_t>(in.x0)] =
        in.c >= 0 ? f.t[static_cast<size_t>(in.c)].item<int64_t>() : -1;
    ++ip;
    XAG_DISPATCH();
  }
  loop_head : {
    const Instr& in = (*ip);
    tick(f);
    const int64_t mx = f.loop_max[static_cast<size_t>(in.x0)];
    const bool done = mx >= 0 && f.loop_it[static_cast<size_t>(in.x0)] >= mx;
    ip = done ? code + in.x1 : ip + 1;
    XAG_DISPATCH();
  }
  loop_back : {
    // Counts the iteration and does the loop head's work itself (one dispatch less per
    // iteration): the cancellation point, then the maximum check, then straight into the body
    // of the next iteration's condition.
    const Instr& in = (*ip);
    const size_t loop = static_cast<size_t>(in.x0);
    const int64_t it = ++f.loop_it[loop];
    ++f.stats.loop_iterations;
    tick(f);
    const int64_t mx = f.loop_max[loop];
    const size_t head = static_cast<size_t>(in.x1);
    ip = (mx >= 0 && it >= mx) ? code + code[head].x1 : code + head + 1;
    XAG_DISPATCH();
  }
  list_push : {
    // Appending a 0-d element to a packed list this instruction may take over, within its
    // capacity: the common `out.append(scalar)` of a staged loop, without the generic path.
    const Instr& in = (*ip);
    ListPtr& src = f.l[static_cast<size_t>(in.a)];
    ListData* l = src.get();
    if (in.steal && l && l->packed && l->element.shape.rank() == 0 && src.use_count() == 1 &&
        (l->count + 1) * l->elem_bytes <= l->bytes.size() &&
        f.t[static_cast<size_t>(in.b)].dtype() == l->element.dtype) {
      unsigned char* dst = l->bytes.data() + l->count * l->elem_bytes;
      const void* src_bytes = f.t[static_cast<size_t>(in.b)].raw_data();
      // Fixed-size copies for the common element sizes (a memcpy call costs more than the move).
      switch (l->elem_bytes) {
        case 8:
          std::memcpy(dst, src_bytes, 8);
          break;
        case 4:
          std::memcpy(dst, src_bytes, 4);
          break;
        case 1:
          *dst = *static_cast<const unsigned char*>(src_bytes);
          break;
        default:
          std::memcpy(dst, src_bytes, l->elem_bytes);
      }
      ++l->count;
      if (in.out != in.a) f.l[static_cast<size_t>(in.out)] = std::move(src);
      ++ip;
      XAG_DISPATCH();
    }
    f.pc = static_cast<size_t>(ip - code);
    exec_list(f, in);
    ++ip;
    XAG_DISPATCH();
  }
  loop_back_free:
    ++f.stats.loop_iterations;
    tick(f);
    ip = code + ip->x1 + 1;
    XAG_DISPATCH();
  slow:
    f.pc = static_cast<size_t>(ip - code);
    exec_slow(f, (*ip));
    ++ip;
    XAG_DISPATCH();
  halt:
    return;

// Inline int32 ops; ints wrap (unsigned arithmetic), as the kernels do.
#define XAG_I32(label, expr)                         \
  label : {                                          \
    const Instr& in = (*ip);                         \
    const int32_t a = byte_at<int32_t>(base, in.oa); \
    const int32_t b = byte_at<int32_t>(base, in.ob); \
    (void)b;                                         \
    expr;                                            \
    ++ip;                                            \
    XAG_DISPATCH();                                  \
  }
#define XAG_I32_OUT(T) byte_at<T>(base, in.oout)
    XAG_I32(add_i32, XAG_I32_OUT(int32_t) = static_cast<int32_t>(uint32_t(a) + uint32_t(b)))
    XAG_I32(sub_i32, XAG_I32_OUT(int32_t) = static_cast<int32_t>(uint32_t(a) - uint32_t(b)))
    XAG_I32(mul_i32, XAG_I32_OUT(int32_t) = static_cast<int32_t>(uint32_t(a) * uint32_t(b)))
    XAG_I32(eq_i32, XAG_I32_OUT(bool) = a == b)
    XAG_I32(ne_i32, XAG_I32_OUT(bool) = a != b)
    XAG_I32(lt_i32, XAG_I32_OUT(bool) = a < b)
    XAG_I32(le_i32, XAG_I32_OUT(bool) = a <= b)
    XAG_I32(gt_i32, XAG_I32_OUT(bool) = a > b)
    XAG_I32(ge_i32, XAG_I32_OUT(bool) = a >= b)
    // Floor semantics for 2^c: arithmetic shift and mask (see scalar_kernels.cpp).
    XAG_I32(mod_pow2_i32, XAG_I32_OUT(int32_t) = a & static_cast<int32_t>((1u << in.c) - 1u))
    XAG_I32(floordiv_pow2_i32, XAG_I32_OUT(int32_t) = a >> in.c)

// Compare, store the bool (other instructions may read it), branch when false.
#define XAG_I32_BR(label, op)                                                      \
  label : {                                                                        \
    const Instr& in = (*ip);                                                       \
    const bool r = byte_at<int32_t>(base, in.oa) op byte_at<int32_t>(base, in.ob); \
    byte_at<bool>(base, in.oout) = r;                                              \
    ip = r ? ip + 1 : code + in.x0;                                                \
    XAG_DISPATCH();                                                                \
  }
    XAG_I32_BR(eq_i32_br, ==)
    XAG_I32_BR(ne_i32_br, !=)
    XAG_I32_BR(lt_i32_br, <)
    XAG_I32_BR(le_i32_br, <=)
    XAG_I32_BR(gt_i32_br, >)
    XAG_I32_BR(ge_i32_br, >=)
#define XAG_I64(label, expr)                         \
  label : {                                          \
    const Instr& in = (*ip);                         \
    const int64_t a = byte_at<int64_t>(base, in.oa); \
    const int64_t b = byte_at<int64_t>(base, in.ob); \
    expr;                                            \
    ++ip;                                            \
    XAG_DISPATCH();                                  \
  }
    XAG_I64(add_i64, XAG_I32_OUT(int64_t) = static_cast<int64_t>(uint64_t(a) + uint64_t(b)))
    XAG_I64(sub_i64, XAG_I32_OUT(int64_t) = static_cast<int64_t>(uint64_t(a) - uint64_t(b)))
    XAG_I64(mul_i64, XAG_I32_OUT(int64_t) = static_cast<int64_t>(uint64_t(a) * uint64_t(b)))
    XAG_I64(eq_i64, XAG_I32_OUT(bool) = a == b)
    XAG_I64(ne_i64, XAG_I32_OUT(bool) = a != b)
    XAG_I64(lt_i64, XAG_I32_OUT(bool) = a < b)
    XAG_I64(le_i64, XAG_I32_OUT(bool) = a <= b)
    XAG_I64(gt_i64, XAG_I32_OUT(bool) = a > b)
    XAG_I64(ge_i64, XAG_I32_OUT(bool) = a >= b)
#define XAG_I64_BR(label, op)                                                      \
  label : {                                                                        \
    const Instr& in = (*ip);                                                       \
    const bool r = byte_at<int64_t>(base, in.oa) op byte_at<int64_t>(base, in.ob); \
    byte_at<bool>(base, in.oout) = r;                                              \
    ip = r ? ip + 1 : code + in.x0;                                                \
    XAG_DISPATCH();                                                                \
  }
    XAG_I64_BR(eq_i64_br, ==)
    XAG_I64_BR(ne_i64_br, !=)
    XAG_I64_BR(lt_i64_br, <)
    XAG_I64_BR(le_i64_br, <=)
    XAG_I64_BR(gt_i64_br, >)
    XAG_I64_BR(ge_i64_br, >=)
#undef XAG_I64_BR
#undef XAG_I64
  not_b:
    byte_at<bool>(base, (*ip).oout) = !byte_at<bool>(base, (*ip).oa);
    ++ip;
    XAG_DISPATCH();
  and_b:
    byte_at<bool>(base, (*ip).oout) =
        byte_at<bool>(base, (*ip).oa) && byte_at<bool>(base, (*ip).ob);
    ++ip;
    XAG_DISPATCH();
  or_b:
    byte_at<bool>(base, (*ip).oout) =
        byte_at<bool>(base, (*ip).oa) || byte_at<bool>(base, (*ip).ob);
    ++ip;
    XAG_DISPATCH();
#define XAG_SELECT(label, T)                                                                  \
  label : {                                                                                   \
    const Instr& in = (*ip);                                                                  \
    byte_at<T>(base, in.oout) = byte_at<T>(base, byte_at<bool>(base, in.oa) ? in.ob : in.oc); \
    ++ip;                                                                                     \
    XAG_DISPATCH();                                                                           \
  }
    XAG_SELECT(select_b, uint8_t)
    XAG_SELECT(select4, uint32_t)
    XAG_SELECT(select8, uint64_t)
#undef XAG_SELECT
  mod_i32 : {
    const Instr& in = (*ip);
    const int32_t a = byte_at<int32_t>(base, in.oa);
    const int32_t b = byte_at<int32_t>(base, in.ob);
    if (b == 0 || b == -1) {
      f.pc = static_cast<size_t>(ip - code);
      in.sfn(base, in);  // raises for 0; INT_MIN % -1 must not trap
    } else {
      int32_t r = a % b;
      if (r != 0 && ((r < 0) != (b < 0))) r += b;  // floor modulo, as Python
      byte_at<int32_t>(base, in.oout) = r;
    }
    ++ip;
    XAG_DISPATCH();
  }
  and_b_br : {
    const Instr& in = (*ip);
    const bool r = byte_at<bool>(base, in.oa) && byte_at<bool>(base, in.ob);
    byte_at<bool>(base, in.oout) = r;
    ip = r ? ip + 1 : code + in.x0;
    XAG_DISPATCH();
  }
  or_b_br : {
    const Instr& in = (*ip);
    const bool r = byte_at<bool>(base, in.oa) || byte_at<bool>(base, in.ob);
    byte_at<bool>(base, in.oout) = r;
    ip = r ? ip + 1 : code + in.x0;
    XAG_DISPATCH();
  }
#define XAG_F(label, T, expr)            \
  label : {                              \
    const Instr& in = *ip;               \
    const T a = byte_at<T>(base, in.oa); \
    const T b = byte_at<T>(base, in.ob); \
    expr;                                \
    ++ip;                                \
    XAG_DISPATCH();                      \
  }
#define XAG_F_BR(label, T, op)                                         \
  label : {                                                            \
    const Instr& in = *ip;                                             \
    const bool r = byte_at<T>(base, in.oa) op byte_at<T>(base, in.ob); \
    byte_at<bool>(base, in.oout) = r;                                  \
    ip = r ? ip + 1 : code + in.x0;                                    \
    XAG_DISPATCH();                                                    \
  }
    XAG_F(add_f32, float, XAG_I32_OUT(float) = a + b)
    XAG_F(sub_f32, float, XAG_I32_OUT(float) = a - b)
    XAG_F(mul_f32, float, XAG_I32_OUT(float) = a * b)
    XAG_F(lt_f32, float, XAG_I32_OUT(bool) = a < b)
    XAG_F(le_f32, float, XAG_I32_OUT(bool) = a <= b)
    XAG_F(gt_f32, float, XAG_I32_OUT(bool) = a > b)
    XAG_F(ge_f32, float, XAG_I32_OUT(bool) = a >= b)
    XAG_F_BR(lt_f32_br, float, <)
    XAG_F_BR(le_f32_br, float, <=)
    XAG_F_BR(gt_f32_br, float, >)
    XAG_F_BR(ge_f32_br, float, >=)
    XAG_F(add_f64, double, XAG_I32_OUT(double) = a + b)
    XAG_F(sub_f64, double, XAG_I32_OUT(double) = a - b)
    XAG_F(mul_f64, double, XAG_I32_OUT(double) = a * b)
    XAG_F(lt_f64, double, XAG_I32_OUT(bool) = a < b)
    XAG_F(le_f64, double, XAG_I32_OUT(bool) = a <= b)
    XAG_F(gt_f64, double, XAG_I32_OUT(bool) = a > b)
    XAG_F(ge_f64, double, XAG_I32_OUT(bool) = a >= b)
    XAG_F_BR(lt_f64_br, double, <)
    XAG_F_BR(le_f64_br, double, <=)
    XAG_F_BR(gt_f64_br, double, >)
    XAG_F_BR(ge_f64_br, double, >=)
#undef XAG_F_BR
#undef XAG_F
  abs_f32:
    byte_at<float>(base, ip->oout) = std::fabs(byte_at<float>(base, ip->oa));
    ++ip;
    XAG_DISPATCH();
  abs_f64:
    byte_at<double>(base, ip->oout) = std::fabs(byte_at<double>(base, ip->oa));
    ++ip;
    XAG_DISPATCH();
#define XAG_GETITEM(label, U)                                             \
  label : {                                                               \
    const Instr& in = *ip;                                                \
    const Tensor& x = f.t[static_cast<size_t>(in.a)];                     \
    const int64_t n = x.num_elements();                                   \
    int64_t i = byte_at<int32_t>(base, in.ob);                            \
    if (i < 0) i += n;                                                    \
    if (i < 0 || i >= n) {                                                \
      f.pc = static_cast<size_t>(ip - code);                              \
      in.sfn(base, in); /* raises the out-of-bounds error */              \
    } else {                                                              \
      byte_at<U>(base, in.oout) = static_cast<const U*>(x.raw_data())[i]; \
    }                                                                     \
    ++ip;                                                                 \
    XAG_DISPATCH();                                                       \
  }
    XAG_GETITEM(getitem4, uint32_t)
    XAG_GETITEM(getitem8, uint64_t)
#undef XAG_GETITEM
#undef XAG_I32_BR
#undef XAG_I32_OUT
#undef XAG_I32
  } catch (const LocatedError&) {
    throw;
  } catch (const InvalidArgumentError& e) {
    // Name the user's line: the failing node's location (or its enclosing Cond/While's).
    const Instr& in = code[f.pc];
    if (in.loc >= 0) throw LocatedError(e.what(), p.locs[static_cast<size_t>(in.loc)]);
    throw;
  }
#undef XAG_DISPATCH
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
