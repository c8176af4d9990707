// The lowering of a graph to a Program (compile()), shared by lower.cpp (slots, emission, plain
// nodes), lower_op.cpp (ops: the scalar fast paths, compare-and-branch fusion) and
// lower_control.cpp (Cond and While as jumps and transfers). Only those files include this.
#pragma once

#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "runtime/exec/program.h"

namespace xag::rt::exec {

using ValueSet = std::unordered_set<Value, ValueHash>;

// Strings are not: their elements live in heap buffers (runtime/core/strings.h) and move as
// tensor handles, never as inline bytes.
inline bool is_scalar_tensor(const Type& t) {
  return !t.is_list() && t.spec.shape.rank() == 0 && t.spec.dtype != DType::String;
}

// May an update take over its input list `v` (Instr::steal)? Only when `v` is used once in the
// graph being lowered and it is computed there, or it is a param whose caller allows it.
class StealCheck {
 public:
  StealCheck(const Graph& g, const ValueSet& stealable);
  bool operator()(const Value& v) const;

 private:
  std::unordered_map<Value, int, ValueHash> uses_;
  const ValueSet& stealable_;
};

// Every value gets its own slot, except that subgraph params alias the slots of the values
// passed to them (no copies on entry), a While's results are its loop-carried slots and, in the
// top-level graph, a dead op result's slot goes to a later one of its type (slot_reuse.cpp).
class Lowerer {
 public:
  // `functions`: the index in the FunctionTable of every graph function Call nodes may run.
  Lowerer(Program& p, const std::unordered_map<const Graph*, int32_t>& functions)
      : p_(p), functions_(functions) {}

  int32_t new_slot(const Type& t, bool preset_zero = true);
  // The top-level graph's params get fresh slots, filled from run()'s arguments.
  void map_params(const Graph& g);
  int32_t slot(const Value& v) const {
    auto it = slots_.find(v);
    if (it == slots_.end()) throw InternalError("compile: a value has no slot");
    return it->second;
  }
  // Emits `g`'s nodes (its params already mapped); returns the slots of its results. With
  // `reuse_slots` (the top-level graph), dead op temporaries hand their slots on (SlotReuse).
  std::vector<int32_t> lower(const Graph& g, const ValueSet& stealable, bool reuse_slots = false);

 private:
  // lower.cpp
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
  int32_t loc_index(const Node& n);
  Instr base(const Node& n, Code code);
  int32_t define(const Node& n, int i = 0);
  void lower_node(const Node& n, const StealCheck& can_steal);
  void lower_list(const Node& n, const StealCheck& can_steal);
  void lower_effect(const Node& n);
  void lower_call(const Node& n);

  // lower_op.cpp
  void lower_op(const Node& n);
  void pick_getitem(const Node& n, Instr& in);
  size_t emit_branch(Instr jf);

  // lower_control.cpp
  void lower_cond(const Node& n);
  void lower_while(const Node& n, const StealCheck& can_steal);
  size_t lower_while_body(const Node& n, const std::vector<int32_t>& carried);
  size_t emit_device_loop(const Node& n, const std::vector<int32_t>& carried);
  Transfer make_transfer(const Value& src, int32_t dst, const Graph& g);
  Transfer make_write_back(const Graph& body, size_t i, int32_t dst);
  void emit_transfers(std::vector<Transfer> ts);
  int32_t add_transfers(std::vector<Transfer> ts);

  // slot_reuse.cpp
  struct SlotReuse;
  std::shared_ptr<SlotReuse> make_slot_reuse(const Graph& g) const;
  void release_dead(size_t node_index);
  int32_t reused_slot(const Value& v);

  Program& p_;
  const std::unordered_map<const Graph*, int32_t>& functions_;
  SlotReuse* reuse_ = nullptr;  // the graph being lowered reuses slots (not its subgraphs)
  std::unordered_map<Value, int32_t, ValueHash> slots_;
  // Slots chosen for values before their node is lowered (results written in place).
  std::unordered_map<Value, int32_t, ValueHash> preassigned_;
  // The locations of the Cond/While nodes being lowered, innermost last.
  std::vector<const SourceLoc*> enclosing_;
  // Jump targets: no peephole may merge instructions across them.
  std::unordered_set<int32_t> labels_;
};

}  // namespace xag::rt::exec
