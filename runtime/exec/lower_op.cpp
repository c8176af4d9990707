// Lowering of op nodes: 0-d operands get a scalar kernel (sfn) and, where instructions.def has
// one, an inline instruction; a test followed by the JumpIfFalse on it becomes one
// compare-and-branch instruction.
#include "runtime/exec/lowerer.h"

namespace xag::rt::exec {

namespace {

// Inline instructions by (op, dtype of the operands), from instructions.def: one table for the
// unary ops, one for the binary ops and one for the binary ops by a constant power of two.
struct InlineTables {
  static size_t at(OpKind op, DType dt) {
    return static_cast<size_t>(op) * kNumDTypes + static_cast<size_t>(dt);
  }
  std::vector<Code> unary, binary, shift;

  InlineTables() {
    const size_t n = static_cast<size_t>(kNumOpKinds) * kNumDTypes;
    unary.assign(n, Code::Scalar);
    binary.assign(n, Code::Scalar);
    shift.assign(n, Code::Scalar);
#define XAG_UNARY(Name, label, Kind, DT, T, expr) unary[at(OpKind::Kind, DType::DT)] = Code::Name;
#define XAG_BINARY(Name, label, Kind, DT, T, R, expr) \
  binary[at(OpKind::Kind, DType::DT)] = Code::Name;
#define XAG_TEST(Name, label, Kind, DT, T, expr) binary[at(OpKind::Kind, DType::DT)] = Code::Name;
#define XAG_GUARDED(Name, label, Kind, DT) binary[at(OpKind::Kind, DType::DT)] = Code::Name;
#define XAG_SHIFT(Name, label, Kind, DT, T, expr) shift[at(OpKind::Kind, DType::DT)] = Code::Name;
#include "runtime/exec/instructions.def"
    // On bools the bitwise ops are the logical ones.
    binary[at(OpKind::BitwiseAnd, DType::Bool)] = binary[at(OpKind::LogicalAnd, DType::Bool)];
    binary[at(OpKind::BitwiseOr, DType::Bool)] = binary[at(OpKind::LogicalOr, DType::Bool)];
  }
};

// The inline instruction for `op` on 0-d operands of dtypes `in`, or Code::Scalar (call through
// sfn). Only called for ops that got a scalar kernel, so the dtypes already fit the op.
// `shift` >= 0: the kernel divides by the constant 2^shift.
Code inline_code(OpKind op, const std::vector<DType>& in, int shift) {
  static const InlineTables tables;
  if (op == OpKind::Where && in.size() == 3 && in[0] == DType::Bool && in[1] == in[2]) {
    const size_t bytes = dtype_size(in[1]);
    (void)bytes;
#define XAG_SELECT(Name, label, B, U) \
  if (bytes == B) return Code::Name;
#include "runtime/exec/instructions.def"
    return Code::Scalar;
  }
  if (in.size() == 1) return tables.unary[InlineTables::at(op, in[0])];
  if (in.size() != 2 || in[0] != in[1]) return Code::Scalar;
  return (shift >= 0 ? tables.shift : tables.binary)[InlineTables::at(op, in[0])];
}

// The compare-and-branch form of a test (instructions.def: XAG_TEST), or `code` itself.
Code branch_form(Code code) {
  switch (code) {
#define XAG_TEST(Name, label, Kind, DT, T, expr) \
  case Code::Name:                               \
    return Code::Name##Br;
#include "runtime/exec/instructions.def"
    default:
      return code;
  }
}

}  // namespace

void Lowerer::lower_op(const Node& n) {
  Instr in = base(n, Code::Op);
  in.op = n.op;
  in.out = define(n);
  bool all_scalar = is_scalar_tensor(n.outputs[0]);
  std::vector<DType> dts;
  for (const Value& v : n.inputs) {
    all_scalar = all_scalar && is_scalar_tensor(v.type());
    dts.push_back(v.spec().dtype);
  }
  const Tensor* rhs = n.inputs.size() == 2 && n.inputs[1].node->kind == NodeKind::Const
                          ? &n.inputs[1].node->value
                          : nullptr;
  if (all_scalar && n.inputs.size() <= 3) {
    in.sfn = pick_scalar_fn(n.op, dts, n.outputs[0].spec.dtype, rhs);
  }
  if (!in.sfn) pick_getitem(n, in);
  if (in.sfn && n.op == OpKind::GetItem) {
    in.code = Code::Scalar;
    const size_t bytes = dtype_size(n.inputs[0].spec().dtype);
    if (in.b >= 0 && n.inputs[1].spec().dtype == DType::Int32) {
#define XAG_GETITEM(Name, label, B, U) \
  if (bytes == B) in.code = Code::Name;
#include "runtime/exec/instructions.def"
    }
  } else if (in.sfn) {
    if (in.ins.size() > 0) in.a = in.ins[0];
    if (in.ins.size() > 1) in.b = in.ins[1];
    if (in.ins.size() > 2) in.c = in.ins[2];
    const int shift = scalar_shift_of(n.op, dts, n.outputs[0].spec.dtype, rhs);
    if (shift >= 0) in.c = shift;
    in.code = inline_code(n.op, dts, shift);
  } else {
    p_.attrs.push_back(n.attrs);
    in.payload = static_cast<int32_t>(p_.attrs.size() - 1);
  }
  emit(std::move(in));
}

// x[i] on a vector with one integer index (constant or a scalar input): the scalar path.
void Lowerer::pick_getitem(const Node& n, Instr& in) {
  if (n.op != OpKind::GetItem || n.attrs.slices.size() != 1) return;
  const SliceItem& it = n.attrs.slices[0];
  const Type& x = n.inputs[0].type();
  if (it.kind != SliceItem::Kind::Index || x.spec.shape.rank() != 1 ||
      !is_scalar_tensor(n.outputs[0])) {
    return;
  }
  in.a = slot(n.inputs[0]);
  if (it.start_input == 1 && n.inputs.size() == 2 && is_scalar_tensor(n.inputs[1].type())) {
    in.b = slot(n.inputs[1]);
    in.sfn = pick_getitem_fn(x.spec.dtype, n.inputs[1].spec().dtype, false);
  } else if (it.start_input < 0 && it.has_start && n.inputs.size() == 1 && it.start >= INT32_MIN &&
             it.start <= INT32_MAX) {
    in.b = -1;
    in.c = static_cast<int32_t>(it.start);
    in.sfn = pick_getitem_fn(x.spec.dtype, DType::Int32, true);
  }
}

// Emits a JumpIfFalse, fused into the test right before it when that test produced the tested
// value and no jump lands between them. Returns the index to patch.
size_t Lowerer::emit_branch(Instr jf) {
  if (!p_.code.empty() && !labels_.count(here())) {
    Instr& last = p_.code.back();
    const Code br = branch_form(last.code);
    if (last.out == jf.a && br != last.code) {
      last.code = br;
      return p_.code.size() - 1;
    }
  }
  return emit(std::move(jf));
}

}  // namespace xag::rt::exec
