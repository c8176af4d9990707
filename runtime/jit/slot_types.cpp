// The code table (from instructions.def) and the slot width inference of slot_types.h.
#include "runtime/jit/slot_types.h"

namespace xag::rt::jit {

using exec::Code;

const std::array<CodeInfo, exec::kNumCodes>& code_infos() {
  static const std::array<CodeInfo, exec::kNumCodes> table = [] {
    std::array<CodeInfo, exec::kNumCodes> t{};
    auto at = [&t](Code c) -> CodeInfo& { return t[static_cast<size_t>(c)]; };
#define XAG_BINARY(Name, label, Kind, DT, T, R, expr) \
  at(Code::Name) = {Family::Binary, OpKind::Kind, DType::DT, 0};
#define XAG_TEST(Name, label, Kind, DT, T, expr)               \
  at(Code::Name) = {Family::Test, OpKind::Kind, DType::DT, 0}; \
  at(Code::Name##Br) = {Family::TestBr, OpKind::Kind, DType::DT, 0};
#define XAG_GUARDED(Name, label, Kind, DT) \
  at(Code::Name) = {Family::Guarded, OpKind::Kind, DType::DT, 0};
#define XAG_SHIFT(Name, label, Kind, DT, T, expr) \
  at(Code::Name) = {Family::Shift, OpKind::Kind, DType::DT, 0};
#define XAG_UNARY(Name, label, Kind, DT, T, expr) \
  at(Code::Name) = {Family::Unary, OpKind::Kind, DType::DT, 0};
#define XAG_SELECT(Name, label, bytes, U) \
  at(Code::Name) = {Family::Select, OpKind::Where, DType::Bool, bytes};
#define XAG_GETITEM(Name, label, bytes, U) \
  at(Code::Name) = {Family::GetItem, OpKind::GetItem, DType::Bool, bytes};
#include "runtime/exec/instructions.def"
    return t;
  }();
  return table;
}

SlotKind kind_of(DType d) {
  switch (d) {
    case DType::Bool:
      return SlotKind::I8;
    case DType::Int32:
      return SlotKind::I32;
    case DType::Int64:
      return SlotKind::I64;
    case DType::Float32:
      return SlotKind::F32;
    case DType::Float64:
      return SlotKind::F64;
    default:
      return SlotKind::Unknown;
  }
}

SlotKind int_kind(int bytes) {
  return bytes == 1 ? SlotKind::I8 : bytes == 4 ? SlotKind::I32 : SlotKind::I64;
}

namespace {

class Inference {
 public:
  explicit Inference(const exec::Program& p) {
    t_.kind.assign(static_cast<size_t>(p.num_tensor_slots), SlotKind::Unknown);
    t_.vector.assign(static_cast<size_t>(p.num_tensor_slots), false);
  }

  // `slot` holds a value of kind k: the first kind seen stays; another width makes it Mixed.
  bool want(int32_t slot, SlotKind k) {
    if (slot < 0 || static_cast<size_t>(slot) >= t_.kind.size()) return false;
    SlotKind& s = t_.kind[static_cast<size_t>(slot)];
    if (s == SlotKind::Mixed || k == SlotKind::Unknown) return false;
    if (s == SlotKind::Unknown) {
      s = t_.vector[static_cast<size_t>(slot)] ? SlotKind::Mixed : k;
      return true;
    }
    if (width_of(s) != width_of(k)) {
      s = SlotKind::Mixed;
      return true;
    }
    return false;
  }

  void vector(int32_t slot) {
    if (slot < 0 || static_cast<size_t>(slot) >= t_.kind.size()) return;
    t_.vector[static_cast<size_t>(slot)] = true;
    if (t_.kind[static_cast<size_t>(slot)] != SlotKind::Unknown) {
      t_.kind[static_cast<size_t>(slot)] = SlotKind::Mixed;
    }
  }

  SlotKind kind(int32_t slot) const { return t_.kind[static_cast<size_t>(slot)]; }

  // The operand kinds of one inline instruction.
  void visit(const exec::Instr& in) {
    const CodeInfo& ci = info_of(in.code);
    const SlotKind k = kind_of(ci.dtype);
    switch (ci.family) {
      case Family::Binary:
      case Family::Guarded:
        want(in.a, k), want(in.b, k), want(in.out, k);
        break;
      case Family::Test:
      case Family::TestBr:
        want(in.a, k), want(in.b, k), want(in.out, SlotKind::I8);
        break;
      case Family::Shift:
      case Family::Unary:
        want(in.a, k), want(in.out, k);
        break;
      case Family::Select:
        want(in.a, SlotKind::I8), want(in.b, int_kind(ci.bytes));
        want(in.c, int_kind(ci.bytes)), want(in.out, int_kind(ci.bytes));
        break;
      case Family::GetItem:
        vector(in.a), want(in.b, SlotKind::I32), want(in.out, int_kind(ci.bytes));
        break;
      case Family::None:
        if (in.code == Code::JumpIfFalse && in.b == 1) want(in.a, SlotKind::I8);
        break;
    }
  }

  // ScalarCopy: both slots have the kind either has (until nothing changes).
  bool unify(const exec::Instr& in) {
    const SlotKind a = kind(in.a), o = kind(in.out);
    if (a == o) return false;
    if (a == SlotKind::Mixed || o == SlotKind::Mixed) {
      const bool changed_a = mix(in.a);  // both: no short-circuit
      const bool changed_out = mix(in.out);
      return changed_a || changed_out;
    }
    if (a == SlotKind::Unknown) return want(in.a, o);
    if (o == SlotKind::Unknown) return want(in.out, a);
    return want(in.out, a);  // widths differ: Mixed; same width: the kinds stay
  }

  SlotTypes take() { return std::move(t_); }

 private:
  bool mix(int32_t slot) {
    SlotKind& s = t_.kind[static_cast<size_t>(slot)];
    if (s == SlotKind::Mixed) return false;
    s = SlotKind::Mixed;
    return true;
  }
  SlotTypes t_;
};

}  // namespace

SlotTypes infer_slot_types(const exec::Program& p) {
  Inference inf(p);
  for (const exec::Instr& in : p.code) inf.visit(in);
  for (bool changed = true; changed;) {
    changed = false;
    for (const exec::Instr& in : p.code)
      if (in.code == Code::ScalarCopy) changed = inf.unify(in) || changed;
  }
  return inf.take();
}

}  // namespace xag::rt::jit
