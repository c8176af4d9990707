// Slot reuse in the top-level graph: an op's tensor result whose last reader has run hands its
// slot, and so the buffer the slot keeps between runs, to a later op result of the same type.
// Without it every op of a long straight-line graph (an unrolled recurrent step: 50 steps of
// matmul, add, tanh) keeps a buffer of its own, a working set of megabytes where eager
// execution, whose freed buffers malloc hands straight back, stays in the cache; the staged
// graph then ran slower than eager.
//
// Only values that nothing can see past their last reader take part: results of plain ops
// (Op, FusedElementwise) with a fully known non-scalar shape, read only by plain ops of the same
// graph (a Cond or While aliases its inputs' slots, lists, prints and variables keep them), not
// results of the graph, not preassigned and not views (reshape, x[t]). A view of a value made
// from a reused slot shares its buffer, which the executor then never writes in place (it only
// reuses buffers that a slot owns alone).
#include <unordered_map>

#include "runtime/exec/lowerer.h"

namespace xag::rt::exec {

struct Lowerer::SlotReuse {
  ValueSet takes;                              // values that may take a dead value's slot
  std::vector<std::vector<Value>> dead_after;  // per node: values whose last reader it is
  std::vector<std::pair<Type, int32_t>> free;  // slots of dead values, with their type
};

namespace {

bool plain(const Node& n) {
  return n.kind == NodeKind::Op || n.kind == NodeKind::FusedElementwise;
}

// Ops whose result may be a view of an input (ops/run.cpp: run_on, run_getitem): they would drop
// a reused slot's buffer for the view, and their own slot holds no buffer worth handing on.
bool may_be_view(const Node& n) {
  if (n.kind != NodeKind::Op) return false;
  switch (n.op) {
    case OpKind::Identity:
    case OpKind::StopGradient:
    case OpKind::Reshape:
    case OpKind::GetItem:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::shared_ptr<Lowerer::SlotReuse> Lowerer::make_slot_reuse(const Graph& g) const {
  auto r = std::make_shared<SlotReuse>();
  const auto& nodes = g.nodes();
  r->dead_after.resize(nodes.size());
  ValueSet results(g.outputs().begin(), g.outputs().end());
  std::unordered_map<Value, size_t, ValueHash> last;  // candidate -> its last reader's index
  ValueSet kept;                                      // read by a node that keeps it
  for (size_t k = 0; k < nodes.size(); ++k) {
    const Node& n = *nodes[k];
    for (const Value& v : n.inputs) {
      if (plain(n)) {
        last[v] = k;
      } else {
        kept.insert(v);
      }
    }
    if (!plain(n) || may_be_view(n)) continue;
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      const Value v{const_cast<Node*>(&n), static_cast<int>(i)};
      const Type& t = v.type();
      if (t.is_list() || t.spec.shape.rank() == 0 || !t.spec.shape.is_fully_defined() ||
          results.count(v) || preassigned_.count(v)) {
        continue;
      }
      r->takes.insert(v);
      last[v] = k;  // unread: dead once computed
    }
  }
  for (const auto& [v, k] : last) {
    if (r->takes.count(v) && !kept.count(v)) r->dead_after[k].push_back(v);
  }
  return r;
}

void Lowerer::release_dead(size_t node_index) {
  if (!reuse_) return;
  for (const Value& v : reuse_->dead_after[node_index]) {
    auto it = slots_.find(v);
    if (it != slots_.end()) reuse_->free.emplace_back(v.type(), it->second);
  }
}

int32_t Lowerer::reused_slot(const Value& v) {
  if (!reuse_ || !reuse_->takes.count(v)) return -1;
  auto& free = reuse_->free;
  for (size_t i = free.size(); i-- > 0;) {  // the most recently freed: its buffer is warmest
    if (free[i].first == v.type()) {
      const int32_t s = free[i].second;
      free.erase(free.begin() + static_cast<std::ptrdiff_t>(i));
      return s;
    }
  }
  return -1;
}

}  // namespace xag::rt::exec
