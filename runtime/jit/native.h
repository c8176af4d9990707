// The native tier's internals: what the code generator (codegen.cpp, LLVM) produces and what
// the tier (tier.cpp) runs. A native program is one function over the frame of a run; the
// work it does not generate itself (tensor ops, most list ops, prints, errors) it calls out for
// through the helpers of helpers.cpp, which run the interpreter's own code for one instruction.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>

#include "runtime/exec/program.h"

namespace xag::rt::jit {

// What a native function and its helpers share during one run.
struct NativeCall {
  exec::Frame* f = nullptr;
  std::exception_ptr error;  // set by the helper that failed (the function then returns 1)
};

// Returns 0, or 1 with NativeCall::error set. `base` is the frame's scalar_base();
// `iterations` receives the loop iterations run (RunStats::loop_iterations).
using NativeFn = int32_t (*)(NativeCall* call, char* base, int64_t* iterations);

// Compiled code, released from the JIT when destroyed.
class NativeCode {
 public:
  virtual ~NativeCode() = default;
  NativeFn fn = nullptr;
};

// Why a program cannot be compiled (empty: it can). Thrown by compile_native too.
struct CompileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Byte offset of ListData::count (the native code writes the count of a claimed list back).
int64_t list_count_offset();

// Compiles `p` (which must outlive the code: it points at p's instructions). Throws
// CompileError with the reason when it cannot.
std::unique_ptr<NativeCode> compile_native(const exec::Program& p);

// The helpers native code calls (helpers.cpp). Each sets Frame::pc to `pc` first (an error
// names that instruction's line), returns nonzero when it failed (NativeCall::error set).
extern "C" {
// One instruction run out of the dispatch loop (ops, transfers, lists, effects).
int32_t xag_jit_exec(NativeCall* c, const exec::Instr* in, int64_t pc);
// ListPushBack: the interpreter's fast append of a 0-d element, else xag_jit_exec.
int32_t xag_jit_push(NativeCall* c, const exec::Instr* in, int64_t pc);
// Claims the list of the ListPushBack `in` for native appends of `bytes`-byte elements when the
// interpreter's fast append would apply to it (taken over, exclusively owned, packed 0-d
// elements of t[in->b]'s dtype, `bytes` wide): returns its ListData and writes the buffer, the
// count and the capacity (in elements) to out[0..2]; null when it does not apply.
void* xag_jit_list_claim(NativeCall* c, const exec::Instr* in, int64_t bytes, int64_t* out);
// The instruction's scalar kernel (Instr::sfn).
int32_t xag_jit_sfn(NativeCall* c, const exec::Instr* in, int64_t pc);
// Truthiness of t[slot]: 0 or 1, -1 when it failed.
int32_t xag_jit_truth(NativeCall* c, int32_t slot, int64_t pc);
// t[slot] as an int64 (a loop's maximum_iterations) into *out.
int32_t xag_jit_item_i64(NativeCall* c, int32_t slot, int64_t pc, int64_t* out);
// The poll hook's slow tick at the loop instruction `pc`: the next countdown, or -1 when the
// run must stop.
int64_t xag_jit_poll(NativeCall* c, int64_t pc);
// Records the interrupt of the loop at `pc` (exec::cancel_loop's error).
void xag_jit_cancel(NativeCall* c, int64_t pc);
// The elements of t[slot] (a host vector) and their number; null and 0 when undefined.
const void* xag_jit_vec(NativeCall* c, int32_t slot, int64_t* n);
}

}  // namespace xag::rt::jit
