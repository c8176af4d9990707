// compile(): lowers a graph to one flat instruction list over preassigned slots; Cond and While
// become jumps, so the interpreter never recurses. Every value gets its own slot, except that
// subgraph params alias the slots of the values passed to them (no copies on entry) and a
// While's results are its loop-carried slots.
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "runtime/exec/program.h"

namespace xag::rt::exec {

namespace {

bool is_scalar_tensor(const Type& t) {
  return !t.is_list() && t.spec.shape.rank() == 0;
}

// The inline handler for an int32/int64 scalar op, or Code::Scalar (call through sfn).
Code inline_code(OpKind op, const std::vector<DType>& in, int shift) {
  // Only called for ops that got a scalar kernel, so the dtypes already fit the op.
  if (op == OpKind::Where && in.size() == 3 && in[0] == DType::Bool && in[1] == in[2]) {
    const size_t bytes = dtype_size(in[1]);
    return bytes == 1 ? Code::SelectB : bytes == 4 ? Code::Select4 : Code::Select8;
  }
  if (op == OpKind::LogicalNot && in.size() == 1 && in[0] == DType::Bool) return Code::NotB;
  if (in.size() == 2 && in[0] == DType::Bool && in[1] == DType::Bool) {
    if (op == OpKind::LogicalAnd || op == OpKind::BitwiseAnd) return Code::AndB;
    if (op == OpKind::LogicalOr || op == OpKind::BitwiseOr) return Code::OrB;
    return Code::Scalar;
  }
  if (op == OpKind::Abs && in.size() == 1 && in[0] == DType::Float32) return Code::AbsF32;
  if (op == OpKind::Abs && in.size() == 1 && in[0] == DType::Float64) return Code::AbsF64;
  if (in.size() == 2 && in[0] == in[1] && (in[0] == DType::Float32 || in[0] == DType::Float64)) {
    const bool f32 = in[0] == DType::Float32;
    switch (op) {
      case OpKind::Add:
        return f32 ? Code::AddF32 : Code::AddF64;
      case OpKind::Sub:
        return f32 ? Code::SubF32 : Code::SubF64;
      case OpKind::Mul:
        return f32 ? Code::MulF32 : Code::MulF64;
      case OpKind::Less:
        return f32 ? Code::LtF32 : Code::LtF64;
      case OpKind::LessEqual:
        return f32 ? Code::LeF32 : Code::LeF64;
      case OpKind::Greater:
        return f32 ? Code::GtF32 : Code::GtF64;
      case OpKind::GreaterEqual:
        return f32 ? Code::GeF32 : Code::GeF64;
      default:
        return Code::Scalar;
    }
  }
  if (in.size() == 2 && in[0] == DType::Int64 && in[1] == DType::Int64) {
    switch (op) {
      case OpKind::Add:
        return Code::AddI64;
      case OpKind::Sub:
        return Code::SubI64;
      case OpKind::Mul:
        return Code::MulI64;
      case OpKind::Equal:
        return Code::EqI64;
      case OpKind::NotEqual:
        return Code::NeI64;
      case OpKind::Less:
        return Code::LtI64;
      case OpKind::LessEqual:
        return Code::LeI64;
      case OpKind::Greater:
        return Code::GtI64;
      case OpKind::GreaterEqual:
        return Code::GeI64;
      default:
        return Code::Scalar;
    }
  }
  if (in.size() != 2 || in[0] != DType::Int32 || in[1] != DType::Int32) return Code::Scalar;
  switch (op) {
    case OpKind::Add:
      return Code::AddI32;
    case OpKind::Sub:
      return Code::SubI32;
    case OpKind::Mul:
      return Code::MulI32;
    case OpKind::Equal:
      return Code::EqI32;
    case OpKind::NotEqual:
      return Code::NeI32;
    case OpKind::Less:
      return Code::LtI32;
    case OpKind::LessEqual:
      return Code::LeI32;
    case OpKind::Greater:
      return Code::GtI32;
    case OpKind::GreaterEqual:
      return Code::GeI32;
    case OpKind::Mod:
      return shift >= 0 ? Code::ModPow2I32 : Code::ModI32;
    case OpKind::FloorDiv:
      return shift >= 0 ? Code::FloorDivPow2I32 : Code::Scalar;
    default:
      return Code::Scalar;
  }
}

class Lowerer {
 public:
  explicit Lowerer(Program& p) : p_(p) {}

  int32_t new_slot(const Type& t, bool preset_zero = true) {
    if (t.is_list()) return p_.num_list_slots++;
    const int32_t s = p_.num_tensor_slots++;
    // 0-d slots always hold a typed scalar so the fast path can write their inline bytes.
    if (preset_zero && t.spec.shape.rank() == 0) {
      p_.preset.emplace_back(s, Tensor::scalar(t.spec.dtype, 0.0));
    }
    return s;
  }

  // The top-level graph's params get fresh slots, filled from run()'s arguments.
  void map_params(const Graph& g) {
    for (const Value& v : g.params()) {
      const int32_t s = new_slot(v.type(), false);
      slots_[v] = s;
      p_.param_slots.push_back(s);
    }
  }

  int32_t slot(const Value& v) const {
    auto it = slots_.find(v);
    if (it == slots_.end()) throw InternalError("compile: a value has no slot");
    return it->second;
  }

  // Emits `g`'s nodes (its params already mapped); returns the slots of its results.
  std::vector<int32_t> lower(const Graph& g,
                             const std::unordered_set<Value, ValueHash>& stealable) {
    std::unordered_map<Value, int, ValueHash> uses;
    for (const auto& n : g.nodes())
      for (const Value& v : n->inputs) ++uses[v];
    for (const Value& v : g.outputs()) ++uses[v];
    auto can_steal = [&](const Value& v) {
      if (uses[v] != 1) return false;
      return v.node->kind != NodeKind::Placeholder || stealable.count(v) > 0;
    };
    for (const auto& np : g.nodes()) lower_node(*np, can_steal);
    std::vector<int32_t> results;
    for (const Value& v : g.outputs()) results.push_back(slot(v));
    return results;
  }

 private:
  size_t emit(Instr in) {
    p_.code.push_back(std::move(in));
    return p_.code.size() - 1;
  }
  int32_t here() const { return static_cast<int32_t>(p_.code.size()); }
  // The current position as a jump target (no peephole may merge across it).
  int32_t label() {
    labels_.insert(here());
    return here();
  }

  // Emits a JumpIfFalse, fused into the int32 comparison right before it when that comparison
  // produced the tested value and no jump lands between them. Returns the index to patch.
  size_t emit_branch(Instr jf) {
    if (!p_.code.empty() && !labels_.count(here())) {
      Instr& last = p_.code.back();
      if (last.out == jf.a && last.code >= Code::EqI32 && last.code <= Code::GeI32) {
        last.code =
            static_cast<Code>(static_cast<int>(Code::EqI32Br) +
                              (static_cast<int>(last.code) - static_cast<int>(Code::EqI32)));
        return p_.code.size() - 1;
      }
      for (const auto& [first, last_cmp, br] :
           {std::tuple{Code::LtF32, Code::GeF32, Code::LtF32Br},
            std::tuple{Code::LtF64, Code::GeF64, Code::LtF64Br}}) {
        if (last.out == jf.a && last.code >= first && last.code <= last_cmp) {
          last.code = static_cast<Code>(static_cast<int>(br) +
                                        (static_cast<int>(last.code) - static_cast<int>(first)));
          return p_.code.size() - 1;
        }
      }
      if (last.out == jf.a && (last.code == Code::AndB || last.code == Code::OrB)) {
        last.code = last.code == Code::AndB ? Code::AndBBr : Code::OrBBr;
        return p_.code.size() - 1;
      }
      if (last.out == jf.a && last.code >= Code::EqI64 && last.code <= Code::GeI64) {
        last.code =
            static_cast<Code>(static_cast<int>(Code::EqI64Br) +
                              (static_cast<int>(last.code) - static_cast<int>(Code::EqI64)));
        return p_.code.size() - 1;
      }
    }
    return emit(std::move(jf));
  }

  int32_t loc_index(const Node& n) {
    // Nodes without a location report the enclosing Cond/While's.
    const SourceLoc* loc = n.loc.known()        ? &n.loc
                           : enclosing_.empty() ? nullptr
                                                : enclosing_.back();
    if (!loc || !loc->known()) return -1;
    p_.locs.push_back(*loc);
    p_.names.emplace_back(n.op_name());
    return static_cast<int32_t>(p_.locs.size() - 1);
  }

  Instr base(const Node& n, Code code) {
    Instr in;
    in.code = code;
    in.loc = loc_index(n);
    for (const Value& v : n.inputs)
      if (!v.is_list()) in.ins.push_back(slot(v));
    p_.max_inputs = std::max(p_.max_inputs, static_cast<int32_t>(in.ins.size()));
    return in;
  }

  int32_t define(const Node& n, int i = 0) {
    const Value v{const_cast<Node*>(&n), i};
    auto pre = preassigned_.find(v);
    if (pre != preassigned_.end()) {
      slots_[v] = pre->second;
      return pre->second;
    }
    const int32_t s = new_slot(v.type());
    slots_[v] = s;
    return s;
  }

  // x[i] on a vector with one integer index (constant or a scalar input): the scalar path.
  void pick_getitem(const Node& n, Instr& in) {
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
    } else if (it.start_input < 0 && it.has_start && n.inputs.size() == 1 &&
               it.start >= INT32_MIN && it.start <= INT32_MAX) {
      in.b = -1;
      in.c = static_cast<int32_t>(it.start);
      in.sfn = pick_getitem_fn(x.spec.dtype, DType::Int32, true);
    }
  }

  // Is `v` computed inside `g` and returned once, so its slot may be swapped out at the end?
  static bool block_local(const Value& v, const Graph& g) {
    if (v.graph() != &g || v.node->kind == NodeKind::Placeholder ||
        v.node->kind == NodeKind::Const) {
      return false;
    }
    int count = 0;
    for (const Value& o : g.outputs()) count += o == v;
    return count == 1;
  }

  Transfer make_transfer(const Value& src, int32_t dst, const Graph& g) {
    Transfer t;
    t.list = src.is_list();
    t.scalar = is_scalar_tensor(src.type());
    t.src = slot(src);
    t.dst = dst;
    t.mode = block_local(src, g) ? Transfer::Mode::Swap : Transfer::Mode::Copy;
    if (t.src == t.dst) t.mode = Transfer::Mode::Skip;
    return t;
  }

  // Emits the transfers: plain 8-byte copies when they are all scalars, else one instruction.
  void emit_transfers(std::vector<Transfer> ts) {
    bool all_scalar = true;
    for (const Transfer& t : ts) {
      all_scalar = all_scalar && (t.mode == Transfer::Mode::Skip ||
                                  (t.scalar && t.mode != Transfer::Mode::ViaTmp));
    }
    if (all_scalar) {
      for (const Transfer& t : ts) {
        if (t.mode == Transfer::Mode::Skip) continue;
        Instr in;
        in.code = Code::ScalarCopy;
        in.a = t.src;
        in.out = t.dst;
        emit(std::move(in));
      }
      return;
    }
    Instr in;
    in.code = Code::Transfer;
    in.x0 = add_transfers(std::move(ts));
    emit(std::move(in));
  }

  int32_t add_transfers(std::vector<Transfer> ts) {
    TransferList l;
    l.all_scalar = true;
    for (const Transfer& t : ts) {
      l.has_tmp = l.has_tmp || t.mode == Transfer::Mode::ViaTmp;
      l.all_scalar = l.all_scalar && (t.scalar || t.mode == Transfer::Mode::Skip) &&
                     t.mode != Transfer::Mode::ViaTmp;
    }
    l.items = std::move(ts);
    p_.transfers.push_back(std::move(l));
    return static_cast<int32_t>(p_.transfers.size() - 1);
  }

  template <class CanSteal>
  void lower_node(const Node& n, CanSteal& can_steal) {
    switch (n.kind) {
      case NodeKind::Placeholder:
        if (!slots_.count(Value{const_cast<Node*>(&n), 0})) {
          throw InternalError("compile: a placeholder has no slot");
        }
        return;
      case NodeKind::Const: {
        const Value v{const_cast<Node*>(&n), 0};
        const int32_t s = new_slot(v.type(), false);
        slots_[v] = s;
        p_.preset.emplace_back(s, n.value);
        return;
      }
      case NodeKind::Op: {
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
          if (in.b >= 0 && n.inputs[1].spec().dtype == DType::Int32 && (bytes == 4 || bytes == 8)) {
            in.code = bytes == 4 ? Code::GetItem4 : Code::GetItem8;
          }
        } else if (in.sfn) {
          in.code = Code::Scalar;
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
        return;
      }
      case NodeKind::FusedElementwise: {
        Instr in = base(n, Code::Fused);
        p_.fused.push_back(n.fused);
        in.payload = static_cast<int32_t>(p_.fused.size() - 1);
        in.out = define(n);
        emit(std::move(in));
        return;
      }
      case NodeKind::Cond:
        lower_cond(n);
        return;
      case NodeKind::While:
        lower_while(n);
        return;
      case NodeKind::ListNew: {
        Instr in = base(n, Code::ListNew);
        if (!n.inputs.empty()) in.a = slot(n.inputs[0]);
        p_.list_elements.push_back(n.outputs[0].spec);
        p_.list_dynamic.push_back(n.dynamic_size);
        in.payload = static_cast<int32_t>(p_.list_elements.size() - 1);
        in.out = define(n);
        emit(std::move(in));
        return;
      }
      case NodeKind::ListPushBack:
      case NodeKind::ListSet: {
        const bool set = n.kind == NodeKind::ListSet;
        Instr in = base(n, set ? Code::ListSet : Code::ListPushBack);
        in.a = slot(n.inputs[0]);
        in.b = slot(n.inputs[1]);
        if (set) in.c = slot(n.inputs[2]);
        in.steal = can_steal(n.inputs[0]);
        in.out = define(n);
        emit(std::move(in));
        return;
      }
      case NodeKind::ListGet:
      case NodeKind::ListSize:
      case NodeKind::ListStack: {
        Instr in = base(n, n.kind == NodeKind::ListGet    ? Code::ListGet
                           : n.kind == NodeKind::ListSize ? Code::ListSize
                                                          : Code::ListStack);
        in.a = slot(n.inputs[0]);
        if (n.kind == NodeKind::ListGet) in.b = slot(n.inputs[1]);
        in.out = define(n);
        emit(std::move(in));
        return;
      }
      case NodeKind::ListPop: {
        // A ListGet that also removes the element: c (the shorter list's slot) >= 0 marks it
        // (see exec_list). Pops reuse the ListGet code, which the interpreter already sends to
        // exec_list, rather than a code of their own that its dispatch table would need.
        Instr in = base(n, Code::ListGet);
        in.a = slot(n.inputs[0]);
        in.b = slot(n.inputs[1]);
        in.steal = can_steal(n.inputs[0]);
        in.c = define(n, 0);
        in.out = define(n, 1);
        emit(std::move(in));
        return;
      }
      case NodeKind::Print: {
        Instr in = base(n, Code::Print);
        p_.prints.push_back(PrintSpec{n.print_items, n.sep, n.end});
        in.payload = static_cast<int32_t>(p_.prints.size() - 1);
        emit(std::move(in));
        return;
      }
      case NodeKind::Assert: {
        Instr in = base(n, Code::Assert);
        in.a = slot(n.inputs[0]);
        p_.messages.push_back(n.message);
        in.payload = static_cast<int32_t>(p_.messages.size() - 1);
        if (in.loc < 0) {
          p_.locs.push_back(n.loc);
          p_.names.emplace_back(n.op_name());
          in.loc = static_cast<int32_t>(p_.locs.size() - 1);
        }
        emit(std::move(in));
        return;
      }
      case NodeKind::VarRead:
      case NodeKind::VarAssign:
      case NodeKind::VarAssignAdd:
      case NodeKind::VarAssignSub: {
        const Code c = n.kind == NodeKind::VarRead        ? Code::VarRead
                       : n.kind == NodeKind::VarAssign    ? Code::VarAssign
                       : n.kind == NodeKind::VarAssignAdd ? Code::VarAssignAdd
                                                          : Code::VarAssignSub;
        Instr in = base(n, c);
        if (!n.inputs.empty()) in.a = slot(n.inputs[0]);
        p_.variables.push_back(n.variable);
        in.payload = static_cast<int32_t>(p_.variables.size() - 1);
        in.out = define(n);
        emit(std::move(in));
        return;
      }
    }
  }

  //   jump_if_false pred -> else; <then>; results; jump -> end; else: <else>; results; end:
  void lower_cond(const Node& n) {
    Instr jf = base(n, Code::JumpIfFalse);
    jf.a = slot(n.inputs[0]);
    if (n.inputs[0].spec().dtype == DType::Bool) jf.b = 1;
    std::vector<int32_t> outs;
    for (size_t i = 0; i < n.outputs.size(); ++i) outs.push_back(define(n, static_cast<int>(i)));
    const size_t jf_at = emit_branch(std::move(jf));
    enclosing_.push_back(&n.loc);
    size_t jump_at = 0;
    for (int k = 0; k < 2; ++k) {
      const Graph& g = *n.subgraphs[static_cast<size_t>(k)];
      for (size_t i = 0; i < g.params().size(); ++i) slots_[g.params()[i]] = slot(n.inputs[i + 1]);
      // A result computed inside the branch is written straight into the Cond's result slot
      // (nothing reads that slot before the Cond completes), saving the copy.
      for (size_t i = 0; i < g.outputs().size(); ++i)
        if (block_local(g.outputs()[i], g)) preassigned_[g.outputs()[i]] = outs[i];
      if (k == 1) p_.code[jf_at].x0 = label();
      lower(g, {});
      std::vector<Transfer> ts;
      for (size_t i = 0; i < g.outputs().size(); ++i)
        ts.push_back(make_transfer(g.outputs()[i], outs[i], g));
      emit_transfers(std::move(ts));
      if (k == 0) {
        Instr j;
        j.code = Code::Jump;
        jump_at = emit(std::move(j));
      }
    }
    p_.code[jump_at].x0 = label();
    enclosing_.pop_back();
  }

  // Whether scalar loop variable i's new value may be computed straight into its carried slot
  // (saving the write-back copy): the old value must be dead once the new one is written. True
  // when the new value is made by a plain op (or a Cond of plain ops) in the body, no later body
  // node reads the old value, and no result of the body is the old value.
  static bool can_write_in_place(const Graph& body, size_t i) {
    const Value& v = body.outputs()[i];
    const Value& old = body.params()[i];
    if (v.is_list()) {
      // out.append(x) / out[i] = x on the carried list, which nothing reads afterwards: the
      // update writes the carried slot itself (it takes the list over, see Instr::steal), so
      // no write-back transfer runs per iteration.
      if (!block_local(v, body)) return false;
      if (v.node->kind != NodeKind::ListPushBack && v.node->kind != NodeKind::ListSet &&
          !(v.node->kind == NodeKind::ListPop && v.index == 0)) {
        return false;
      }
      if (v.node->inputs[0] != old) return false;
      for (const Value& o : body.outputs())
        if (o == old) return false;
      return reads_after(body, v.node, {old});
    }
    if (!is_scalar_tensor(v.type()) || !block_local(v, body)) return false;
    for (const Value& o : body.outputs())
      if (o == old) return false;
    if (!reads_after(body, v.node, {old})) return false;
    if (v.node->kind == NodeKind::Op || v.node->kind == NodeKind::FusedElementwise) return true;
    if (v.node->kind != NodeKind::Cond) return false;
    // Each branch: its result for this output is a plain op after which the branch's aliases
    // of the old value are not read (or a param/constant, copied at the branch's end).
    for (const auto& g : v.node->subgraphs) {
      std::vector<Value> aliases;
      for (size_t k = 1; k < v.node->inputs.size(); ++k)
        if (v.node->inputs[k] == old) aliases.push_back(g->params()[k - 1]);
      // A branch passing the old value through as a result would copy it at the branch's end,
      // after the new value overwrote it.
      for (const Value& o : g->outputs())
        for (const Value& a : aliases)
          if (o == a) return false;
      const Value& u = g->outputs()[static_cast<size_t>(v.index)];
      if (!block_local(u, *g)) continue;
      if (u.node->kind != NodeKind::Op || !reads_after(*g, u.node, aliases)) return false;
    }
    return true;
  }

  // True when no node of `g` after `after` reads any of `values`.
  static bool reads_after(const Graph& g, const Node* after, const std::vector<Value>& values) {
    bool seen = false;
    for (const auto& n : g.nodes()) {
      if (seen) {
        for (const Value& in : n->inputs)
          for (const Value& x : values)
            if (in == x) return false;
      }
      seen = seen || n.get() == after;
    }
    return true;
  }

  //   init; loop_start; head: loop_head -> exit; <cond>; jump_if_false -> exit; <body>;
  //   write-back; loop_back -> head; exit:
  void lower_while(const Node& n) {
    const size_t k = static_cast<size_t>(n.num_loop_vars);
    std::vector<int32_t> carried;
    std::vector<Transfer> init;
    for (size_t i = 0; i < k; ++i) {
      carried.push_back(define(n, static_cast<int>(i)));
      Transfer t;
      t.list = n.outputs[i].is_list();
      t.scalar = is_scalar_tensor(n.outputs[i]);
      t.src = slot(n.inputs[i]);
      t.dst = carried.back();
      t.mode = Transfer::Mode::Copy;
      init.push_back(t);
    }
    emit_transfers(std::move(init));
    const int32_t loop = p_.num_loops++;
    Instr start = base(n, Code::LoopStart);
    start.x0 = loop;
    if (n.has_max_iterations) start.c = slot(n.inputs.back());
    emit(std::move(start));
    const int32_t head = label();
    Instr h = base(n, Code::LoopHead);
    h.x0 = loop;
    const size_t head_at = emit(std::move(h));

    const Graph& cg = *n.subgraphs[0];
    const Graph& bg = *n.subgraphs[1];
    std::unordered_set<Value, ValueHash> stealable;
    for (const Graph* g : {&cg, &bg}) {
      for (size_t i = 0; i < g->params().size(); ++i) {
        slots_[g->params()[i]] = i < k ? carried[i] : slot(n.inputs[i]);
      }
    }
    for (size_t i = 0; i < k; ++i) stealable.insert(bg.params()[i]);
    for (size_t i = 0; i < k; ++i) {
      if (can_write_in_place(bg, i)) preassigned_[bg.outputs()[i]] = carried[i];
    }
    enclosing_.push_back(&n.loc);
    const std::vector<int32_t> cond_out = lower(cg, {});
    Instr jf = base(n, Code::JumpIfFalse);
    jf.a = cond_out[0];
    if (cg.outputs()[0].spec().dtype == DType::Bool) jf.b = 1;
    const size_t jf_at = emit_branch(std::move(jf));
    lower(bg, stealable);
    enclosing_.pop_back();

    // Write-back of the body's results into the carried slots.
    std::vector<Transfer> wb;
    for (size_t i = 0; i < k; ++i) {
      const Value& src = bg.outputs()[i];
      Transfer t;
      t.list = src.is_list();
      t.scalar = is_scalar_tensor(src.type());
      t.src = slot(src);
      t.dst = carried[i];
      bool src_is_carried = false;
      for (size_t j = 0; j < k; ++j) src_is_carried = src_is_carried || bg.params()[j] == src;
      if (t.src == t.dst) {
        t.mode = Transfer::Mode::Skip;
      } else if (src_is_carried) {
        t.mode = Transfer::Mode::ViaTmp;  // another variable's old value: read before writes
        t.tmp = new_slot(src.type(), false);
      } else if (block_local(src, bg)) {
        t.mode = Transfer::Mode::Swap;
      } else {
        t.mode = Transfer::Mode::Copy;
      }
      wb.push_back(t);
    }
    emit_transfers(std::move(wb));
    Instr back;
    back.code = n.has_max_iterations ? Code::LoopBack : Code::LoopBackFree;
    back.x0 = loop;
    back.x1 = head;
    emit(std::move(back));
    p_.code[head_at].x1 = label();
    p_.code[jf_at].x0 = here();
  }

  std::vector<const SourceLoc*> enclosing_;
  std::unordered_set<int32_t> labels_;
  std::unordered_map<Value, int32_t, ValueHash> preassigned_;
  Program& p_;
  std::unordered_map<Value, int32_t, ValueHash> slots_;
};

}  // namespace

}  // namespace xag::rt::exec

namespace xag::rt {

Executable compile(const Graph& graph) {
  graph.verify();
  auto p = std::make_shared<exec::Program>();
  exec::Lowerer low(*p);
  for (size_t i = 0; i < graph.params().size(); ++i) {
    const Value& v = graph.params()[i];
    if (v.is_list()) {
      throw InvalidArgumentError("compile: argument " + std::to_string(i) +
                                 " is a tensor list; pass tensors");
    }
    p->input_types.push_back(v.type());
  }
  for (size_t i = 0; i < graph.outputs().size(); ++i) {
    if (graph.outputs()[i].is_list()) {
      throw InvalidArgumentError("compile: result " + std::to_string(i) +
                                 " is a tensor list; stack it before returning it");
    }
    p->output_types.push_back(graph.outputs()[i].type());
  }
  low.map_params(graph);
  p->results = low.lower(graph, {});
  exec::Instr halt;
  halt.code = exec::Code::Halt;
  p->code.push_back(std::move(halt));
  for (exec::Instr& in : p->code) {
    in.oa = exec::slot_offset(in.a);
    in.ob = exec::slot_offset(in.b);
    in.oc = exec::slot_offset(in.c);
    in.oout = exec::slot_offset(in.out);
  }
  Executable e;
  e.program_ = std::move(p);
  return e;
}

}  // namespace xag::rt
