// Lowered program -> LLVM IR: one function per program, one basic block per instruction.
// Control flow (jumps, Cond, While with its maximum and cancellation point), the inline
// scalar families of instructions.def (codegen_scalar.cpp) and appends of a scalar to a packed
// list (codegen_list.cpp) become IR; every other instruction becomes a call to a
// helper (helpers.cpp) that runs the interpreter's code for it, so the semantics are the
// interpreter's by construction.
//
// 0-d slots whose width is known (slot_types.h) live in allocas, which LLVM turns into
// registers; the frame's memory copy of a slot is brought up to date before a helper call that
// may read it ("spill") and read back after one that may write it ("reload"). Slots of unknown
// width are read and written in the frame's memory, as the interpreter does.
#include "runtime/jit/codegen.h"

#include <llvm/IR/Intrinsics.h>

#include <cstring>

namespace xag::rt::jit {

using exec::Code;
using exec::Instr;
using llvm::BasicBlock;
using llvm::Value;

Codegen::Codegen(const exec::Program& p, llvm::LLVMContext& ctx, llvm::Module& m)
    : p_(p), c_(ctx), m_(m), b_(ctx), types_(infer_slot_types(p)) {}

llvm::Type* Codegen::type_of(SlotKind k) {
  switch (k) {
    case SlotKind::I8:
      return b_.getInt8Ty();
    case SlotKind::I32:
      return b_.getInt32Ty();
    case SlotKind::I64:
      return b_.getInt64Ty();
    case SlotKind::F32:
      return b_.getFloatTy();
    case SlotKind::F64:
      return b_.getDoubleTy();
    default:
      throw CompileError("internal: slot of unknown kind");
  }
}

llvm::Type* Codegen::slot_type(int32_t slot) const {
  if (slot < 0 || static_cast<size_t>(slot) >= reg_.size()) return nullptr;
  if (llvm::Constant* c = const_[static_cast<size_t>(slot)]) return c->getType();
  llvm::AllocaInst* r = reg_[static_cast<size_t>(slot)];
  return r ? r->getAllocatedType() : nullptr;
}

bool Codegen::promoted(int32_t slot) const {
  return slot >= 0 && static_cast<size_t>(slot) < reg_.size() && reg_[static_cast<size_t>(slot)];
}

Value* Codegen::addr(int32_t slot) {
  const auto off = static_cast<uint64_t>(slot) * sizeof(Tensor);
  return b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), base_, off);
}

Value* Codegen::as(Value* v, llvm::Type* t) {
  return v->getType() == t ? v : b_.CreateBitCast(v, t);
}

// Preset 0-d slots that no instruction writes hold their constant in every run: IR constants
// (LLVM folds them: x * 3 becomes a lea, x % 2 a mask).
void Codegen::find_constants() {
  const size_t n = static_cast<size_t>(p_.num_tensor_slots);
  std::vector<bool> written(n, false);
  auto mark = [&](int32_t s) {
    if (s >= 0 && static_cast<size_t>(s) < n) written[static_cast<size_t>(s)] = true;
  };
  for (const Instr& in : p_.code) mark(in.out);
  for (const exec::TransferList& tl : p_.transfers) {
    for (const exec::Transfer& t : tl.items) mark(t.dst), mark(t.tmp);
  }
  for (int32_t s : p_.param_slots) mark(s);
  const_.assign(n, nullptr);
  for (const auto& [slot, value] : p_.preset) {
    const size_t s = static_cast<size_t>(slot);
    const SlotKind k = s < n ? types_.kind[s] : SlotKind::Unknown;
    if (s >= n || written[s] || k == SlotKind::Unknown || k == SlotKind::Mixed ||
        value.rank() != 0 || !value.on_host() ||
        dtype_size(value.dtype()) != static_cast<size_t>(width_of(k))) {
      continue;
    }
    uint64_t bits = 0;
    std::memcpy(&bits, value.raw_data(), static_cast<size_t>(width_of(k)));
    llvm::Type* t = type_of(k);
    const_[s] = llvm::ConstantExpr::getBitCast(
        llvm::ConstantInt::get(b_.getIntNTy(static_cast<unsigned>(width_of(k) * 8)), bits), t);
  }
}

Value* Codegen::get(int32_t slot, llvm::Type* t) {
  if (slot >= 0 && static_cast<size_t>(slot) < const_.size() && const_[static_cast<size_t>(slot)]) {
    return as(const_[static_cast<size_t>(slot)], t);
  }
  if (promoted(slot)) {
    llvm::AllocaInst* r = reg_[static_cast<size_t>(slot)];
    return as(b_.CreateLoad(r->getAllocatedType(), r), t);
  }
  return b_.CreateLoad(t, b_.CreateBitCast(addr(slot), t->getPointerTo()));
}

void Codegen::set(int32_t slot, Value* v) {
  if (promoted(slot)) {
    llvm::AllocaInst* r = reg_[static_cast<size_t>(slot)];
    b_.CreateStore(as(v, r->getAllocatedType()), r);
    return;
  }
  b_.CreateStore(v, b_.CreateBitCast(addr(slot), v->getType()->getPointerTo()));
}

Value* Codegen::get_bool(int32_t slot) {
  return b_.CreateICmpNE(get(slot, b_.getInt8Ty()), b_.getInt8(0));
}

void Codegen::set_bool(int32_t slot, Value* v) {
  set(slot, b_.CreateZExt(v, b_.getInt8Ty()));
}

void Codegen::spill(const std::vector<int32_t>& slots) {
  for (int32_t s : slots) {
    if (!promoted(s)) continue;
    llvm::AllocaInst* r = reg_[static_cast<size_t>(s)];
    Value* v = b_.CreateLoad(r->getAllocatedType(), r);
    b_.CreateStore(v, b_.CreateBitCast(addr(s), v->getType()->getPointerTo()));
  }
}

void Codegen::reload(const std::vector<int32_t>& slots) {
  for (int32_t s : slots) {
    if (!promoted(s)) continue;
    llvm::AllocaInst* r = reg_[static_cast<size_t>(s)];
    llvm::Type* t = r->getAllocatedType();
    b_.CreateStore(b_.CreateLoad(t, b_.CreateBitCast(addr(s), t->getPointerTo())), r);
  }
  for (int32_t s : slots) refresh_vector(s);
}

void Codegen::refresh_vector(int32_t slot) {
  if (slot < 0 || static_cast<size_t>(slot) >= vec_data_.size() ||
      !vec_data_[static_cast<size_t>(slot)]) {
    return;
  }
  auto* ft = llvm::FunctionType::get(
      b_.getInt8PtrTy(), {b_.getInt8PtrTy(), b_.getInt32Ty(), b_.getInt8PtrTy()}, false);
  Value* data =
      b_.CreateCall(ft, const_ptr(b_, &xag_jit_vec),
                    {call_, b_.getInt32(slot), b_.CreateBitCast(out_, b_.getInt8PtrTy())});
  b_.CreateStore(data, vec_data_[static_cast<size_t>(slot)]);
  b_.CreateStore(b_.CreateLoad(b_.getInt64Ty(), out_), vec_n_[static_cast<size_t>(slot)]);
}

BasicBlock* Codegen::block() {
  return BasicBlock::Create(c_, "", fn_);
}

void Codegen::check(Value* failed) {
  BasicBlock* ok = block();
  b_.CreateCondBr(failed, fail_, ok);
  b_.SetInsertPoint(ok);
}

// The slots an instruction run by a helper may read or write: those it names, or for a
// transfer those of its list (list slots among them are harmless: spilling or reloading a
// register whose frame copy is current changes nothing).
std::vector<int32_t> Codegen::operands(const Instr& in) const {
  std::vector<int32_t> s = {in.a, in.b, in.c, in.out};
  s.insert(s.end(), in.ins.begin(), in.ins.end());
  if (in.code == Code::Call) {  // a graph function's results
    const std::vector<int32_t>& outs = p_.calls.at(static_cast<size_t>(in.payload)).outs;
    s.insert(s.end(), outs.begin(), outs.end());
  }
  if (in.code == Code::Transfer) {
    for (const exec::Transfer& t : p_.transfers.at(static_cast<size_t>(in.x0)).items) {
      s.insert(s.end(), {t.src, t.dst, t.tmp});
    }
  }
  return s;
}

void Codegen::call_helper(const Instr& in, size_t pc, bool use_sfn) {
  if (!use_sfn) flush_lists();  // interpreter code may look at a claimed list
  const std::vector<int32_t> touched = operands(in);
  spill(touched);
  auto* ft = llvm::FunctionType::get(
      b_.getInt32Ty(), {b_.getInt8PtrTy(), b_.getInt8PtrTy(), b_.getInt64Ty()}, false);
  Value* instr = const_ptr(b_, &in);
  Value* helper = use_sfn                         ? const_ptr(b_, &xag_jit_sfn)
                  : in.code == Code::ListPushBack ? const_ptr(b_, &xag_jit_push)
                                                  : const_ptr(b_, &xag_jit_exec);
  Value* st = b_.CreateCall(ft, helper, {call_, instr, b_.getInt64(pc)});
  reload(touched);
  check(b_.CreateICmpNE(st, b_.getInt32(0)));
}

// The cancellation point of a loop iteration: the interrupt flag, then the poll countdown.
void Codegen::tick(size_t pc) {
  Value* flag = const_ptr(b_, &detail::g_interrupt_flag);
  llvm::LoadInst* f = b_.CreateLoad(b_.getInt8Ty(), flag);
  f->setAtomic(llvm::AtomicOrdering::Monotonic);
  f->setAlignment(llvm::Align(1));
  BasicBlock* cancel = block();
  BasicBlock* go = block();
  b_.CreateCondBr(b_.CreateICmpNE(f, b_.getInt8(0)), cancel, go, weights_cold_);
  b_.SetInsertPoint(cancel);
  auto* cft = llvm::FunctionType::get(b_.getVoidTy(), {b_.getInt8PtrTy(), b_.getInt64Ty()}, false);
  b_.CreateCall(cft, const_ptr(b_, &xag_jit_cancel), {call_, b_.getInt64(pc)});
  b_.CreateBr(fail_);
  b_.SetInsertPoint(go);
  Value* cd = b_.CreateSub(b_.CreateLoad(b_.getInt64Ty(), countdown_), b_.getInt64(1));
  b_.CreateStore(cd, countdown_);
  BasicBlock* poll = block();
  BasicBlock* done = block();
  b_.CreateCondBr(b_.CreateICmpSLE(cd, b_.getInt64(0)), poll, done, weights_cold_);
  b_.SetInsertPoint(poll);
  auto* pft = llvm::FunctionType::get(b_.getInt64Ty(), {b_.getInt8PtrTy(), b_.getInt64Ty()}, false);
  Value* next = b_.CreateCall(pft, const_ptr(b_, &xag_jit_poll), {call_, b_.getInt64(pc)});
  b_.CreateStore(next, countdown_);
  check(b_.CreateICmpSLT(next, b_.getInt64(0)));
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

void Codegen::count_iteration() {
  b_.CreateStore(b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), iters_), b_.getInt64(1)), iters_);
}

void Codegen::emit_entry(llvm::Function* fn) {
  fn_ = fn;
  auto arg = fn->arg_begin();
  call_ = &*arg++;
  base_ = &*arg++;
  iterations_ = &*arg;
  BasicBlock* entry = BasicBlock::Create(c_, "entry", fn_);
  fail_ = BasicBlock::Create(c_, "fail", fn_);  // filled by emit(), once the cursors exist
  b_.SetInsertPoint(entry);
  weights_cold_ = llvm::MDBuilder(c_).createBranchWeights(1, 1 << 20);
  const size_t n = static_cast<size_t>(p_.num_tensor_slots);
  reg_.assign(n, nullptr);
  vec_data_.assign(n, nullptr);
  vec_n_.assign(n, nullptr);
  find_constants();
  for (size_t s = 0; s < n; ++s) {
    const SlotKind k = types_.kind[s];
    if (k != SlotKind::Unknown && k != SlotKind::Mixed && !const_[s]) {
      reg_[s] = b_.CreateAlloca(type_of(k));
      all_slots_.push_back(static_cast<int32_t>(s));
    }
    if (types_.vector[s]) {
      vec_data_[s] = b_.CreateAlloca(b_.getInt8PtrTy());
      vec_n_[s] = b_.CreateAlloca(b_.getInt64Ty());
    }
  }
  for (int32_t i = 0; i < p_.num_loops; ++i) {
    loop_it_.push_back(b_.CreateAlloca(b_.getInt64Ty()));
    loop_max_.push_back(b_.CreateAlloca(b_.getInt64Ty()));
  }
  countdown_ = b_.CreateAlloca(b_.getInt64Ty());
  iters_ = b_.CreateAlloca(b_.getInt64Ty());
  out_ = b_.CreateAlloca(b_.getInt64Ty());  // out-parameter of helpers (escapes)
  make_cursors();
  b_.CreateStore(b_.getInt64(1), countdown_);
  b_.CreateStore(b_.getInt64(0), iters_);
  std::vector<int32_t> every(n);
  for (size_t s = 0; s < n; ++s) every[s] = static_cast<int32_t>(s);
  reload(every);  // registers from the frame (params, presets); vector data
  for (size_t pc = 0; pc < p_.code.size(); ++pc) blocks_.push_back(block());
  b_.CreateBr(blocks_[0]);
}

void Codegen::emit(llvm::Function* fn) {
  emit_entry(fn);
  for (size_t pc = 0; pc < p_.code.size(); ++pc) {
    b_.SetInsertPoint(blocks_[pc]);
    const Instr& in = p_.code[pc];
    if (info_of(in.code).family != Family::None) {
      emit_inline(in, pc);
    } else {
      emit_control(in, pc);
    }
  }
  b_.SetInsertPoint(fail_);
  flush_lists();  // the frame's lists stay consistent for whatever runs next
  b_.CreateRet(b_.getInt32(1));
}

BasicBlock* Codegen::at(int64_t pc) {
  if (pc < 0 || static_cast<size_t>(pc) >= blocks_.size()) {
    throw CompileError("jump target " + std::to_string(pc) + " out of the program");
  }
  return blocks_[static_cast<size_t>(pc)];
}

void Codegen::emit_control(const Instr& in, size_t pc) {
  const auto next = static_cast<int64_t>(pc) + 1;
  switch (in.code) {
    case Code::Scalar:
      call_helper(in, pc, true);
      b_.CreateBr(at(next));
      return;
    case Code::ScalarCopy: {
      // In the width either slot is known to have (8 bytes when neither is).
      llvm::Type* t = slot_type(in.a) ? slot_type(in.a) : slot_type(in.out);
      set(in.out, get(in.a, t ? t : b_.getInt64Ty()));
      b_.CreateBr(at(next));
      return;
    }
    case Code::Jump:
      b_.CreateBr(at(in.x0));
      return;
    case Code::JumpIfFalse: {
      Value* c = nullptr;
      if (in.b == 1) {
        c = get_bool(in.a);
      } else {
        spill({in.a});
        auto* ft = llvm::FunctionType::get(
            b_.getInt32Ty(), {b_.getInt8PtrTy(), b_.getInt32Ty(), b_.getInt64Ty()}, false);
        Value* r = b_.CreateCall(ft, const_ptr(b_, &xag_jit_truth),
                                 {call_, b_.getInt32(in.a), b_.getInt64(pc)});
        check(b_.CreateICmpSLT(r, b_.getInt32(0)));
        c = b_.CreateICmpNE(r, b_.getInt32(0));
      }
      b_.CreateCondBr(c, at(next), at(in.x0));
      return;
    }
    case Code::LoopStart:
      emit_loop_start(in, pc);
      b_.CreateBr(at(next));
      return;
    case Code::LoopHead: {
      tick(pc);
      b_.CreateCondBr(loop_done(in.x0, nullptr), at(in.x1), at(next));
      return;
    }
    case Code::LoopBack: {
      llvm::AllocaInst* it = loop(loop_it_, in.x0);
      Value* n = b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), it), b_.getInt64(1));
      b_.CreateStore(n, it);
      count_iteration();
      tick(pc);
      const Instr& head = p_.code.at(static_cast<size_t>(in.x1));
      b_.CreateCondBr(loop_done(in.x0, n), at(head.x1), at(in.x1 + 1));
      return;
    }
    case Code::LoopBackFree:
      count_iteration();
      tick(pc);
      b_.CreateBr(at(in.x1 + 1));
      return;
    case Code::Halt:
      flush_lists();
      spill(p_.results);  // the run reads only the results from the frame afterwards
      b_.CreateStore(b_.CreateLoad(b_.getInt64Ty(), iters_), iterations_);
      b_.CreateRet(b_.getInt32(0));
      return;
    default:
      if (inline_push(in)) return emit_push(in, pc);
      call_helper(in, pc, false);
      b_.CreateBr(at(next));
      return;
  }
}

llvm::AllocaInst* Codegen::loop(const std::vector<llvm::AllocaInst*>& v, int32_t i) const {
  if (i < 0 || static_cast<size_t>(i) >= v.size()) throw CompileError("bad loop index");
  return v[static_cast<size_t>(i)];
}

void Codegen::emit_loop_start(const Instr& in, size_t pc) {
  b_.CreateStore(b_.getInt64(0), loop(loop_it_, in.x0));
  Value* mx = b_.getInt64(-1);
  if (in.c >= 0) {
    spill({in.c});
    auto* ft = llvm::FunctionType::get(
        b_.getInt32Ty(), {b_.getInt8PtrTy(), b_.getInt32Ty(), b_.getInt64Ty(), b_.getInt8PtrTy()},
        false);
    Value* st = b_.CreateCall(
        ft, const_ptr(b_, &xag_jit_item_i64),
        {call_, b_.getInt32(in.c), b_.getInt64(pc), b_.CreateBitCast(out_, b_.getInt8PtrTy())});
    check(b_.CreateICmpNE(st, b_.getInt32(0)));
    mx = b_.CreateLoad(b_.getInt64Ty(), out_);
  }
  b_.CreateStore(mx, loop(loop_max_, in.x0));
}

// mx >= 0 && it >= mx, with `it` the iteration count (loaded when null).
Value* Codegen::loop_done(int32_t loop_index, Value* it) {
  if (!it) it = b_.CreateLoad(b_.getInt64Ty(), loop(loop_it_, loop_index));
  Value* mx = b_.CreateLoad(b_.getInt64Ty(), loop(loop_max_, loop_index));
  return b_.CreateAnd(b_.CreateICmpSGE(mx, b_.getInt64(0)), b_.CreateICmpSGE(it, mx));
}

}  // namespace xag::rt::jit
