// The optimizer pipeline of native code: a short pre-pipeline that settles the loops' shape and
// takes loop-carried values out of selects the loop's own exit test decides, then LLVM's O2
// pipeline for the host CPU.
//
// Why the pre-pipeline: a converted `break` leaves its loop with selects such as
// `d = where(broke, d, d + 1)`, where `broke` comes from this iteration's work (a division in a
// trial-division loop). As a select (InstCombine turns it into `d + zext(!broke)`) the next
// iteration's `d` waits for that division, so the loop runs at the division's latency. On the
// back edge, though, the loop continues only when `not broke` held: there the select is `d + 1`.
// Rewriting the back edge's incoming value leaves the dependence to a predicted branch, and the
// CPU overlaps the iterations, as it does for the `break` of compiled Python (Numba).
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/PatternMatch.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/LoopPassManager.h>
#include <llvm/Transforms/Scalar/LoopRotation.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>

#include "runtime/jit/codegen.h"

namespace xag::rt::jit {

namespace {

// What `cond` having the value `truth` says of `c`: through not, and (true) and or (false), which
// isImpliedCondition does not look through; then LLVM's implication of compares.
llvm::Optional<bool> implied(const llvm::Value* cond, const llvm::Value* c,
                             const llvm::DataLayout& dl, bool truth, int depth = 0) {
  using namespace llvm::PatternMatch;
  if (cond == c) return truth;
  const llvm::Value *x = nullptr, *y = nullptr;
  if (depth < 6) {
    if (match(cond, m_Not(m_Value(x)))) return implied(x, c, dl, !truth, depth + 1);
    if ((truth && match(cond, m_LogicalAnd(m_Value(x), m_Value(y)))) ||
        (!truth && match(cond, m_LogicalOr(m_Value(x), m_Value(y))))) {
      if (auto r = implied(x, c, dl, truth, depth + 1)) return r;
      return implied(y, c, dl, truth, depth + 1);
    }
  }
  return llvm::isImpliedCondition(cond, c, dl, truth);
}

// For every conditional branch and each of its edges: a phi incoming value `select c, x, y`
// from that edge becomes x or y when the branch's condition on that edge implies c's value.
// Returns whether anything changed.
bool resolve_edge_selects(llvm::Function& fn) {
  const llvm::DataLayout& dl = fn.getParent()->getDataLayout();
  bool changed = false;
  for (llvm::BasicBlock& bb : fn) {
    auto* br = llvm::dyn_cast<llvm::BranchInst>(bb.getTerminator());
    if (!br || !br->isConditional() || br->getSuccessor(0) == br->getSuccessor(1)) continue;
    for (unsigned edge = 0; edge < 2; ++edge) {
      for (llvm::PHINode& phi : br->getSuccessor(edge)->phis()) {
        const int i = phi.getBasicBlockIndex(&bb);
        auto* sel =
            llvm::dyn_cast<llvm::SelectInst>(phi.getIncomingValue(static_cast<unsigned>(i)));
        if (!sel) continue;
        const llvm::Optional<bool> known =
            implied(br->getCondition(), sel->getCondition(), dl, edge == 0);
        if (!known) continue;
        phi.setIncomingValue(static_cast<unsigned>(i),
                             *known ? sel->getTrueValue() : sel->getFalseValue());
        changed = true;
      }
    }
  }
  return changed;
}

}  // namespace

void optimize(llvm::Module& m, llvm::TargetMachine* tm) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);

  // Registers for the slots, one exit test per loop at its bottom (rotated), common
  // subexpressions merged (the exit test and the select then test the same value).
  llvm::FunctionPassManager pre;
  pre.addPass(llvm::SROAPass());
  pre.addPass(llvm::EarlyCSEPass());
  pre.addPass(llvm::SimplifyCFGPass());
  pre.addPass(llvm::createFunctionToLoopPassAdaptor(llvm::LoopRotatePass(), true));
  pre.addPass(llvm::EarlyCSEPass());
  for (llvm::Function& fn : m) {
    if (fn.isDeclaration()) continue;
    pre.run(fn, fam);
    if (resolve_edge_selects(fn)) fam.invalidate(fn, llvm::PreservedAnalyses::none());
  }
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(m, mam);
}

}  // namespace xag::rt::jit
