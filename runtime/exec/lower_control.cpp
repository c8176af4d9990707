// Lowering of Cond and While to jumps over the flat program, with the transfers that move
// values between the slots of a block and those of its node (and the analysis that lets most
// loop variables be computed in place, without a transfer).
#include "runtime/exec/lowerer.h"

#include "runtime/backend/registry.h"

namespace xag::rt::exec {

namespace {

// Is `v` computed inside `g` and returned once, so its slot may be swapped out at the end?
bool block_local(const Value& v, const Graph& g) {
  if (v.graph() != &g || v.node->kind == NodeKind::Placeholder || v.node->kind == NodeKind::Const) {
    return false;
  }
  int count = 0;
  for (const Value& o : g.outputs()) count += o == v;
  return count == 1;
}

// True when no node of `g` after `after` reads any of `values`.
bool reads_after(const Graph& g, const Node* after, const std::vector<Value>& values) {
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

bool returns(const Graph& g, const Value& v) {
  for (const Value& o : g.outputs())
    if (o == v) return true;
  return false;
}

// A list loop variable: out.append(x) / out[i] = x on the carried list, which nothing reads
// afterwards. The update writes the carried slot itself (it takes the list over, see
// Instr::steal), so no write-back transfer runs per iteration.
bool list_in_place(const Graph& body, const Value& v, const Value& old) {
  if (!block_local(v, body)) return false;
  if (v.node->kind != NodeKind::ListPushBack && v.node->kind != NodeKind::ListSet &&
      !(v.node->kind == NodeKind::ListPop && v.index == 0)) {
    return false;
  }
  if (v.node->inputs[0] != old || returns(body, old)) return false;
  return reads_after(body, v.node, {old});
}

// Whether scalar loop variable i's new value may be computed straight into its carried slot
// (saving the write-back copy): the old value must be dead once the new one is written. True
// when the new value is made by a plain op (or a Cond of plain ops) in the body, no later body
// node reads the old value, and no result of the body is the old value.
bool can_write_in_place(const Graph& body, size_t i) {
  const Value& v = body.outputs()[i];
  const Value& old = body.params()[i];
  if (v.is_list()) return list_in_place(body, v, old);
  if (!is_scalar_tensor(v.type()) || !block_local(v, body)) return false;
  if (returns(body, old) || !reads_after(body, v.node, {old})) return false;
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
    for (const Value& a : aliases)
      if (returns(*g, a)) return false;
    const Value& u = g->outputs()[static_cast<size_t>(v.index)];
    if (!block_local(u, *g)) continue;
    if (u.node->kind != NodeKind::Op || !reads_after(*g, u.node, aliases)) return false;
  }
  return true;
}

}  // namespace

Transfer Lowerer::make_transfer(const Value& src, int32_t dst, const Graph& g) {
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
void Lowerer::emit_transfers(std::vector<Transfer> ts) {
  bool all_scalar = true;
  for (const Transfer& t : ts) {
    all_scalar = all_scalar &&
                 (t.mode == Transfer::Mode::Skip || (t.scalar && t.mode != Transfer::Mode::ViaTmp));
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

int32_t Lowerer::add_transfers(std::vector<Transfer> ts) {
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

//   jump_if_false pred -> else; <then>; results; jump -> end; else: <else>; results; end:
void Lowerer::lower_cond(const Node& n) {
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

//   init; loop_start; head: loop_head -> exit; <cond>; jump_if_false -> exit; <body>;
//   write-back; loop_back -> head; exit:
void Lowerer::lower_while(const Node& n, const StealCheck& can_steal) {
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
    // A list nobody reads after the loop starts is handed over, not shared: the loop's first
    // update then finds it unshared and works in place (a gradient's backward loop popping the
    // forward loop's stack would otherwise copy the whole stack on its first pop).
    t.mode = t.list && can_steal(n.inputs[i]) ? Transfer::Mode::Swap : Transfer::Mode::Copy;
    init.push_back(t);
  }
  emit_transfers(std::move(init));
  const size_t device_at = emit_device_loop(n, carried);
  const int32_t loop = p_.num_loops++;
  Instr start = base(n, Code::LoopStart);
  start.x0 = loop;
  if (n.has_max_iterations) start.c = slot(n.inputs.back());
  emit(std::move(start));
  const int32_t head = label();
  Instr h = base(n, Code::LoopHead);
  h.x0 = loop;
  const size_t head_at = emit(std::move(h));
  if (device_at) p_.code[device_at].x1 = static_cast<int32_t>(head_at);
  const size_t jf_at = lower_while_body(n, carried);
  Instr back;
  back.code = n.has_max_iterations ? Code::LoopBack : Code::LoopBackFree;
  back.x0 = loop;
  back.x1 = head;
  emit(std::move(back));
  p_.code[head_at].x1 = label();
  p_.code[jf_at].x0 = here();
}

// A loop that can run whole on a device (loop_plan.h) starts with a DeviceLoop instruction:
// on a GPU it runs the loop as a CUDA graph and leaves the carried slots at their final values,
// so the host-driven loop after it only evaluates the condition once; elsewhere it does
// nothing. Returns its index (0: none). Only emitted when a device besides the CPU is listed:
// a CPU-only process keeps its loops exactly as they were (the native tier would otherwise
// spill the carried registers around the instruction at every entry of an inner loop).
size_t Lowerer::emit_device_loop(const Node& n, const std::vector<int32_t>& carried) {
  if (device_names().size() < 2) return 0;
  LoopPlanResult r = plan_device_loop(n);
  if (!r.plan) return 0;
  Instr in = base(n, Code::DeviceLoop);
  in.payload = static_cast<int32_t>(p_.device_loops.size());
  p_.device_loops.push_back(std::move(r.plan));
  in.ins = carried;
  for (size_t i = carried.size(); i < n.inputs.size(); ++i) in.ins.push_back(slot(n.inputs[i]));
  return emit(std::move(in));
}

// <cond>; jump_if_false -> exit; <body>; write-back. Returns the index of the jump to patch.
size_t Lowerer::lower_while_body(const Node& n, const std::vector<int32_t>& carried) {
  const size_t k = carried.size();
  const Graph& cg = *n.subgraphs[0];
  const Graph& bg = *n.subgraphs[1];
  for (const Graph* g : {&cg, &bg}) {
    for (size_t i = 0; i < g->params().size(); ++i) {
      slots_[g->params()[i]] = i < k ? carried[i] : slot(n.inputs[i]);
    }
  }
  ValueSet stealable;
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
  std::vector<Transfer> wb;
  for (size_t i = 0; i < k; ++i) wb.push_back(make_write_back(bg, i, carried[i]));
  emit_transfers(std::move(wb));
  return jf_at;
}

// The write-back of the body's result i into its carried slot.
Transfer Lowerer::make_write_back(const Graph& body, size_t i, int32_t dst) {
  const Value& src = body.outputs()[i];
  Transfer t;
  t.list = src.is_list();
  t.scalar = is_scalar_tensor(src.type());
  t.src = slot(src);
  t.dst = dst;
  bool src_is_carried = false;
  for (size_t j = 0; j < body.outputs().size(); ++j) {
    src_is_carried = src_is_carried || body.params()[j] == src;
  }
  if (t.src == t.dst) {
    t.mode = Transfer::Mode::Skip;
  } else if (src_is_carried) {
    t.mode = Transfer::Mode::ViaTmp;  // another variable's old value: read before writes
    t.tmp = new_slot(src.type(), false);
  } else if (block_local(src, body)) {
    t.mode = Transfer::Mode::Swap;
  } else {
    t.mode = Transfer::Mode::Copy;
  }
  return t;
}

}  // namespace xag::rt::exec
