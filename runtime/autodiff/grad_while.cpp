// The gradient of a staged `while`, for any trip count decided at run time.
//
// Forward: the loop is edited to push, in every iteration, each loop variable that changes
// from one iteration to the next onto a stack of its own (a tensor list carried as one more
// loop variable). Loop-invariant values (captures, variables passed through unchanged) are not
// stacked. So a loop of N iterations stores N copies of its changing tensor variables, plus
// (see stash_costly_values) the values the backward pass would otherwise recompute from a
// matmul, reduction, softmax, gather or nested loop; elementwise intermediates are recomputed.
//
// Backward: a While that runs while the stacks are not empty. Each iteration pops the values
// the forward iteration started from, replays the body on them (recomputing its cheap
// intermediates) and differentiates the replay: the gradients of the loop variables are
// carried from iteration to iteration, the gradients of the captures are summed. The trip
// count is the forward's, read back from the stack.
//
// Tensor lists carried by the loop (appends, TensorArray writes) are replayed with the list the
// forward loop finished with: their elements are written once, so a read of element i sees the
// same value as it did in the forward iteration. A list the loop pops once per iteration (the
// stacks of a backward loop, met again by a second derivative) is replayed with the element
// the forward iteration popped, itself stacked.
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
      case NodeKind::ListPop:  // (a stack popped once per iteration is handled apart)
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

// Where the backward body can find a loop variable's values: the forward loop's result for it
// (its value after the last iteration) and, in the backward body, its value at the start of
// the forward iteration being undone (popped from its stack).
struct StackedVar {
  Value forward_result;  // in the forward body: the variable's next value
  Value final_value;     // the forward loop's output
  Value popped;          // in the backward body
};

// Trades recomputation for memory where it pays: every value of the replayed body `r` that the
// backward body of `b` reads and that was computed from a costly op is pushed by the forward
// loop `w` and popped by `b` instead (the graph passes then drop the dead recomputation). A
// matmul in an RNN step is then run once forward and never again. A value that is a stacked
// loop variable's next value needs no stack of its own: it is what the previous backward
// iteration popped (the loop's final value for the first one), carried by `b`.
void stash_costly_values(Node& w, Node& b, const Replayed& r, const std::vector<StackedVar>& vars) {
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
    Value stored;
    for (const StackedVar& s : vars) {
      if (s.forward_result == forward) stored = carry_previous(b, s.final_value, s.popped);
    }
    if (!stored.valid()) stored = pop_each_iteration(b, push_each_iteration(w, forward));
    back.replace_all_uses(v, stored);
  }
}

// The pop of a list the loop uses as a stack: the body's only use of list param `p` is one
// tensor_list_pop(p, -1) whose shorter list is the body's result for it (the backward loops
// this file builds are such loops, so this is what a second derivative meets). Null otherwise.
const Node* stack_pop(const Graph& body, size_t j) {
  const Value p = body.params()[j];
  const Node* pop = nullptr;
  for (const auto& n : body.nodes()) {
    for (const Value& in : n->inputs) {
      if (in != p) continue;
      if (pop || n->kind != NodeKind::ListPop || n->inputs[0] != p) return nullptr;
      if (!is_last_index(n->inputs[1])) return nullptr;
      pop = n.get();
    }
  }
  if (!pop || body.outputs()[j] != Value{const_cast<Node*>(pop), 0}) return nullptr;
  for (const Value& o : body.outputs())
    if (o == p) return nullptr;
  return pop;
}

}  // namespace

// Builds the gradient of one While node: classifies its loop variables, edits the forward loop
// to stack what the backward loop needs, builds the backward loop, and hands the gradients of
// the loop's inputs back to the enclosing backprop.
class WhileGradient {
 public:
  WhileGradient(StagedBackprop& bp, Node& w)
      : bp_(bp), b_(bp.b_), w_(w), body_(*w.subgraphs[1]), k_(size_t(w.num_loop_vars)) {
    const size_t end = w.inputs.size() - (w.has_max_iterations ? 1 : 0);
    var_in_.assign(w.inputs.begin(), w.inputs.begin() + long(k_));
    caps_.assign(w.inputs.begin() + long(k_), w.inputs.begin() + long(end));
    for (size_t j = 0; j < k_; ++j) var_out_.push_back(w.out(int(j)));
  }

  void run() {
    if (!classify()) return;
    add_forward_stacks();
    const std::vector<Value> done =
        b_.while_loop(initial_values(), stacks_not_empty(),
                      [this](const std::vector<Value>& v) { return step(v); });
    std::vector<StackedVar> stacked;
    for (size_t s = 0; s < stacked_.size(); ++s) {
      const size_t j = stacked_[s];
      stacked.push_back({body_.outputs()[j], var_out_[j], popped_vars_[s]});
    }
    stash_costly_values(w_, *done[0].node, replayed_, stacked);
    for (size_t g = 0; g < grad_vars_.size(); ++g) {
      const Value in = var_in_[grad_vars_[g]];
      if (bp_.active(in)) bp_.accumulate(in, done[at_grads() + g]);
    }
    for (size_t c = 0; c < grad_caps_.size(); ++c)
      bp_.accumulate(caps_[grad_caps_[c]], done[at_cap_sums() + c]);
    for (size_t x = 0; x < vars_.size(); ++x)
      bp_.add_variable_gradient(vars_[x].get(), done[at_var_sums() + x]);
  }

 private:
  // Loop variables: which are stacked, which carry a gradient; false when nothing flows.
  bool classify() {
    for (size_t j = 0; j < k_; ++j) {
      const Value out = var_out_[j];
      const bool changes = body_.outputs()[j] != body_.params()[j];
      if (changes && !out.is_list()) stacked_.push_back(j);
      const Node* pop = changes && out.is_list() ? stack_pop(body_, j) : nullptr;
      if (pop) popped_.push_back({j, pop});
      if (changes && out.is_list() && !pop) {
        if (const Node* use = size_dependent_use(body_, body_.params()[j])) {
          bp_.unsupported(*use,
                          "inside a differentiated loop that also changes the list, reading it "
                          "by a negative index, its length or stacking it");
        }
      }
      const bool has_grad = bp_.gradient_of(out).valid();
      if (out.is_list() ? (has_grad || (pop && differentiable(out.type())))
                        : differentiable(out.type()))
        grad_vars_.push_back(j);
    }
    for (size_t i = 0; i < caps_.size(); ++i) {
      if (!bp_.active(caps_[i]) || !differentiable(caps_[i].type())) continue;
      if (caps_[i].is_list()) bp_.unsupported(w_, "a tensor list read (not carried) by a loop");
      grad_caps_.push_back(i);
    }
    vars_ = variables_read(body_, bp_.variables_);
    if (grad_vars_.empty() && grad_caps_.empty() && vars_.empty()) return false;
    if (stacked_.empty()) bp_.unsupported(w_, "a loop in which no tensor changes");
    return true;
  }

  // The forward loop pushes each changing tensor variable as the iteration starts, and the
  // element each popped list gives the iteration.
  void add_forward_stacks() {
    for (size_t j : stacked_) stacks_.push_back(push_each_iteration(w_, body_.params()[j]));
    for (const auto& [j, pop] : popped_)
      stacks_.push_back(push_each_iteration(w_, Value{const_cast<Node*>(pop), 1}));
  }

  // Backward loop variables: the stacks, the loop variables' gradients, the sums of the
  // captures' and the variables' gradients.
  size_t at_grads() const { return stacks_.size(); }
  size_t at_cap_sums() const { return at_grads() + grad_vars_.size(); }
  size_t at_var_sums() const { return at_cap_sums() + grad_caps_.size(); }

  std::vector<Value> initial_values() {
    std::vector<Value> init = stacks_;
    for (size_t j : grad_vars_) {
      const Value out = var_out_[j];
      Value g = bp_.gradient_of(out);
      if (!g.valid() && out.is_list()) {
        // A popped list nobody reads afterwards: its gradient is zeros as long as the list
        // left (empty, for the stacks of a backward loop).
        const TensorSpec& e = out.spec();
        g = e.shape.is_fully_defined() ? b_.list_new(e, b_.list_size(out)) : b_.list_new(e);
      }
      init.push_back(g.valid() ? g : b_.op(OpKind::ZerosLike, {out}));
    }
    for (size_t i : grad_caps_) init.push_back(b_.op(OpKind::ZerosLike, {caps_[i]}));
    for (const auto& var : vars_) init.push_back(bp_.variable_zeros(*var));
    return init;
  }

  LoopCondFn stacks_not_empty() {
    return [this](const std::vector<Value>& v) {
      return b_.op(OpKind::Greater, {b_.list_size(v[0]), int_const(b_, 0)});
    };
  }

  // One backward iteration: pop what the forward iteration started from, replay the body on
  // it, differentiate the replay.
  std::vector<Value> step(const std::vector<Value>& v) {
    std::vector<Value> next(v.size());
    // The body's params now: loop variables, the stacks added above, captures. The replayed
    // pushes onto the stacks go to empty lists nobody reads (the graph passes drop them).
    const size_t ns = stacks_.size(), at_caps = k_ + ns;
    std::vector<Value> args(at_caps + caps_.size());
    std::vector<Value> tops(ns);
    for (size_t s = 0; s < ns; ++s) {
      const auto [rest, top] = b_.list_pop(v[s], int_const(b_, -1));
      next[s] = rest;
      tops[s] = top;
      args[k_ + s] = b_.list_new(v[s].spec());
    }
    for (size_t s = 0; s < stacked_.size(); ++s) args[stacked_[s]] = tops[s];
    popped_vars_.assign(tops.begin(), tops.begin() + long(stacked_.size()));
    ValueMap substitutes;  // each stack pop gives the element the forward iteration popped
    std::vector<Value> items(k_);
    for (size_t p = 0; p < popped_.size(); ++p) {
      const auto [j, pop] = popped_[p];
      args[j] = b_.list_new(var_out_[j].spec());
      items[j] = tops[stacked_.size() + p];
      substitutes[Value{const_cast<Node*>(pop), 0}] = args[j];
    }
    for (size_t j = 0; j < k_; ++j) {  // unchanged variables, lists: their final values
      if (!args[j].valid()) args[j] = b_.capture(var_out_[j].is_list() ? var_out_[j] : var_in_[j]);
    }
    for (size_t i = 0; i < caps_.size(); ++i) args[at_caps + i] = b_.capture(caps_[i]);

    std::unordered_set<Value, ValueHash> sources;
    auto distinct = [&](Value& a) {  // so two arguments get two gradients
      if (!a.is_list()) a = b_.op(OpKind::Identity, {a});
      sources.insert(a);
    };
    for (size_t j : grad_vars_) distinct(items[j].valid() ? items[j] : args[j]);
    for (size_t i : grad_caps_) distinct(args[at_caps + i]);
    for (const auto& [j, pop] : popped_) substitutes[Value{const_cast<Node*>(pop), 1}] = items[j];

    replayed_ = replay(b_, body_, args, substitutes);
    const Replayed& r = replayed_;
    StagedBackprop inner(bp_.tr_, bp_.variables_);
    inner.mark_active(r.nodes, sources);
    for (size_t g = 0; g < grad_vars_.size(); ++g)
      inner.accumulate(r.outputs[grad_vars_[g]], v[at_grads() + g]);
    inner.run(r.nodes);
    for (size_t g = 0; g < grad_vars_.size(); ++g)
      next[at_grads() + g] =
          variable_gradient(inner, grad_vars_[g], args, items, v[at_grads() + g]);
    for (size_t c = 0; c < grad_caps_.size(); ++c) {
      const Value d = inner.gradient_of(args[at_caps + grad_caps_[c]]);
      const Value& sum = v[at_cap_sums() + c];
      next[at_cap_sums() + c] = d.valid() ? b_.op(OpKind::Add, {sum, d}) : sum;
    }
    for (size_t x = 0; x < vars_.size(); ++x) {
      const Value d = inner.variable_gradient(vars_[x].get());
      const Value& sum = v[at_var_sums() + x];
      next[at_var_sums() + x] = d.valid() ? b_.op(OpKind::Add, {sum, d}) : sum;
    }
    return next;
  }

  // The gradient of loop variable j at the start of the iteration.
  Value variable_gradient(const StagedBackprop& inner, size_t j, const std::vector<Value>& args,
                          const std::vector<Value>& items, Value after) {
    if (items[j].valid()) {  // a popped stack: the popped element's gradient goes back on it
      Value d = inner.gradient_of(items[j]);
      if (!d.valid()) d = b_.op(OpKind::ZerosLike, {items[j]});
      return b_.list_push_back(after, d);
    }
    const Value d = inner.gradient_of(args[j]);
    if (d.valid()) return d;
    if (args[j].is_list()) bp_.unsupported(w_, "a tensor list the loop body replaces");
    return b_.op(OpKind::ZerosLike, {args[j]});
  }

  StagedBackprop& bp_;
  GraphBuilder& b_;
  Node& w_;
  const Graph& body_;
  const size_t k_;
  std::vector<Value> var_in_, caps_, var_out_;
  std::vector<size_t> grad_vars_, grad_caps_, stacked_;
  std::vector<std::pair<size_t, const Node*>> popped_;  // (loop variable, its pop)
  std::vector<std::shared_ptr<Variable>> vars_;
  std::vector<Value> stacks_;       // the forward loop's filled stacks
  Replayed replayed_;               // the forward body, rebuilt in the backward one
  std::vector<Value> popped_vars_;  // per stacked variable: its popped value, backward body
};

void StagedBackprop::while_node(Node& w) {
  WhileGradient(*this, w).run();
}

}  // namespace xag::rt::autodiff
