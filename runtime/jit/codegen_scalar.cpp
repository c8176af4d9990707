// The inline scalar families of instructions.def as IR. The operations are the plain machine
// operations the functors of runtime/ops/scalar_math.h compile to: integers wrap (add/sub/mul
// without overflow flags), float compares are the C++ ones (ordered, != unordered), abs of a
// float is fabs, of an int wraps at INT_MIN. What these cannot handle (modulo by 0 or -1, an
// index out of range) goes to the instruction's scalar kernel, as in the interpreter.
#include <llvm/IR/Intrinsics.h>

#include "runtime/jit/codegen.h"

namespace xag::rt::jit {

using exec::Instr;
using llvm::Value;

namespace {

const char* family_name(Family f) {
  switch (f) {
    case Family::Binary:
      return "binary";
    case Family::Test:
    case Family::TestBr:
      return "test";
    case Family::Unary:
      return "unary";
    default:
      return "scalar";
  }
}

}  // namespace

Value* Codegen::emit_arith(const CodeInfo& ci, Value* a, Value* b) {
  const bool fp = ci.dtype == DType::Float32 || ci.dtype == DType::Float64;
  const bool boolean = ci.dtype == DType::Bool;
  switch (ci.op) {
    case OpKind::Add:
      return fp ? b_.CreateFAdd(a, b) : boolean ? b_.CreateOr(a, b) : b_.CreateAdd(a, b);
    case OpKind::Sub:
      if (boolean) break;
      return fp ? b_.CreateFSub(a, b) : b_.CreateSub(a, b);
    case OpKind::Mul:
      return fp ? b_.CreateFMul(a, b) : boolean ? b_.CreateAnd(a, b) : b_.CreateMul(a, b);
    case OpKind::LogicalAnd:
      if (boolean) return b_.CreateAnd(a, b);
      break;
    case OpKind::LogicalOr:
      if (boolean) return b_.CreateOr(a, b);
      break;
    case OpKind::Equal:
      return fp ? b_.CreateFCmpOEQ(a, b) : b_.CreateICmpEQ(a, b);
    case OpKind::NotEqual:
      return fp ? b_.CreateFCmpUNE(a, b) : b_.CreateICmpNE(a, b);
    case OpKind::Less:
      return fp        ? b_.CreateFCmpOLT(a, b)
             : boolean ? b_.CreateICmpULT(a, b)
                       : b_.CreateICmpSLT(a, b);
    case OpKind::LessEqual:
      return fp        ? b_.CreateFCmpOLE(a, b)
             : boolean ? b_.CreateICmpULE(a, b)
                       : b_.CreateICmpSLE(a, b);
    case OpKind::Greater:
      return fp        ? b_.CreateFCmpOGT(a, b)
             : boolean ? b_.CreateICmpUGT(a, b)
                       : b_.CreateICmpSGT(a, b);
    case OpKind::GreaterEqual:
      return fp        ? b_.CreateFCmpOGE(a, b)
             : boolean ? b_.CreateICmpUGE(a, b)
                       : b_.CreateICmpSGE(a, b);
    default:
      break;
  }
  throw CompileError(std::string("no IR for the ") + family_name(ci.family) + " op " +
                     op_name(ci.op) + " on " + dtype_name(ci.dtype));
}

Value* Codegen::emit_unary(const CodeInfo& ci, Value* a) {
  const bool fp = ci.dtype == DType::Float32 || ci.dtype == DType::Float64;
  if (ci.op == OpKind::LogicalNot && ci.dtype == DType::Bool) return b_.CreateNot(a);
  if (ci.op == OpKind::Abs && fp) {
    return b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, a);
  }
  if (ci.op == OpKind::Abs && ci.dtype != DType::Bool) {
    Value* zero = llvm::ConstantInt::get(a->getType(), 0);
    return b_.CreateSelect(b_.CreateICmpSLT(a, zero), b_.CreateSub(zero, a), a);
  }
  throw CompileError(std::string("no IR for the unary op ") + op_name(ci.op) + " on " +
                     dtype_name(ci.dtype));
}

// Python's floor modulo, as the interpreter's fast case; b == 0 or -1 through the kernel (0
// raises; INT_MIN % -1 must not trap).
void Codegen::emit_mod(const Instr& in, size_t pc, llvm::Type* t) {
  Value* a = get(in.a, t);
  Value* b = get(in.b, t);
  Value* zero = llvm::ConstantInt::get(t, 0);
  Value* special = b_.CreateOr(b_.CreateICmpEQ(b, zero),
                               b_.CreateICmpEQ(b, llvm::ConstantInt::get(t, -1, true)));
  llvm::BasicBlock* slow = block();
  llvm::BasicBlock* fast = block();
  b_.CreateCondBr(special, slow, fast, weights_cold_);
  b_.SetInsertPoint(slow);
  call_helper(in, pc, true);
  b_.CreateBr(at(static_cast<int64_t>(pc) + 1));
  b_.SetInsertPoint(fast);
  Value* r = b_.CreateSRem(a, b);
  Value* fix = b_.CreateAnd(b_.CreateICmpNE(r, zero),
                            b_.CreateICmpNE(b_.CreateICmpSLT(r, zero), b_.CreateICmpSLT(b, zero)));
  set(in.out, b_.CreateSelect(fix, b_.CreateAdd(r, b), r));
}

// x[i] with i in range from the vector's cached data; else the kernel (which raises).
void Codegen::emit_getitem(const Instr& in, size_t pc, int bytes) {
  llvm::Type* et = b_.getIntNTy(static_cast<unsigned>(bytes * 8));
  Value* i0 = b_.CreateSExt(get(in.b, b_.getInt32Ty()), b_.getInt64Ty());
  Value* n = b_.CreateLoad(b_.getInt64Ty(), vec_n_.at(static_cast<size_t>(in.a)));
  Value* i = b_.CreateSelect(b_.CreateICmpSLT(i0, b_.getInt64(0)), b_.CreateAdd(i0, n), i0);
  llvm::BasicBlock* slow = block();
  llvm::BasicBlock* fast = block();
  b_.CreateCondBr(b_.CreateICmpULT(i, n), fast, slow);
  b_.SetInsertPoint(slow);
  call_helper(in, pc, true);
  b_.CreateBr(at(static_cast<int64_t>(pc) + 1));
  b_.SetInsertPoint(fast);
  Value* data = b_.CreateLoad(b_.getInt8PtrTy(), vec_data_.at(static_cast<size_t>(in.a)));
  Value* ptr = b_.CreateInBoundsGEP(et, b_.CreateBitCast(data, et->getPointerTo()), i);
  set(in.out, b_.CreateLoad(et, ptr));
}

void Codegen::emit_inline(const Instr& in, size_t pc) {
  const CodeInfo& ci = info_of(in.code);
  const SlotKind k = kind_of(ci.dtype);
  const bool boolean = ci.dtype == DType::Bool;
  auto operand = [&](int32_t slot) { return boolean ? get_bool(slot) : get(slot, type_of(k)); };
  auto next = [&] { b_.CreateBr(at(static_cast<int64_t>(pc) + 1)); };
  switch (ci.family) {
    case Family::Binary: {
      Value* r = emit_arith(ci, operand(in.a), operand(in.b));
      boolean ? set_bool(in.out, r) : set(in.out, r);
      return next();
    }
    case Family::Test:
    case Family::TestBr: {
      Value* r = emit_arith(ci, operand(in.a), operand(in.b));
      set_bool(in.out, r);
      if (ci.family == Family::Test) return next();
      b_.CreateCondBr(r, at(static_cast<int64_t>(pc) + 1), at(in.x0));
      return;
    }
    case Family::Unary: {
      Value* r = emit_unary(ci, operand(in.a));
      boolean ? set_bool(in.out, r) : set(in.out, r);
      return next();
    }
    case Family::Shift: {
      llvm::Type* t = type_of(k);
      if (boolean || ci.dtype == DType::Float32 || ci.dtype == DType::Float64) break;
      Value* a = get(in.a, t);
      Value* r = ci.op == OpKind::FloorDiv
                     ? b_.CreateAShr(a, llvm::ConstantInt::get(t, static_cast<uint64_t>(in.c)))
                     : b_.CreateAnd(a, llvm::ConstantInt::get(
                                           t, (uint64_t{1} << static_cast<unsigned>(in.c)) - 1));
      set(in.out, r);
      return next();
    }
    case Family::Guarded:
      if (ci.op != OpKind::Mod || (k != SlotKind::I32 && k != SlotKind::I64)) break;
      emit_mod(in, pc, type_of(k));
      return next();
    case Family::Select: {
      llvm::Type* t = type_of(int_kind(ci.bytes));
      set(in.out, b_.CreateSelect(get_bool(in.a), get(in.b, t), get(in.c, t)));
      return next();
    }
    case Family::GetItem:
      emit_getitem(in, pc, ci.bytes);
      return next();
    case Family::None:
      break;
  }
  throw CompileError(std::string("no IR for the scalar op ") + op_name(ci.op) + " on " +
                     dtype_name(ci.dtype));
}

}  // namespace xag::rt::jit
