#include "runtime/autodiff/replay.h"

#include <string>
#include <unordered_map>

#include "runtime/graph/tracer.h"

namespace xag::rt::autodiff {

namespace {

class Replayer {
 public:
  explicit Replayer(GraphBuilder& b) : b_(b) {}

  // Rebuilt value -> replayed value, for the nodes of the graph run() replays.
  std::unordered_map<Value, Value, ValueHash> forward_of;

  std::vector<Value> run(const Graph& g, const std::vector<Value>& args,
                         const ValueMap& substitutes = {}) {
    const std::vector<Value>& params = g.params();
    if (params.size() != args.size()) {
      throw InternalError("replay: " + std::to_string(args.size()) + " values for " +
                          std::to_string(params.size()) + " params of " + g.name());
    }
    for (size_t i = 0; i < params.size(); ++i) map_[params[i]] = args[i];
    const SourceLoc saved = b_.location();
    for (const auto& n : g.nodes()) {
      if (substituted(*n, substitutes)) continue;
      b_.set_location(n->loc);
      node(*n);
    }
    b_.set_location(saved);
    std::vector<Value> outs;
    for (const Value& v : g.outputs()) outs.push_back(m(v));
    return outs;
  }

 private:
  Value m(Value v) const {
    auto it = map_.find(v);
    if (it == map_.end()) throw InternalError("replay: a value used before it is defined");
    return it->second;
  }
  std::vector<Value> m(const std::vector<Value>& vs, size_t from = 0, size_t to = SIZE_MAX) const {
    std::vector<Value> out;
    for (size_t i = from; i < vs.size() && i < to; ++i) out.push_back(m(vs[i]));
    return out;
  }
  void set(const Node& n, const std::vector<Value>& outs) {
    for (size_t i = 0; i < outs.size(); ++i) {
      const Value fwd{const_cast<Node*>(&n), int(i)};
      map_[fwd] = outs[i];
      forward_of.emplace(outs[i], fwd);
    }
  }
  void set(const Node& n, Value out) { set(n, std::vector<Value>{out}); }

  // A nested subgraph, replayed by a fresh Replayer (its own value map) with `extra` appended
  // to the params the builder passes (the captures of a loop's condition and body).
  SubgraphFn nested(const Graph& g, std::vector<Value> extra = {}) {
    return [this, &g, extra](const std::vector<Value>& params) {
      std::vector<Value> args = params;
      args.insert(args.end(), extra.begin(), extra.end());
      return Replayer(b_).run(g, args);
    };
  }

  // Maps n's outputs to their substitutes when every output has one.
  bool substituted(const Node& n, const ValueMap& substitutes) {
    if (substitutes.empty() || n.outputs.empty()) return false;
    std::vector<Value> outs;
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      auto it = substitutes.find(Value{const_cast<Node*>(&n), static_cast<int>(i)});
      if (it == substitutes.end()) return false;
      outs.push_back(it->second);
    }
    for (size_t i = 0; i < outs.size(); ++i)
      map_[Value{const_cast<Node*>(&n), static_cast<int>(i)}] = outs[i];
    return true;
  }
  void node(const Node& n);
  void while_node(const Node& n);
  void list_node(const Node& n);

  GraphBuilder& b_;
  std::unordered_map<Value, Value, ValueHash> map_;
};

void Replayer::node(const Node& n) {
  switch (n.kind) {
    case NodeKind::Placeholder:  // params are bound by run()
    case NodeKind::Print:        // side effects ran in the forward pass
    case NodeKind::Assert:
      return;
    case NodeKind::Const:
      return set(n, b_.constant(n.value));
    case NodeKind::Op:
      return set(n, b_.op(n.op, m(n.inputs), n.attrs));
    case NodeKind::Cond:
      return set(n, b_.cond(m(n.inputs[0]), m(n.inputs, 1), nested(*n.subgraphs[0]),
                            nested(*n.subgraphs[1])));
    case NodeKind::While:
      return while_node(n);
    case NodeKind::VarRead:
      return set(n, b_.var_read(n.variable));
    case NodeKind::Call:  // the same graph function again (its gradient is refused apart)
      return set(n, b_.call(n.callee, m(n.inputs), n.outputs));
    case NodeKind::VarAssign: {
      const Value x = m(n.inputs[0]);
      const DType want = n.variable->spec().dtype;
      if (x.spec().dtype == want) return set(n, x);
      OpAttrs cast;
      cast.dtype = want;
      cast.has_dtype = true;
      return set(n, b_.op(OpKind::Cast, {x}, cast));
    }
    case NodeKind::VarAssignAdd:
    case NodeKind::VarAssignSub:
      throw StagingError(
          "gradient: a variable updated with assign_add/assign_sub inside a "
          "staged if or loop that is differentiated cannot be recomputed" +
          std::string(n.loc.known() ? " (" + n.loc.to_string() + ")" : ""));
    case NodeKind::FusedElementwise:
      throw InternalError("replay: fused nodes exist only after the graph passes");
    default:
      return list_node(n);
  }
}

void Replayer::while_node(const Node& n) {
  const size_t k = static_cast<size_t>(n.num_loop_vars);
  const size_t end = n.inputs.size() - (n.has_max_iterations ? 1 : 0);
  const std::vector<Value> vars = m(n.inputs, 0, k);
  const std::vector<Value> caps = m(n.inputs, k, end);
  const Value max_it = n.has_max_iterations ? m(n.inputs.back()) : Value{};
  const SubgraphFn cond = nested(*n.subgraphs[0], caps);
  const LoopCondFn cond_fn = [cond](const std::vector<Value>& p) { return cond(p)[0]; };
  set(n, b_.while_loop(vars, cond_fn, nested(*n.subgraphs[1], caps), max_it));
}

void Replayer::list_node(const Node& n) {
  switch (n.kind) {
    case NodeKind::ListNew:
      return set(n, b_.list_new(n.outputs[0].spec, n.inputs.empty() ? Value{} : m(n.inputs[0]),
                                n.dynamic_size));
    case NodeKind::ListPushBack:
      return set(n, b_.list_push_back(m(n.inputs[0]), m(n.inputs[1])));
    case NodeKind::ListGet:
      return set(n, b_.list_get(m(n.inputs[0]), m(n.inputs[1])));
    case NodeKind::ListSet:
      return set(n, b_.list_set(m(n.inputs[0]), m(n.inputs[1]), m(n.inputs[2])));
    case NodeKind::ListSize:
      return set(n, b_.list_size(m(n.inputs[0])));
    case NodeKind::ListStack:
      return set(n, b_.list_stack(m(n.inputs[0])));
    case NodeKind::ListPop: {
      const auto [rest, item] = b_.list_pop(m(n.inputs[0]), m(n.inputs[1]));
      return set(n, std::vector<Value>{rest, item});
    }
    default:
      throw InternalError(std::string("replay: unexpected node ") + n.op_name());
  }
}

}  // namespace

Replayed replay(GraphBuilder& b, const Graph& g, const std::vector<Value>& args,
                const ValueMap& substitutes) {
  Graph& here = b.current();
  const size_t first = here.nodes().size();
  Replayed r;
  Replayer replayer(b);
  r.outputs = replayer.run(g, args, substitutes);
  r.forward_of = std::move(replayer.forward_of);
  for (size_t i = first; i < here.nodes().size(); ++i) {
    Node* n = here.nodes()[i].get();
    if (n->kind != NodeKind::Placeholder) r.nodes.push_back(n);
  }
  return r;
}

}  // namespace xag::rt::autodiff
