// The gradient of a staged `while`, for any trip count decided at run time.
//
// Forward: the loop is edited to push, at the start of every iteration, each loop variable
// that changes from one iteration to the next onto a stack of its own (a tensor list carried
// as one more loop variable). Loop-invariant values (captures, variables passed through
// unchanged) are not stacked. So a loop of N iterations stores N copies of its changing
// tensor variables, nothing else: no intermediates of the body.
//
// Backward: a While that runs while the stacks are not empty. Each iteration pops the values
// the forward iteration started from, replays the body on them (recomputing its
// intermediates) and differentiates the replay: the gradients of the loop variables are carried
// from iteration to iteration, the gradients of the captures are summed. The trip count is the
// forward's, read back from the stack.
//
// Tensor lists carried by the loop (appends, TensorArray writes) are replayed with the list the
// forward loop finished with: their elements are written once, so a read of element i sees the
// same value as it did in the forward iteration.
#include <string>

#include "runtime/autodiff/loop_stacks.h"
#include "runtime/autodiff/replay.h"
#include "runtime/autodiff/staged_backprop.h"

namespace xag::rt::autodiff {

namespace {

// The replay gives a list the loop modifies its final value (see the top of the file), which
// answers reads of written elements by a non-negative index, and nothing else: a read by a
// negative constant index, the size, a stack or a pop would see the final list instead of the
// list at the iteration. Names the first such use of body param `list`, or returns null.
const Node* size_dependent_use(const Graph& body, Value list) {
  for (const auto& n : body.nodes()) {
    if (n->inputs.empty() || n->inputs[0] != list) continue;
    switch (n->kind) {
      case NodeKind::ListGet: {
        const Value idx = n->inputs[1];
        if (idx.node->kind == NodeKind::Const && idx.node->value.item<double>() < 0) return n.get();
        break;
      }
      case NodeKind::ListSize:
      case NodeKind::ListStack:
      case NodeKind::ListPop:
        return n.get();
      default:
        break;
    }
  }
  return nullptr;
}

// Ops whose recomputation costs more than storing their result once per iteration: the
// backward loop reads such values (and values computed from them) from a stack instead.
bool costly(const Node& n) {
  if (n.kind == NodeKind::Cond || n.kind == NodeKind::While) return true;
  if (n.kind != NodeKind::Op) return false;
  const OpCategory c = op_category(n.op);
  return c == OpCategory::Linalg || c == OpCategory::Reduce || c == OpCategory::Nn ||
         n.op == OpKind::Gather;
}

// Trades recomputation for memory where it pays: every value of the replayed body `r` that the
// backward body of `b` reads and that was computed from a costly op is pushed by the forward
// loop `w` and popped by `b` instead (the graph passes then drop the dead recomputation). A
// matmul in an RNN step is then run once forward and never again.
void stash_costly_values(Node& w, Node& b, const Replayed& r) {
  Graph& back = *b.subgraphs[1];
  const std::unordered_set<const Node*> replayed(r.nodes.begin(), r.nodes.end());
  std::unordered_set<const Node*> from_costly;
  for (const Node* n : r.nodes) {
    bool c = costly(*n);
    for (const Value& in : n->inputs) c = c || from_costly.count(in.node) > 0;
    if (c) from_costly.insert(n);
  }
  std::vector<Value> needed;
  std::unordered_set<Value, ValueHash> seen;
  auto consider = [&](const Value& v) {
    if (from_costly.count(v.node) && !v.is_list() && r.forward_of.count(v) && seen.insert(v).second)
      needed.push_back(v);
  };
  for (const auto& n : back.nodes()) {
    if (replayed.count(n.get())) continue;
    for (const Value& v : n->inputs) consider(v);
  }
  for (const Value& v : back.outputs()) consider(v);
  for (const Value& v : needed) {
    const Value forward = r.forward_of.at(v);
    if (forward.node->graph != w.subgraphs[1].get()) continue;
    back.replace_all_uses(v, pop_each_iteration(b, push_each_iteration(w, forward)));
  }
}

Value int_scalar(GraphBuilder& b, int32_t v) {
  return b.constant(scalar_tensor(WeakScalar::integer(v), DType::Int32));
}

}  // namespace

void StagedBackprop::while_node(Node& w) {
  const size_t k = static_cast<size_t>(w.num_loop_vars);
  const size_t end = w.inputs.size() - (w.has_max_iterations ? 1 : 0);
  const Graph& body = *w.subgraphs[1];
  const std::vector<Value> var_in(w.inputs.begin(), w.inputs.begin() + static_cast<long>(k));
  const std::vector<Value> caps(w.inputs.begin() + static_cast<long>(k),
                                w.inputs.begin() + static_cast<long>(end));

  // Loop variables whose gradient is carried: floating tensors, and floating lists that have
  // a gradient after the loop. Captures whose gradient is summed: active floating tensors.
  std::vector<size_t> grad_vars, grad_caps, stacked;
  std::vector<Value> var_out;
  for (size_t j = 0; j < k; ++j) {
    const Value out = w.out(static_cast<int>(j));
    var_out.push_back(out);
    const bool changes = body.outputs()[j] != body.params()[j];
    if (changes && !out.is_list()) stacked.push_back(j);
    if (changes && out.is_list()) {
      if (const Node* use = size_dependent_use(body, body.params()[j])) {
        unsupported(*use,
                    "inside a differentiated loop that also changes the list, reading it by a "
                    "negative index, its length, stacking it or popping from it (this includes "
                    "a second derivative through a staged loop)");
      }
    }
    if (out.is_list() ? gradient_of(out).valid() : differentiable(out.type()))
      grad_vars.push_back(j);
  }
  for (size_t i = 0; i < caps.size(); ++i) {
    if (!active(caps[i]) || !differentiable(caps[i].type())) continue;
    if (caps[i].is_list()) unsupported(w, "a tensor list read (not carried) by a loop");
    grad_caps.push_back(i);
  }
  // Variables read in the body (or the condition): their gradients are summed like captures'.
  const std::vector<std::shared_ptr<Variable>> vars = variables_read(body, variables_);
  if (grad_vars.empty() && grad_caps.empty() && vars.empty()) return;
  if (stacked.empty()) unsupported(w, "a loop in which no tensor changes");

  std::vector<Value> stacks;  // the forward loop's filled stacks
  for (size_t j : stacked) stacks.push_back(push_each_iteration(w, body.params()[j]));

  // The backward loop's variables: stacks, gradients of the loop variables, capture sums.
  std::vector<Value> init = stacks;
  for (size_t j : grad_vars) {
    const Value g = gradient_of(var_out[j]);
    init.push_back(g.valid() ? g : b_.op(OpKind::ZerosLike, {var_out[j]}));
  }
  for (size_t i : grad_caps) init.push_back(b_.op(OpKind::ZerosLike, {caps[i]}));
  for (const auto& var : vars) init.push_back(variable_zeros(*var));
  const size_t at_vars = init.size() - vars.size();
  const size_t ns = stacks.size(), nv = grad_vars.size();

  const LoopCondFn cond = [&](const std::vector<Value>& v) {
    return b_.op(OpKind::Greater, {b_.list_size(v[0]), int_scalar(b_, 0)});
  };
  Replayed replayed;  // the forward body, rebuilt in the backward one
  const SubgraphFn step = [&](const std::vector<Value>& v) {
    std::vector<Value> next(v.size());
    // The body's params now: loop variables, the stacks added above, captures. The replayed
    // pushes onto the stacks go to empty lists nobody reads (the graph passes drop them).
    const size_t at_caps = k + ns;
    std::vector<Value> args(at_caps + caps.size());
    for (size_t s = 0; s < ns; ++s) {
      const auto [rest, top] = b_.list_pop(v[s], int_scalar(b_, -1));
      next[s] = rest;
      args[stacked[s]] = top;
      args[k + s] = b_.list_new(v[s].spec());
    }
    for (size_t j = 0; j < k; ++j) {  // unchanged variables, lists: their final values
      if (!args[j].valid()) args[j] = b_.capture(var_out[j].is_list() ? var_out[j] : var_in[j]);
    }
    for (size_t i = 0; i < caps.size(); ++i) args[at_caps + i] = b_.capture(caps[i]);
    std::unordered_set<Value, ValueHash> sources;
    auto distinct = [&](Value& a) {  // so two arguments get two gradients
      if (!a.is_list()) a = b_.op(OpKind::Identity, {a});
      sources.insert(a);
    };
    for (size_t j : grad_vars) distinct(args[j]);
    for (size_t i : grad_caps) distinct(args[at_caps + i]);

    replayed = replay(b_, body, args);
    const Replayed& r = replayed;
    StagedBackprop inner(tr_, variables_);
    inner.mark_active(r.nodes, sources);
    for (size_t g = 0; g < nv; ++g) inner.accumulate(r.outputs[grad_vars[g]], v[ns + g]);
    inner.run(r.nodes);
    for (size_t g = 0; g < nv; ++g) {
      const Value& a = args[grad_vars[g]];
      Value d = inner.gradient_of(a);
      if (!d.valid()) {
        if (a.is_list()) unsupported(w, "a tensor list the loop body replaces");
        d = b_.op(OpKind::ZerosLike, {a});
      }
      next[ns + g] = d;
    }
    for (size_t c = 0; c < grad_caps.size(); ++c) {
      const Value d = inner.gradient_of(args[at_caps + grad_caps[c]]);
      next[ns + nv + c] = d.valid() ? b_.op(OpKind::Add, {v[ns + nv + c], d}) : v[ns + nv + c];
    }
    for (size_t x = 0; x < vars.size(); ++x) {
      const Value d = inner.variable_gradient(vars[x].get());
      const Value& sum = v[at_vars + x];
      next[at_vars + x] = d.valid() ? b_.op(OpKind::Add, {sum, d}) : sum;
    }
    return next;
  };
  const std::vector<Value> done = b_.while_loop(init, cond, step);
  stash_costly_values(w, *done[0].node, replayed);
  for (size_t g = 0; g < nv; ++g) {
    const Value in = var_in[grad_vars[g]];
    if (active(in)) accumulate(in, done[ns + g]);
  }
  for (size_t c = 0; c < grad_caps.size(); ++c) accumulate(caps[grad_caps[c]], done[ns + nv + c]);
  for (size_t x = 0; x < vars.size(); ++x) add_variable_gradient(vars[x].get(), done[at_vars + x]);
}

}  // namespace xag::rt::autodiff
