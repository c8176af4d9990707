// Executor internals: the lowered form of a graph (one flat instruction list over numbered
// slots; Cond and While become jumps) and the per-run frame. Only runtime/exec/*.cpp include
// this.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "runtime/backend/cuda/loop_plan.h"
#include "runtime/core/interrupt.h"
#include "runtime/exec/executor.h"
#include "runtime/graph/fused.h"

namespace xag::rt::exec {

struct Instr;
struct Frame;

// A scalar fast-path kernel: reads and writes the inline bytes of 0-d slot tensors directly.
// `base` is scalar_base(frame): slot i's value lives at base + i * sizeof(Tensor).
using ScalarFn = void (*)(char* base, const Instr& in);

// Byte offset of a 0-d tensor's inline value inside its handle (the same for every Tensor).
inline const std::ptrdiff_t kInlineOffset = [] {
  const Tensor s = Tensor::scalar<int32_t>(0);
  return static_cast<const char*>(s.raw_data()) - reinterpret_cast<const char*>(&s);
}();

// 0-d slots must keep their value inline (the scalar path relies on it); views such as a
// reshaped vector or an external NumPy scalar get copied in. Strings are never inline (their
// slots are not scalar slots, see is_scalar_tensor).
inline void make_inline(Tensor& t) {
  if (t.rank() == 0 && t.defined() && t.dtype() != DType::String &&
      t.raw_data() != reinterpret_cast<char*>(&t) + kInlineOffset) {
    t = t.on_host() ? t.copy() : t.host();  // a 0-d result on a device comes back to the host
  }
}

template <class T>
inline T& byte_at(char* base, int32_t offset) {
  return *reinterpret_cast<T*>(base + offset);
}

inline int32_t slot_offset(int32_t slot) {
  return slot < 0 ? 0 : slot * static_cast<int32_t>(sizeof(Tensor));
}

template <class T>
inline T& scalar_at(char* base, int32_t slot) {
  return *reinterpret_cast<T*>(base + static_cast<std::ptrdiff_t>(slot) *
                                          static_cast<std::ptrdiff_t>(sizeof(Tensor)));
}

// The instruction codes, in the order of instructions.def (which documents each).
enum class Code : uint8_t {
#define XAG_CODE(Name, label) Name,
#include "runtime/exec/instructions.def"
};
inline constexpr size_t kNumCodes = 0
#define XAG_CODE(Name, label) +1
#include "runtime/exec/instructions.def"
    ;

struct Instr {
  Code code = Code::Op;
  ScalarFn sfn = nullptr;
  // Tensor slots of the first inputs (-1 = none) and the output; list ops use list slots for
  // list operands (a = list in, out = list out for push/set).
  int32_t a = -1, b = -1, c = -1, out = -1;
  // a, b, c and out as byte offsets of their slots' inline values from scalar_base (set for
  // every instruction once the program is complete): the inline handlers address operands
  // without multiplying by sizeof(Tensor) on every dispatch.
  int32_t oa = 0, ob = 0, oc = 0, oout = 0;
  int32_t payload = -1;      // index into the Program table for this code
  int32_t loc = -1;          // index into Program::locs
  int32_t x0 = -1, x1 = -1;  // jump targets, loop index, transfer list
  OpKind op = OpKind::Identity;
  bool steal = false;        // list update may take its input list (the input is dead afterwards)
  std::vector<int32_t> ins;  // all tensor input slots (generic path)
};

// Moves one value between slots (Cond results, While init and write-back).
struct Transfer {
  enum class Mode : uint8_t {
    Skip,    // src == dst
    Copy,    // dst = src (src stays valid)
    Swap,    // src is block-local and dead: swap so dst's old buffer is reused next time
    ViaTmp,  // src is another transfer's dst: read into tmp first
  };
  Mode mode = Mode::Copy;
  bool list = false;
  bool scalar = false;  // 0-d tensor: copy its 8 inline bytes
  int32_t src = -1, dst = -1, tmp = -1;
};

struct TransferList {
  std::vector<Transfer> items;
  bool has_tmp = false;     // some item is ViaTmp
  bool all_scalar = false;  // every item is a 0-d Copy/Swap/Skip: plain 8-byte copies
};

struct PrintSpec {
  std::vector<PrintItem> items;
  std::string sep, end;
};

// A Call instruction's payload: which graph function, and the slots its results go to.
struct CallSpec {
  int32_t function = -1;  // index into FunctionTable::programs
  std::vector<int32_t> outs;
};

struct Program;

// The graph functions of a compiled graph (a recursive function and those it calls), lowered
// once each. The top-level Program owns the table; every Program of it points at it (a
// recursive function's Program refers to itself through the table, not through ownership).
struct FunctionTable {
  std::vector<std::unique_ptr<Program>> programs;
  // The same for runs placed on another device (read_elements_through_kernels).
  std::vector<std::unique_ptr<Program>> device_programs;
  std::vector<std::string> names;
};

struct Program {
  std::vector<Instr> code;
  std::vector<int32_t> results;  // tensor slots of the graph's outputs
  int32_t num_loops = 0;
  std::vector<TransferList> transfers;
  int32_t num_tensor_slots = 0;
  int32_t num_list_slots = 0;
  // Slot contents set before every run: constants and typed zeros for 0-d slots (the scalar
  // path writes into their inline bytes).
  std::vector<std::pair<int32_t, Tensor>> preset;
  std::vector<int32_t> param_slots;
  int32_t max_inputs = 0;  // size of Frame::scratch
  std::vector<Type> input_types, output_types;

  std::vector<OpAttrs> attrs;
  std::vector<std::shared_ptr<const FusedProgram>> fused;
  std::vector<std::shared_ptr<const LoopPlan>> device_loops;  // DeviceLoop payload
  std::vector<PrintSpec> prints;
  std::vector<std::string> messages;
  std::vector<std::shared_ptr<Variable>> variables;
  std::vector<TensorSpec> list_elements;  // ListNew payload: element spec
  std::vector<bool> list_dynamic;         // ListNew payload: dynamic size
  std::vector<SourceLoc> locs;
  std::vector<std::string> names;  // per loc index: the node's op name
  std::vector<CallSpec> calls;
  const FunctionTable* functions = nullptr;    // the table Call payloads index
  std::shared_ptr<const FunctionTable> owned;  // the top-level Program's: keeps it alive
};

// Growable raw storage of a packed list. malloc/realloc rather than std::vector: a large block
// grows by remapping its pages (no copy, no page faults on the old part) and new capacity is
// not zero-filled up front; the list zeroes what it exposes unwritten (packed_resize).
class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(const ByteBuffer& o) { *this = o; }
  ByteBuffer& operator=(const ByteBuffer& o) {
    if (this == &o) return *this;
    ensure(o.cap_);
    if (o.cap_) std::memcpy(p_, o.p_, o.cap_);
    return *this;
  }
  ~ByteBuffer() { std::free(p_); }
  // Capacity at least n bytes (doubling, so n one-at-a-time appends cost O(n) in total).
  void ensure(size_t n) {
    if (n <= cap_) return;
    const size_t c = std::max(n, 2 * cap_);
    void* q = std::realloc(p_, c);
    if (!q) throw std::bad_alloc();
    p_ = static_cast<unsigned char*>(q);
    cap_ = c;
  }
  unsigned char* data() { return p_; }
  const unsigned char* data() const { return p_; }
  size_t size() const { return cap_; }  // the capacity

 private:
  unsigned char* p_ = nullptr;
  size_t cap_ = 0;
};

// A tensor list at run time. Shared between slots copy-on-write; updates take it over when the
// compiler proved the input dead (Instr::steal) and nobody else holds it.
//
// Lists whose element shape is fully known keep their elements packed: the bytes of element i
// at bytes[i * elem_bytes], in one growable buffer. A push is then a memcpy into amortized
// doubling storage (no handle, no heap block per element) and stacking is one copy. Unwritten
// elements are zero bytes, which is what reading them must give (TensorArray semantics). Other
// lists hold one Tensor per element in `items`.
struct ListData {
  std::vector<Tensor> items;  // unpacked: undefined entries were never written
  TensorSpec element;
  bool dynamic = true;
  bool packed = false;
  size_t elem_bytes = 0;  // packed: bytes per element
  size_t count = 0;       // packed: number of elements
  // Packed 0-d elements: how many the buffer holds (0 otherwise), so the interpreter's append
  // fast path tests room and kind with one compare (lists.cpp keeps it in step with `bytes`).
  size_t scalar_capacity = 0;
  ByteBuffer bytes;  // packed: the elements, then spare capacity (doubling when full)

  size_t size() const { return packed ? count : items.size(); }
};
using ListPtr = std::shared_ptr<ListData>;

struct Frame {
  const Program* prog = nullptr;
  const RunOptions* opts = nullptr;
  std::vector<Tensor> t;
  std::vector<ListPtr> l;
  std::vector<Tensor> scratch;             // gathered inputs of a generic op
  std::vector<int64_t> loop_it, loop_max;  // per While: iterations done, maximum (-1: none)
  RunStats stats;
  // The instruction of the last call out of the dispatch loop that may throw (the error names
  // its source line). Kept here rather than read from the loop's own pc, which would then have
  // to live in memory for the exception handler, costing a store and a load per instruction.
  size_t pc = 0;
  bool has_poll = false;
  // Poll hook pacing: a countdown of loop iterations between clock reads, adapted so the clock
  // is read about every 0.2 ms whatever an iteration costs.
  int64_t countdown = 1;
  int64_t stride = 1;
  std::chrono::steady_clock::time_point last_check, last_poll;
  std::chrono::nanoseconds poll_interval{3000000};
  int call_depth = 0;  // graph-function calls this frame is nested in (kMaxCallDepth)

  void slow_tick(size_t pc);
  char* scalar_base() { return reinterpret_cast<char*>(t.data()) + kInlineOffset; }
};

// Throws the cancellation of the loop whose LoopHead or LoopBack is code[pc]: a
// LocatedCancelledError at the loop's source line when it has one (the user is told which loop
// was running), else a CancelledError. Out of line: only the interrupted iteration pays for it.
[[noreturn]] void cancel_loop(const Frame& f, size_t pc);

// Cancellation points: once per loop iteration; `pc` is the instruction calling it.
inline void tick(Frame& f, size_t pc) {
  if (interrupt_requested()) cancel_loop(f, pc);
  if (f.has_poll && --f.countdown <= 0) f.slow_tick(pc);
}

// Appending a 0-d element to a packed list this instruction may take over, within its
// capacity: the common `out.append(scalar)` of a staged loop, without the generic path.
// (The interpreter inlines it into its dispatch loop; the native tier calls it.)
[[gnu::always_inline]] inline bool push_scalar_fast(Frame& f, const Instr& in) {
  ListPtr& src = f.l[static_cast<size_t>(in.a)];
  ListData* l = src.get();
  if (__builtin_expect(!(in.steal && l && l->count < l->scalar_capacity && src.use_count() == 1 &&
                         f.t[static_cast<size_t>(in.b)].dtype() == l->element.dtype),
                       0)) {
    return false;
  }
  unsigned char* dst = l->bytes.data() + l->count * l->elem_bytes;
  const void* src_bytes = f.t[static_cast<size_t>(in.b)].raw_data();
  // Fixed-size copies for the common element sizes (a memcpy call costs more than the move);
  // 8 bytes (int64/float64) falls through, without a taken branch.
  if (__builtin_expect(l->elem_bytes == 8, 1)) {
    std::memcpy(dst, src_bytes, 8);
  } else if (l->elem_bytes == 4) {
    std::memcpy(dst, src_bytes, 4);
  } else {
    std::memcpy(dst, src_bytes, l->elem_bytes);
  }
  ++l->count;
  if (in.out != in.a) f.l[static_cast<size_t>(in.out)] = std::move(src);
  return true;
}

// The scalar fast-path kernel for `op` on 0-d operands of the given dtypes, or null.
// `rhs` is the second input's value when it is a constant (strength reduction), else null.
ScalarFn pick_scalar_fn(OpKind op, const std::vector<DType>& in, DType out, const Tensor* rhs);
// x[i] for a rank-1 x of dtype `x` and an integer scalar index (slot Instr::b, or the constant
// in Instr::c when `constant_index`).
ScalarFn pick_getitem_fn(DType x, DType index, bool constant_index);
// For floordiv/mod by a constant power of two 2^k picked above: k (stored in Instr::c), else -1.
int scalar_shift_of(OpKind op, const std::vector<DType>& in, DType out, const Tensor* rhs);

// Runs the whole program.
void run_program(Frame& f);
// For a run placed on another device: x[i] goes through its scalar kernel (which copies the
// element from the device) instead of the inline handlers, which read host memory.
void read_elements_through_kernels(Program& p);
// Sizes `f`'s slots for `p` and sets their presets, the options and the poll clock (the
// arguments are the caller's to set).
void prepare_frame(Frame& f, const Program& p, const RunOptions& options);
// One instruction of the kinds run out of the dispatch loop (instructions.def: XAG_SLOW,
// XAG_NODE); the native tier (runtime/jit) calls it too.
void exec_slow(Frame& f, const Instr& in);
// Truthiness of a Cond predicate or While condition (a scalar by construction).
bool truth(const Tensor& x);
// Rethrows `e`, an InvalidArgumentError as a LocatedError naming the line of instruction f.pc.
[[noreturn]] void rethrow_located(const Frame& f, std::exception_ptr e);
// Side effects and lists (effects.cpp, lists.cpp).
void exec_print(Frame& f, const Instr& in);
void exec_assert(Frame& f, const Instr& in);
void exec_var(Frame& f, const Instr& in);
void exec_list(Frame& f, const Instr& in);
void exec_call(Frame& f, const Instr& in);
void exec_device_loop(Frame& f, const Instr& in);  // device_loop.cpp

}  // namespace xag::rt::exec
