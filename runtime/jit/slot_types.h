// What the code generator knows about a program before emitting it: which instruction codes it
// writes out as IR (the inline families of instructions.def, generated from that file) and the
// dtype width of each 0-d slot those instructions touch. Slots with one known width are kept
// in registers by the native code; the others stay in the frame's memory.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "runtime/exec/program.h"

namespace xag::rt::jit {

enum class Family : uint8_t {
  None,     // control flow, or run by a helper
  Binary,   // out = a op b
  Test,     // out = a cmp b (bool)
  TestBr,   // the Test, then a branch to x0 when false
  Guarded,  // Python's integer modulo, b == 0 / -1 through the scalar kernel
  Shift,    // floor division / modulo by the constant 2^c
  Unary,    // out = op a
  Select,   // out = a ? b : c, `bytes` wide
  GetItem,  // out = t[a][t[b]], `bytes` wide; out of range through the scalar kernel
};

struct CodeInfo {
  Family family = Family::None;
  OpKind op = OpKind::Identity;
  DType dtype = DType::Bool;
  int bytes = 0;  // Select, GetItem: the element width
};

// One entry per exec::Code.
const std::array<CodeInfo, exec::kNumCodes>& code_infos();

inline const CodeInfo& info_of(exec::Code c) {
  return code_infos()[static_cast<size_t>(c)];
}

// Storage class of a 0-d slot in native code: the width and kind of its inline value.
enum class SlotKind : uint8_t { Unknown, I8, I32, I64, F32, F64, Mixed };

inline int width_of(SlotKind k) {
  switch (k) {
    case SlotKind::I8:
      return 1;
    case SlotKind::I32:
    case SlotKind::F32:
      return 4;
    case SlotKind::I64:
    case SlotKind::F64:
      return 8;
    default:
      return 0;
  }
}

// The storage kind of a dtype's inline value (bools are one byte); Unknown for others.
SlotKind kind_of(DType d);
// The integer kind of `bytes` bytes.
SlotKind int_kind(int bytes);

// Per tensor slot: its kind (Mixed: touched with two widths, or also used as a vector) and
// whether an inline x[i] reads it as a vector.
struct SlotTypes {
  std::vector<SlotKind> kind;
  std::vector<bool> vector;
};
SlotTypes infer_slot_types(const exec::Program& p);

}  // namespace xag::rt::jit
