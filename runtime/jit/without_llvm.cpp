// Built without LLVM (XAG_WITH_JIT=OFF, or LLVM not found): nothing compiles, every graph runs
// on the interpreter (Tier::start says so before it would get here).
#include "runtime/jit/native.h"

namespace xag::rt::jit {

std::unique_ptr<NativeCode> compile_native(const exec::Program&) {
  throw CompileError("built without LLVM (XAG_WITH_JIT=OFF)");
}

}  // namespace xag::rt::jit
