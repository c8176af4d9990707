// Staged reverse mode: walks nodes of a graph backwards and appends their gradient nodes to the
// graph the trace's builder is in now. Used for the tape's region of the top-level graph (or of
// the loop body the tape was opened in) and, recursively, for the replayed branch and body of a
// Cond or While whose gradient is being built.
//
// Gradients of tensors are tensors of the same dtype and shape; gradients of tensor lists are
// lists of the same element spec (element i of the gradient list is the gradient of element i).
#pragma once

#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "runtime/graph/tracer.h"

namespace xag::rt::autodiff {

// A value gradients can flow through: a floating tensor, or a list of floating tensors.
bool differentiable(const Type& t);

// The variables a gradient is taken for (their reads are sources).
using VariableSet = std::unordered_set<const Variable*>;
// The variables of `vars` read anywhere in `g` or its subgraphs, in order of first read.
std::vector<std::shared_ptr<Variable>> variables_read(const Graph& g, const VariableSet& vars);

// An int32 scalar constant in the builder's current graph (list indices, loop counters).
Value int_const(GraphBuilder& b, int32_t v);
// Whether `v` is the constant -1: the index of a stack's tensor_list_pop.
bool is_last_index(Value v);

class StagedBackprop {
 public:
  StagedBackprop(Trace& trace, const VariableSet& variables);

  // Values gradients start from (watched tensors, variable reads): a node of `nodes` is active
  // when one of its inputs is, and only active nodes are differentiated.
  void mark_active(const std::vector<Node*>& nodes,
                   const std::unordered_set<Value, ValueHash>& sources);
  bool active(Value v) const { return active_.count(v) > 0; }

  // Adds `g` to the gradient of `v` (`g` a value usable in the builder's current graph).
  void accumulate(Value v, Value g);
  // The gradient of `v` so far, or an invalid Value when none has reached it.
  Value gradient_of(Value v) const;

  // Differentiates `nodes` (in program order, all of the builder's current graph) backwards.
  void run(const std::vector<Node*>& nodes);

  // The gradient of each variable of the set that was read (summed over its reads, including
  // reads inside staged ifs and loops); null when it was not reached.
  Value variable_gradient(const Variable* var) const;

 private:
  friend class WhileGradient;  // grad_while.cpp
  void op_node(Node& n);
  void list_node(Node& n);
  void cond_node(Node& n);   // grad_control.cpp
  void while_node(Node& n);  // grad_while.cpp
  // The gradient list of `list` for a read at `index` of `dy` (TensorArray read / list get).
  void list_get_grad(Node& n, Value dy);
  [[noreturn]] void unsupported(const Node& n, const std::string& why) const;
  // Whether a Cond/While reads a variable of the set inside.
  bool reads_variables(const Node& n) const;
  void add_variable_gradient(const Variable* var, Value g);
  // Zeros of a variable's dtype and shape (its gradient where a branch does not read it).
  Value variable_zeros(const Variable& var);

  Trace& tr_;
  GraphBuilder& b_;
  std::unordered_map<Value, Value, ValueHash> grads_;
  std::unordered_set<Value, ValueHash> active_;
  const VariableSet& variables_;
  std::unordered_map<const Variable*, Value> variable_grads_;
};

}  // namespace xag::rt::autodiff
