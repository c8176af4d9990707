#include "runtime/autodiff/loop_stacks.h"

#include <memory>
#include <utility>

#include "runtime/ops/weak_scalar.h"

namespace xag::rt::autodiff {

namespace {

// A param of type `t` at position `pos` of g's params (its placeholder among the leading ones).
Value insert_param(Graph& g, size_t pos, const Type& t) {
  const Value v = g.add_param(t);
  std::vector<Value>& params = g.mutable_params();
  params.pop_back();
  params.insert(params.begin() + static_cast<long>(pos), v);
  return v;
}

size_t index_of(const Graph& g, const Node* n) {
  const auto& nodes = g.nodes();
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].get() == n) return i;
  throw InternalError("loop stacks: the loop is not in its graph");
}

// The index of the first node after the leading placeholders (params).
size_t after_params(const Graph& g) {
  size_t i = 0;
  while (i < g.nodes().size() && g.nodes()[i]->kind == NodeKind::Placeholder) ++i;
  return i;
}

std::unique_ptr<Node> new_node(NodeKind kind, std::vector<Value> inputs, std::vector<Type> outputs,
                               const SourceLoc& loc) {
  auto n = std::make_unique<Node>();
  n->kind = kind;
  n->inputs = std::move(inputs);
  n->outputs = std::move(outputs);
  n->loc = loc;
  n->backward = true;
  return n;
}

// Adds a loop variable of type `t` to While `w` after its current ones: `init` before the loop,
// a param of both subgraphs, and the body's result `next(param)`. Returns the loop's output.
template <class Next>
Value add_loop_var(Node& w, Value init, const Type& t, Next&& next) {
  const size_t pos = static_cast<size_t>(w.num_loop_vars);
  insert_param(*w.subgraphs[0], pos, t);
  const Value param = insert_param(*w.subgraphs[1], pos, t);
  std::vector<Value>& outs = w.subgraphs[1]->mutable_outputs();
  outs.insert(outs.begin() + static_cast<long>(pos), next(param));
  w.inputs.insert(w.inputs.begin() + static_cast<long>(pos), init);
  w.outputs.insert(w.outputs.begin() + static_cast<long>(pos), t);
  w.num_loop_vars += 1;
  return w.out(static_cast<int>(pos));
}

}  // namespace

Value push_each_iteration(Node& w, Value value) {
  Graph& outer = *w.graph;
  Graph& body = *w.subgraphs[1];
  const Type stack = Type::list(value.spec());
  const Value empty =
      outer.insert_node(new_node(NodeKind::ListNew, {}, {stack}, w.loc), index_of(outer, &w))
          ->out(0);
  return add_loop_var(w, empty, stack, [&](Value param) {
    return body.insert_node(new_node(NodeKind::ListPushBack, {param, value}, {stack}, w.loc))
        ->out(0);
  });
}

Value pop_each_iteration(Node& b, Value stack) {
  Graph& body = *b.subgraphs[1];
  Value top;
  add_loop_var(b, stack, stack.type(), [&](Value param) {
    auto last = std::make_unique<Node>();
    last->kind = NodeKind::Const;
    last->value = scalar_tensor(WeakScalar::integer(-1), DType::Int32);
    last->outputs.push_back(Type::tensor(TensorSpec{DType::Int32, Shape{}}));
    last->loc = b.loc;
    last->backward = true;
    const size_t at = after_params(body);
    const Value index = body.insert_node(std::move(last), at)->out(0);
    Node* pop = body.insert_node(new_node(NodeKind::ListPop, {param, index},
                                          {stack.type(), Type::tensor(stack.spec())}, b.loc),
                                 at + 1);
    top = pop->out(1);
    return pop->out(0);
  });
  return top;
}

Value carry_previous(Node& b, Value init, Value next) {
  Value param;
  add_loop_var(b, init, next.type(), [&](Value p) {
    param = p;
    return next;
  });
  return param;
}

}  // namespace xag::rt::autodiff
