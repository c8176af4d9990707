// compile_native: IR from the code generator, optimized (optimize.cpp: LLVM's O2 pipeline for
// this CPU after a short pre-pipeline of our own) and compiled by one process-wide ORC LLJIT.
// Each program's code is its own module under a resource tracker, freed when the NativeCode
// goes.
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

#include "runtime/jit/codegen.h"

namespace xag::rt::jit {

namespace {

std::string message(llvm::Error e) {
  std::string s;
  llvm::raw_string_ostream o(s);
  o << e;
  return o.str();
}

// The process's JIT. Created on first use and never destroyed: native code may be running on
// any thread until the process exits.
struct Engine {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::unique_ptr<llvm::TargetMachine> tm;  // for the optimizer's cost model
  std::mutex tm_mutex;                      // TargetMachine is not thread-safe
  std::string error;

  Engine() {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!jtmb) {
      error = message(jtmb.takeError());
      return;
    }
    jtmb->setCodeGenOptLevel(llvm::CodeGenOpt::Default);
    auto tm_or = jtmb->createTargetMachine();
    if (!tm_or) {
      error = message(tm_or.takeError());
      return;
    }
    tm = std::move(*tm_or);
    auto j = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*jtmb)).create();
    if (!j) {
      error = message(j.takeError());
      return;
    }
    jit = std::move(*j);
  }
};

Engine& engine() {
  static Engine* e = new Engine();
  return *e;
}

class LlvmCode final : public NativeCode {
 public:
  explicit LlvmCode(llvm::orc::ResourceTrackerSP rt) : rt_(std::move(rt)) {}
  ~LlvmCode() override {
    if (auto e = rt_->remove()) llvm::consumeError(std::move(e));
  }

 private:
  llvm::orc::ResourceTrackerSP rt_;
};

}  // namespace

namespace {

// Programs that carry strings stay interpreted. Once for safety (native code kept 0-d string
// elements in registers as numbers and corrupted the heap); since 0-d strings stopped being
// scalar slots (runtime/core/strings.h) native code would run them correctly (checked: 40 runs
// and valgrind clean), but every string op is a call back into the interpreter's kernels, and a
// string loop ran 20% slower native (2.37 ms against 1.98 for 3,000 iterations).
bool carries_strings(const exec::Program& p) {
  for (const auto& [slot, t] : p.preset)
    if (t.dtype() == DType::String) return true;
  for (const auto* types : {&p.input_types, &p.output_types})
    for (const Type& t : *types)
      if (t.spec.dtype == DType::String) return true;
  for (const TensorSpec& e : p.list_elements)
    if (e.dtype == DType::String) return true;
  for (const OpAttrs& a : p.attrs)
    if (!a.text.empty() || a.dtype == DType::String) return true;
  return false;
}

}  // namespace

std::unique_ptr<NativeCode> compile_native(const exec::Program& p) {
  if (carries_strings(p)) throw CompileError("string values run on the interpreter");
  // Test hook: makes every compilation fail, to test the fallback to the interpreter.
  if (const char* f = std::getenv("XAG_JIT_TEST_FAIL"); f && *f && std::string(f) != "0") {
    throw CompileError(std::string("XAG_JIT_TEST_FAIL=") + f);
  }
  Engine& e = engine();
  if (!e.jit) throw CompileError("LLVM JIT unavailable: " + e.error);
  static std::atomic<uint64_t> counter{0};
  const std::string name = "xag_native_" + std::to_string(counter++);

  auto ctx = std::make_unique<llvm::LLVMContext>();
  auto m = std::make_unique<llvm::Module>(name, *ctx);
  m->setDataLayout(e.jit->getDataLayout());
  m->setTargetTriple(e.jit->getTargetTriple().str());
  llvm::Type* ptr = llvm::Type::getInt8PtrTy(*ctx);
  auto* ft = llvm::FunctionType::get(llvm::Type::getInt32Ty(*ctx), {ptr, ptr, ptr}, false);
  llvm::Function* fn = llvm::Function::Create(ft, llvm::Function::ExternalLinkage, name, m.get());
  fn->addFnAttr(llvm::Attribute::NoUnwind);  // helpers never let an exception out
  Codegen(p, *ctx, *m).emit(fn);
  std::string broken;
  llvm::raw_string_ostream os(broken);
  if (llvm::verifyModule(*m, &os)) throw CompileError("invalid IR: " + os.str());
  const char* dump = std::getenv("XAG_JIT_DUMP");
  if (dump && std::string(dump) == "raw") m->print(llvm::errs(), nullptr);
  {
    std::lock_guard<std::mutex> lock(e.tm_mutex);
    optimize(*m, e.tm.get());
  }
  if (dump && std::string(dump) != "raw") m->print(llvm::errs(), nullptr);

  llvm::orc::ResourceTrackerSP rt = e.jit->getMainJITDylib().createResourceTracker();
  if (auto err =
          e.jit->addIRModule(rt, llvm::orc::ThreadSafeModule(std::move(m), std::move(ctx)))) {
    throw CompileError(message(std::move(err)));
  }
  auto code = std::make_unique<LlvmCode>(rt);
  auto sym = e.jit->lookup(name);
  if (!sym) throw CompileError(message(sym.takeError()));
  code->fn = sym->toPtr<NativeFn>();
  return code;
}

}  // namespace xag::rt::jit
