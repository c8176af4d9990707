// GraphBuilder: the only way tracers create nodes. Every node is typed on creation (infer() for
// ops); a type error throws LocatedError (an InvalidArgumentError) naming the op, the shapes and
// the builder's current source location.
//
// Subgraphs: cond()/while_loop() call the given functions with the builder positioned inside a
// fresh subgraph. Using a value of an enclosing graph there captures it automatically (it becomes
// an extra input of the Cond/While node, through every level in between), so a tracer can call
// the user's closures unchanged. Side-effecting nodes are chained by control dependencies in
// creation order (automatic control dependencies).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "runtime/graph/graph.h"

namespace xag::rt {

// One argument of print(): a graph value or literal text (Python strings and numbers).
struct PrintArg {
  Value value;
  std::string text;

  PrintArg(Value v) : value(v) {}  // NOLINT: implicit so print({x, y}) reads naturally
  static PrintArg literal(std::string t) {
    PrintArg a{Value{}};
    a.text = std::move(t);
    return a;
  }
};

// Builds a branch or loop body: receives the subgraph's params, returns its results.
using SubgraphFn = std::function<std::vector<Value>(const std::vector<Value>& params)>;
// Builds a loop condition: receives the loop variables, returns a scalar (truthiness is used).
using LoopCondFn = std::function<Value(const std::vector<Value>& loop_vars)>;

class GraphBuilder {
 public:
  // Builds into `graph` (usually an empty top-level Graph). The graph must outlive the builder.
  explicit GraphBuilder(Graph& graph);

  // The top-level graph and the graph nodes are added to now (a subgraph inside cond/while).
  Graph& root() { return *root_; }
  Graph& current() { return *stack_.back(); }

  // Location copied onto every node created from now on (the tracer updates it per statement).
  void set_location(SourceLoc loc) { loc_ = std::move(loc); }
  const SourceLoc& location() const { return loc_; }
  // Name scopes (ag.name_scope, a layer's call): nodes made inside get the joined path.
  void push_scope(const std::string& name) { scope_ = scope_.empty() ? name : scope_ + "/" + name; }
  void pop_scope() {
    const size_t slash = scope_.rfind('/');
    scope_.erase(slash == std::string::npos ? 0 : slash);
  }
  // While on, nodes are marked as the backward pass (Node::backward); returns the old setting.
  bool set_backward(bool on) {
    const bool was = backward_;
    backward_ = on;
    return was;
  }

  // A function argument of the top-level graph (only valid outside cond/while).
  Value placeholder(const TensorSpec& spec, std::string name = {});
  Value constant(const Tensor& value);
  // Any op of op_kinds.def; the output type comes from infer().
  Value op(OpKind op, const std::vector<Value>& inputs, const OpAttrs& attrs = {});

  // Functional if: both functions get params matching `inputs` (values used without passing
  // them are captured). pred must be a scalar. Branch results must agree in count, kind, dtype
  // and rank; dims that differ become unknown.
  std::vector<Value> cond(Value pred, const std::vector<Value>& inputs, const SubgraphFn& then_fn,
                          const SubgraphFn& else_fn);

  // Functional while: runs body while cond holds, at most `maximum_iterations` times when that
  // integer scalar is given. body must return one value per loop variable with the same kind and
  // dtype and a shape compatible with (at least as specific as) the loop variable's; otherwise
  // InvalidArgumentError "while_loop: loop variable i ...". Returns the final loop variables.
  // `invariants` (empty, or one per loop variable) relaxes a loop variable's shape: where one is
  // given, the variable is typed with it (its unknown dims may change across iterations).
  std::vector<Value> while_loop(const std::vector<Value>& loop_vars, const LoopCondFn& cond_fn,
                                const SubgraphFn& body_fn, Value maximum_iterations = {},
                                const std::vector<std::optional<Shape>>& invariants = {});

  // Tensor lists (functional: each update returns a new list value). `size` (optional int
  // scalar) presizes the list; with dynamic_size false, set() beyond the size fails at run time.
  Value list_new(const TensorSpec& element, Value size = {}, bool dynamic_size = true);
  Value list_push_back(Value list, Value item);
  Value list_get(Value list, Value index);
  Value list_set(Value list, Value index, Value item);
  Value list_size(Value list);   // int32 scalar
  Value list_stack(Value list);  // (n, element...)
  // Removes element `index` (an integer scalar; negative counts from the end, -1 is the last):
  // returns {the shorter list, that element}. An empty list or an index out of range fails at run
  // time with InvalidArgumentError naming tensor_list_pop.
  std::pair<Value, Value> list_pop(Value list, Value index);

  // Side effects, kept in program order.
  // Prints the args separated by `sep` and followed by `end`, through RunOptions::print_sink.
  Node* print(const std::vector<PrintArg>& args, std::string sep = " ", std::string end = "\n");
  // Fails the run with "assertion failed: <message> (<file>:<line>)" when pred is false.
  Node* assert_true(Value pred, std::string message);
  Value var_read(const std::shared_ptr<Variable>& var);
  // Each returns the variable's new value.
  Value var_assign(const std::shared_ptr<Variable>& var, Value value);
  Value var_assign_add(const std::shared_ptr<Variable>& var, Value delta);
  Value var_assign_sub(const std::shared_ptr<Variable>& var, Value delta);

  // Runs graph function `callee` (a top-level graph, possibly still being built: a recursive
  // function calls itself) on `inputs`, giving results of `outputs` types. The caller keeps
  // `callee` alive (Graph::add_function); verify() checks the types once it is finished.
  std::vector<Value> call(Graph* callee, const std::vector<Value>& inputs,
                          const std::vector<Type>& outputs);

  // Makes `v` usable in the current graph (capturing it from an enclosing graph if needed).
  Value capture(Value v);
  // Sets the current graph's outputs (captured as needed).
  void set_outputs(const std::vector<Value>& outputs);

 private:
  Node* add(std::unique_ptr<Node> node);
  std::unique_ptr<Graph> build_subgraph(const std::string& name, const std::vector<Type>& params,
                                        const SubgraphFn& fn, std::vector<Value>* captured);
  Value capture_into(size_t level, Value v);

  Graph* root_;
  std::vector<Graph*> stack_;
  // Per open subgraph: outer value -> param, in capture order, and indexed (an unrolled Python
  // loop in a loop body can capture thousands of values).
  struct Captures {
    std::vector<std::pair<Value, Value>> in_order;
    std::unordered_map<Value, Value, ValueHash> param_of;
  };
  std::vector<Captures> captures_;
  // Last ordered node per open graph (automatic control dependencies).
  std::vector<Node*> last_ordered_;
  SourceLoc loc_;
  bool backward_ = false;
  std::string scope_;
};

}  // namespace xag::rt
