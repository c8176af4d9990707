// The code generator's state (codegen.cpp: control flow, helper calls; codegen_scalar.cpp: the
// inline scalar families). Only runtime/jit/*.cpp built with LLVM include this.
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include <vector>

#include "runtime/jit/native.h"
#include "runtime/jit/slot_types.h"

namespace xag::rt::jit {

// The address `p` of this process as an i8* constant (the code runs where it is compiled).
template <class T>
llvm::Value* const_ptr(llvm::IRBuilder<>& b, T* p) {
  return llvm::ConstantExpr::getIntToPtr(b.getInt64(reinterpret_cast<uint64_t>(p)),
                                         b.getInt8PtrTy());
}

// Optimizes the module in place for `tm`'s CPU (optimize.cpp).
void optimize(llvm::Module& m, llvm::TargetMachine* tm);

class Codegen {
 public:
  Codegen(const exec::Program& p, llvm::LLVMContext& ctx, llvm::Module& m);
  // Fills `fn`, of type NativeFn. Throws CompileError for what it cannot express.
  void emit(llvm::Function* fn);

 private:
  void emit_entry(llvm::Function* fn);
  void find_constants();
  void emit_control(const exec::Instr& in, size_t pc);
  void emit_inline(const exec::Instr& in, size_t pc);
  void emit_loop_start(const exec::Instr& in, size_t pc);
  llvm::Value* emit_arith(const CodeInfo& ci, llvm::Value* a, llvm::Value* b);
  llvm::Value* emit_unary(const CodeInfo& ci, llvm::Value* a);
  void emit_mod(const exec::Instr& in, size_t pc, llvm::Type* t);
  void emit_getitem(const exec::Instr& in, size_t pc, int bytes);
  // Inline appends (codegen_list.cpp).
  void make_cursors();
  bool inline_push(const exec::Instr& in) const;
  void emit_push(const exec::Instr& in, size_t pc);
  void flush_lists();

  llvm::Type* type_of(SlotKind k);
  bool promoted(int32_t slot) const;
  llvm::Type* slot_type(int32_t slot) const;  // of its register or constant; null: memory
  llvm::Value* addr(int32_t slot);
  llvm::Value* as(llvm::Value* v, llvm::Type* t);
  llvm::Value* get(int32_t slot, llvm::Type* t);
  void set(int32_t slot, llvm::Value* v);
  llvm::Value* get_bool(int32_t slot);
  void set_bool(int32_t slot, llvm::Value* v);
  void spill(const std::vector<int32_t>& slots);
  void reload(const std::vector<int32_t>& slots);
  void refresh_vector(int32_t slot);
  std::vector<int32_t> operands(const exec::Instr& in) const;
  void call_helper(const exec::Instr& in, size_t pc, bool use_sfn);
  void tick(size_t pc);
  void count_iteration();
  llvm::BasicBlock* block();
  llvm::BasicBlock* at(int64_t pc);
  void check(llvm::Value* failed);
  llvm::AllocaInst* loop(const std::vector<llvm::AllocaInst*>& v, int32_t i) const;
  llvm::Value* loop_done(int32_t loop_index, llvm::Value* it);

  const exec::Program& p_;
  llvm::LLVMContext& c_;
  llvm::Module& m_;
  llvm::IRBuilder<> b_;
  SlotTypes types_;
  llvm::Function* fn_ = nullptr;
  llvm::Value *call_ = nullptr, *base_ = nullptr, *iterations_ = nullptr;
  llvm::BasicBlock* fail_ = nullptr;  // returns 1 (a helper recorded the error)
  llvm::MDNode* weights_cold_ = nullptr;
  std::vector<llvm::BasicBlock*> blocks_;    // per instruction
  std::vector<llvm::AllocaInst*> reg_;       // per tensor slot: its register, or null
  std::vector<llvm::Constant*> const_;       // per tensor slot: its constant value, or null
  std::vector<int32_t> all_slots_;           // the slots with a register
  std::vector<llvm::AllocaInst*> vec_data_;  // per vector slot of an inline x[i]: its data
  std::vector<llvm::AllocaInst*> vec_n_;     // ... and its number of elements
  std::vector<llvm::AllocaInst*> loop_it_, loop_max_;
  // Per list slot with an inline append: the claimed ListData (null: none), its buffer, count
  // and capacity.
  struct Cursor {
    llvm::AllocaInst *list = nullptr, *data = nullptr, *count = nullptr, *capacity = nullptr;
  };
  std::vector<Cursor> cursor_;
  llvm::AllocaInst* claim_out_ = nullptr;  // xag_jit_list_claim's out-parameter (escapes)
  llvm::AllocaInst *countdown_ = nullptr, *iters_ = nullptr, *out_ = nullptr;
};

}  // namespace xag::rt::jit
