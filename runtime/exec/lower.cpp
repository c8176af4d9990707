// compile(): lowers a graph to blocks of instructions over preassigned slots. Every value gets
// its own slot, except that subgraph params alias the slots of the values passed to them (no
// copies on entry) and a While's results are its loop-carried slots.
#include <unordered_map>
#include <unordered_set>

#include "runtime/exec/program.h"

namespace xag::rt::exec {

namespace {

bool is_scalar_tensor(const Type& t) {
  return !t.is_list() && t.spec.shape.rank() == 0;
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

  // Lowers `g` (its params already mapped) into a new block; returns the block's index.
  int32_t lower(const Graph& g, const std::unordered_set<Value, ValueHash>& stealable) {
    const int32_t idx = static_cast<int32_t>(p_.blocks.size());
    p_.blocks.emplace_back();
    Block b;
    std::unordered_map<Value, int, ValueHash> uses;
    for (const auto& n : g.nodes())
      for (const Value& v : n->inputs) ++uses[v];
    for (const Value& v : g.outputs()) ++uses[v];
    auto can_steal = [&](const Value& v) {
      if (uses[v] != 1) return false;
      return v.node->kind != NodeKind::Placeholder || stealable.count(v) > 0;
    };
    for (const auto& np : g.nodes()) lower_node(*np, b, can_steal);
    for (const Value& v : g.outputs()) b.outputs.push_back(slot(v));
    p_.blocks[static_cast<size_t>(idx)] = std::move(b);
    return idx;
  }

 private:
  int32_t loc_index(const Node& n) {
    if (!n.loc.known()) return -1;
    p_.locs.push_back(n.loc);
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
    const int32_t s = new_slot(v.type());
    slots_[v] = s;
    return s;
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
  void lower_node(const Node& n, Block& b, CanSteal& can_steal) {
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
        if (in.sfn) {
          in.code = Code::Scalar;
          if (in.ins.size() > 0) in.a = in.ins[0];
          if (in.ins.size() > 1) in.b = in.ins[1];
          if (in.ins.size() > 2) in.c = in.ins[2];
          const int shift = scalar_shift_of(n.op, dts, n.outputs[0].spec.dtype, rhs);
          if (shift >= 0) in.c = shift;
        } else {
          p_.attrs.push_back(n.attrs);
          in.payload = static_cast<int32_t>(p_.attrs.size() - 1);
        }
        b.code.push_back(std::move(in));
        return;
      }
      case NodeKind::FusedElementwise: {
        Instr in = base(n, Code::Fused);
        p_.fused.push_back(n.fused);
        in.payload = static_cast<int32_t>(p_.fused.size() - 1);
        in.out = define(n);
        b.code.push_back(std::move(in));
        return;
      }
      case NodeKind::Cond:
        lower_cond(n, b);
        return;
      case NodeKind::While:
        lower_while(n, b);
        return;
      case NodeKind::ListNew: {
        Instr in = base(n, Code::ListNew);
        if (!n.inputs.empty()) in.a = slot(n.inputs[0]);
        p_.list_elements.push_back(n.outputs[0].spec);
        p_.list_dynamic.push_back(n.dynamic_size);
        in.payload = static_cast<int32_t>(p_.list_elements.size() - 1);
        in.out = define(n);
        b.code.push_back(std::move(in));
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
        b.code.push_back(std::move(in));
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
        b.code.push_back(std::move(in));
        return;
      }
      case NodeKind::Print: {
        Instr in = base(n, Code::Print);
        p_.prints.push_back(PrintSpec{n.print_items, n.sep, n.end});
        in.payload = static_cast<int32_t>(p_.prints.size() - 1);
        b.code.push_back(std::move(in));
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
        b.code.push_back(std::move(in));
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
        b.code.push_back(std::move(in));
        return;
      }
    }
  }

  void lower_cond(const Node& n, Block& b) {
    Instr in = base(n, Code::Cond);
    in.a = slot(n.inputs[0]);
    if (n.inputs[0].spec().dtype == DType::Bool) in.b = 1;
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      in.outs.push_back(define(n, static_cast<int>(i)));
      in.out_is_list.push_back(n.outputs[i].is_list());
    }
    int32_t blocks[2], xs[2];
    for (int k = 0; k < 2; ++k) {
      const Graph& g = *n.subgraphs[static_cast<size_t>(k)];
      for (size_t i = 0; i < g.params().size(); ++i) slots_[g.params()[i]] = slot(n.inputs[i + 1]);
      blocks[k] = lower(g, {});
      std::vector<Transfer> ts;
      for (size_t i = 0; i < g.outputs().size(); ++i)
        ts.push_back(make_transfer(g.outputs()[i], in.outs[i], g));
      xs[k] = add_transfers(std::move(ts));
    }
    in.block0 = blocks[0];
    in.block1 = blocks[1];
    in.x0 = xs[0];
    in.x1 = xs[1];
    b.code.push_back(std::move(in));
  }

  void lower_while(const Node& n, Block& b) {
    Instr in = base(n, Code::While);
    const size_t k = static_cast<size_t>(n.num_loop_vars);
    const size_t extra = n.has_max_iterations ? 1 : 0;
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
    in.x0 = add_transfers(std::move(init));
    if (extra) in.c = slot(n.inputs.back());
    const Graph& cg = *n.subgraphs[0];
    const Graph& bg = *n.subgraphs[1];
    std::unordered_set<Value, ValueHash> stealable;
    for (const Graph* g : {&cg, &bg}) {
      for (size_t i = 0; i < g->params().size(); ++i) {
        slots_[g->params()[i]] = i < k ? carried[i] : slot(n.inputs[i]);
      }
    }
    for (size_t i = 0; i < k; ++i) stealable.insert(bg.params()[i]);
    in.block0 = lower(cg, {});
    in.block1 = lower(bg, stealable);
    if (cg.outputs()[0].spec().dtype == DType::Bool) in.b = 1;

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
    in.x1 = add_transfers(std::move(wb));
    b.code.push_back(std::move(in));
  }

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
  low.lower(graph, {});
  Executable e;
  e.program_ = std::move(p);
  return e;
}

}  // namespace xag::rt
