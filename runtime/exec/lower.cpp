// compile(): lowers a graph to one flat instruction list over preassigned slots; Cond and While
// become jumps, so the interpreter never recurses. This file: slots, emission and the nodes that
// lower to one instruction of their own (lists, print, assert, variables); ops are in
// lower_op.cpp, Cond and While in lower_control.cpp.
#include <utility>

#include "runtime/exec/lowerer.h"
#include "runtime/jit/tier.h"

namespace xag::rt::exec {

namespace {

// The instruction of a list, print, assert or variable node (instructions.def: XAG_NODE).
Code node_code(NodeKind kind) {
  switch (kind) {
#define XAG_NODE(Name, label, fn, entry) \
  case NodeKind::Name:                   \
    return Code::Name;
#include "runtime/exec/instructions.def"
    default:
      throw InternalError("compile: no instruction for this node kind");
  }
}

}  // namespace

StealCheck::StealCheck(const Graph& g, const ValueSet& stealable) : stealable_(stealable) {
  for (const auto& n : g.nodes())
    for (const Value& v : n->inputs) ++uses_[v];
  for (const Value& v : g.outputs()) ++uses_[v];
}

bool StealCheck::operator()(const Value& v) const {
  auto it = uses_.find(v);
  if (it == uses_.end() || it->second != 1) return false;
  return v.node->kind != NodeKind::Placeholder || stealable_.count(v) > 0;
}

int32_t Lowerer::new_slot(const Type& t, bool preset_zero) {
  if (t.is_list()) return p_.num_list_slots++;
  const int32_t s = p_.num_tensor_slots++;
  // 0-d slots always hold a typed scalar so the fast path can write their inline bytes.
  if (preset_zero && t.spec.shape.rank() == 0) {
    p_.preset.emplace_back(s, Tensor::scalar(t.spec.dtype, 0.0));
  }
  return s;
}

void Lowerer::map_params(const Graph& g) {
  for (const Value& v : g.params()) {
    const int32_t s = new_slot(v.type(), false);
    slots_[v] = s;
    p_.param_slots.push_back(s);
  }
}

std::vector<int32_t> Lowerer::lower(const Graph& g, const ValueSet& stealable, bool reuse_slots) {
  const StealCheck can_steal(g, stealable);
  const std::shared_ptr<SlotReuse> reuse = reuse_slots ? make_slot_reuse(g) : nullptr;
  SlotReuse* outer = std::exchange(reuse_, reuse.get());
  for (size_t k = 0; k < g.nodes().size(); ++k) {
    lower_node(*g.nodes()[k], can_steal);
    release_dead(k);
  }
  reuse_ = outer;
  std::vector<int32_t> results;
  for (const Value& v : g.outputs()) results.push_back(slot(v));
  return results;
}

int32_t Lowerer::loc_index(const Node& n) {
  // Nodes without a location report the enclosing Cond/While's.
  const SourceLoc* loc = n.loc.known() ? &n.loc : enclosing_.empty() ? nullptr : enclosing_.back();
  if (!loc || !loc->known()) return -1;
  p_.locs.push_back(*loc);
  p_.names.emplace_back(n.op_name());
  return static_cast<int32_t>(p_.locs.size() - 1);
}

Instr Lowerer::base(const Node& n, Code code) {
  Instr in;
  in.code = code;
  in.loc = loc_index(n);
  for (const Value& v : n.inputs)
    if (!v.is_list()) in.ins.push_back(slot(v));
  p_.max_inputs = std::max(p_.max_inputs, static_cast<int32_t>(in.ins.size()));
  return in;
}

int32_t Lowerer::define(const Node& n, int i) {
  const Value v{const_cast<Node*>(&n), i};
  auto pre = preassigned_.find(v);
  if (pre != preassigned_.end()) {
    slots_[v] = pre->second;
    return pre->second;
  }
  const int32_t reused = reused_slot(v);
  const int32_t s = reused >= 0 ? reused : new_slot(v.type());
  slots_[v] = s;
  return s;
}

void Lowerer::lower_node(const Node& n, const StealCheck& can_steal) {
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
    case NodeKind::Op:
      lower_op(n);
      return;
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
      lower_while(n, can_steal);
      return;
    case NodeKind::ListNew:
    case NodeKind::ListPushBack:
    case NodeKind::ListSet:
    case NodeKind::ListGet:
    case NodeKind::ListSize:
    case NodeKind::ListStack:
    case NodeKind::ListPop:
      lower_list(n, can_steal);
      return;
    case NodeKind::Print:
    case NodeKind::Assert:
    case NodeKind::VarRead:
    case NodeKind::VarAssign:
    case NodeKind::VarAssignAdd:
    case NodeKind::VarAssignSub:
      lower_effect(n);
      return;
    case NodeKind::Call:
      lower_call(n);
      return;
  }
}

void Lowerer::lower_call(const Node& n) {
  Instr in = base(n, Code::Call);
  if (in.ins.size() != n.inputs.size()) throw InternalError("compile: a call passes a list");
  auto it = functions_.find(n.callee);
  if (it == functions_.end()) throw InternalError("compile: a call's function was not lowered");
  CallSpec c;
  c.function = it->second;
  for (size_t i = 0; i < n.outputs.size(); ++i) c.outs.push_back(define(n, static_cast<int>(i)));
  if (!c.outs.empty()) in.out = c.outs[0];
  p_.calls.push_back(std::move(c));
  in.payload = static_cast<int32_t>(p_.calls.size() - 1);
  emit(std::move(in));
}

void Lowerer::lower_list(const Node& n, const StealCheck& can_steal) {
  if (n.kind == NodeKind::ListPop) {
    // A ListGet that also removes the element: c (the shorter list's slot) >= 0 marks it (see
    // exec_list). Pops reuse the ListGet code, which the interpreter already sends to
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
  Instr in = base(n, node_code(n.kind));
  if (n.kind == NodeKind::ListNew) {
    if (!n.inputs.empty()) in.a = slot(n.inputs[0]);
    p_.list_elements.push_back(n.outputs[0].spec);
    p_.list_dynamic.push_back(n.dynamic_size);
    in.payload = static_cast<int32_t>(p_.list_elements.size() - 1);
  } else {
    // [list, index or item, item]: slots a, b, c; updates may take the list over.
    in.a = slot(n.inputs[0]);
    if (n.inputs.size() > 1) in.b = slot(n.inputs[1]);
    if (n.inputs.size() > 2) in.c = slot(n.inputs[2]);
    if (n.kind == NodeKind::ListPushBack || n.kind == NodeKind::ListSet) {
      in.steal = can_steal(n.inputs[0]);
    }
  }
  in.out = define(n);
  emit(std::move(in));
}

void Lowerer::lower_effect(const Node& n) {
  Instr in = base(n, node_code(n.kind));
  switch (n.kind) {
    case NodeKind::Print:
      p_.prints.push_back(PrintSpec{n.print_items, n.sep, n.end});
      in.payload = static_cast<int32_t>(p_.prints.size() - 1);
      emit(std::move(in));
      return;
    case NodeKind::Assert:
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
    default:  // variables
      if (!n.inputs.empty()) in.a = slot(n.inputs[0]);
      p_.variables.push_back(n.variable);
      in.payload = static_cast<int32_t>(p_.variables.size() - 1);
      in.out = define(n);
      emit(std::move(in));
      return;
  }
}

}  // namespace xag::rt::exec

namespace xag::rt {

namespace {

// Every graph function that Call nodes of `g` (its subgraphs, and the functions found) run, in
// the order first found: their index in the FunctionTable.
void collect_functions(const Graph& g, std::unordered_map<const Graph*, int32_t>& index,
                       std::vector<const Graph*>& order) {
  for (const auto& n : g.nodes()) {
    for (const auto& sg : n->subgraphs) collect_functions(*sg, index, order);
    if (n->kind != NodeKind::Call || index.count(n->callee)) continue;
    index.emplace(n->callee, static_cast<int32_t>(order.size()));
    order.push_back(n->callee);
    collect_functions(*n->callee, index, order);
  }
}

// One top-level graph (the compiled graph, or a graph function) as a Program.
std::unique_ptr<exec::Program> lower_program(
    const Graph& graph, const std::unordered_map<const Graph*, int32_t>& functions) {
  graph.verify();
  auto p = std::make_unique<exec::Program>();
  exec::Lowerer low(*p, functions);
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
  p->results = low.lower(graph, {}, true);
  exec::Instr halt;
  halt.code = exec::Code::Halt;
  p->code.push_back(std::move(halt));
  for (exec::Instr& in : p->code) {
    in.oa = exec::slot_offset(in.a);
    in.ob = exec::slot_offset(in.b);
    in.oc = exec::slot_offset(in.c);
    in.oout = exec::slot_offset(in.out);
  }
  return p;
}

}  // namespace

Executable compile(const Graph& graph) {
  std::unordered_map<const Graph*, int32_t> index;
  std::vector<const Graph*> order;
  collect_functions(graph, index, order);
  std::shared_ptr<exec::Program> p = lower_program(graph, index);
  if (!order.empty()) {
    auto table = std::make_shared<exec::FunctionTable>();
    for (const Graph* fn : order) {
      table->programs.push_back(lower_program(*fn, index));
      table->programs.back()->functions = table.get();
      table->device_programs.push_back(std::make_unique<exec::Program>(*table->programs.back()));
      exec::read_elements_through_kernels(*table->device_programs.back());
      table->names.push_back(fn->name());
    }
    p->functions = table.get();
    p->owned = std::move(table);
  }
  Executable e;
  e.program_ = std::move(p);
  e.tier_ = std::make_shared<jit::Tier>(jit::env_mode());
  return e;
}

}  // namespace xag::rt
