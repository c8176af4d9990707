// Appends of a scalar to a packed list, in native code. A loop's `out.append(x)` takes the list
// over (Instr::steal) and writes x's bytes into the list's buffer, which has room for
// ListData::scalar_capacity elements. The native code claims the list once (a helper checks
// what the interpreter's fast path checks: taken over, exclusively owned, packed 0-d elements of
// x's dtype and width) and then keeps the cursor (buffer, count, capacity) in registers:
// appends are a store and an increment. The count goes back into the ListData ("flush") before
// anything else can look at the list: every helper call that runs interpreter code, the end of
// the run and its failure. A full buffer takes the helper, whose push doubles the capacity
// (amortized O(1)); the list is claimed again on the next append.
#include "runtime/jit/codegen.h"

namespace xag::rt::jit {

using exec::Instr;
using llvm::BasicBlock;
using llvm::Value;

// The lists with an inline append: their cursors, cleared (no list claimed) at entry.
void Codegen::make_cursors() {
  cursor_.assign(static_cast<size_t>(p_.num_list_slots), Cursor{});
  for (const Instr& in : p_.code) {
    if (!inline_push(in)) continue;
    Cursor& k = cursor_[static_cast<size_t>(in.a)];
    if (k.list) continue;
    k.list = b_.CreateAlloca(b_.getInt8PtrTy());
    k.data = b_.CreateAlloca(b_.getInt8PtrTy());
    k.count = b_.CreateAlloca(b_.getInt64Ty());
    k.capacity = b_.CreateAlloca(b_.getInt64Ty());
    b_.CreateStore(llvm::ConstantPointerNull::get(b_.getInt8PtrTy()), k.list);
    claim_out_ =
        claim_out_ ? claim_out_ : b_.CreateAlloca(llvm::ArrayType::get(b_.getInt64Ty(), 4));
  }
}

// An append the native code can do itself: onto a list it takes over and keeps in its slot, of
// an element whose width the code knows (a register or a constant).
bool Codegen::inline_push(const Instr& in) const {
  if (in.code != exec::Code::ListPushBack || !in.steal || in.out != in.a || in.a < 0 ||
      in.a >= p_.num_list_slots) {
    return false;
  }
  llvm::Type* t = slot_type(in.b);
  return t && (t->isIntegerTy() || t->isFloatingPointTy()) && t->getPrimitiveSizeInBits() >= 8;
}

void Codegen::flush_lists() {
  for (const Cursor& k : cursor_) {
    if (!k.list) continue;
    Value* l = b_.CreateLoad(b_.getInt8PtrTy(), k.list);
    BasicBlock* store = block();
    BasicBlock* done = block();
    b_.CreateCondBr(b_.CreateIsNotNull(l), store, done);
    b_.SetInsertPoint(store);
    Value* at = b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), l, list_count_offset());
    b_.CreateStore(b_.CreateLoad(b_.getInt64Ty(), k.count),
                   b_.CreateBitCast(at, b_.getInt64Ty()->getPointerTo()));
    b_.CreateStore(llvm::ConstantPointerNull::get(b_.getInt8PtrTy()), k.list);
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }
}

void Codegen::emit_push(const Instr& in, size_t pc) {
  const Cursor& k = cursor_.at(static_cast<size_t>(in.a));
  llvm::Type* et = slot_type(in.b);
  const auto bytes = static_cast<int64_t>(et->getPrimitiveSizeInBits() / 8);
  BasicBlock* claim = block();
  BasicBlock* claimed = block();
  BasicBlock* fast = block();
  BasicBlock* slow = block();
  b_.CreateCondBr(b_.CreateIsNull(b_.CreateLoad(b_.getInt8PtrTy(), k.list)), claim, claimed);

  b_.SetInsertPoint(claim);
  auto* ft = llvm::FunctionType::get(
      b_.getInt8PtrTy(), {b_.getInt8PtrTy(), b_.getInt8PtrTy(), b_.getInt64Ty(), b_.getInt8PtrTy()},
      false);
  Value* instr = const_ptr(b_, &in);
  Value* fn = const_ptr(b_, &xag_jit_list_claim);
  Value* l = b_.CreateCall(
      ft, fn, {call_, instr, b_.getInt64(bytes), b_.CreateBitCast(claim_out_, b_.getInt8PtrTy())});
  BasicBlock* got = block();
  b_.CreateCondBr(b_.CreateIsNull(l), slow, got);
  b_.SetInsertPoint(got);
  auto field = [&](unsigned i) {
    return b_.CreateLoad(b_.getInt64Ty(), b_.CreateConstInBoundsGEP2_32(
                                              claim_out_->getAllocatedType(), claim_out_, 0, i));
  };
  b_.CreateStore(b_.CreateIntToPtr(field(0), b_.getInt8PtrTy()), k.data);
  b_.CreateStore(field(1), k.count);
  b_.CreateStore(field(2), k.capacity);
  b_.CreateStore(l, k.list);
  b_.CreateBr(claimed);

  b_.SetInsertPoint(claimed);
  Value* n = b_.CreateLoad(b_.getInt64Ty(), k.count);
  b_.CreateCondBr(b_.CreateICmpULT(n, b_.CreateLoad(b_.getInt64Ty(), k.capacity)), fast, slow,
                  llvm::MDBuilder(c_).createBranchWeights(1 << 20, 1));

  b_.SetInsertPoint(fast);
  Value* data = b_.CreateBitCast(b_.CreateLoad(b_.getInt8PtrTy(), k.data), et->getPointerTo());
  b_.CreateStore(get(in.b, et), b_.CreateInBoundsGEP(et, data, n));
  b_.CreateStore(b_.CreateAdd(n, b_.getInt64(1)), k.count);
  b_.CreateBr(at(static_cast<int64_t>(pc) + 1));

  b_.SetInsertPoint(slow);  // full (the helper grows the buffer) or not claimable
  call_helper(in, pc, false);
  b_.CreateBr(at(static_cast<int64_t>(pc) + 1));
}

}  // namespace xag::rt::jit
