// Helpers shared by the passes (internal to runtime/graph).
#pragma once

#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "runtime/graph/graph.h"

namespace xag::rt::passes {

// Calls fn on every graph of the family, subgraphs before the graph that owns them.
void for_each_graph(Graph& g, const std::function<void(Graph&)>& fn);

// Uses of each value in `g`: node inputs plus graph outputs.
std::unordered_map<Value, int, ValueHash> count_uses(const Graph& g);

// Values read in `g`: node inputs plus graph outputs.
std::unordered_set<Value, ValueHash> used_values(const Graph& g);

inline bool is_const(const Value& v) {
  return v.valid() && v.node->kind == NodeKind::Const;
}

// Whether every element of constant `v` equals `c` (any dtype; a bool is 0 or 1).
bool const_all_equal(const Value& v, double c);

// Field-by-field equality of op attributes (CSE).
bool attrs_equal(const OpAttrs& a, const OpAttrs& b);

// A new Const node holding `value` (for GraphEdit::insert).
std::unique_ptr<Node> const_node(const Tensor& value, const SourceLoc& loc);

// Pure: no side effects, not ordered, not random (random ops give fresh values per call), not a
// placeholder. Such nodes may be removed, merged or evaluated early.
bool is_pure(const Node& n);

// The edits of one sweep of a pass over one graph, applied together by commit() in time linear
// in the graph. Graph::replace_all_uses and inserting into the middle of the node list each cost
// O(nodes); a pass doing them once per rewritten node is quadratic, and an unrolled Python loop
// gives a graph with 10^5 rewritable nodes (one duplicate constant per iteration for CSE).
class GraphEdit {
 public:
  explicit GraphEdit(Graph& g) : g_(g) {}

  // What `v` stands for after the replacements recorded so far (chains followed).
  Value resolve(Value v) const;
  // Rewrites n's inputs through the replacements so far. A forward sweep calls it before reading
  // a node's inputs: nodes come after their inputs, so each node then sees its inputs exactly as
  // if every earlier replacement had been applied at once.
  void resolve_inputs(Node& n) const;
  // Every use of `from` (node inputs, graph outputs) becomes `to`.
  void replace(Value from, Value to);
  // Puts `node` right before the node now at index `pos` (at the end when pos is the node
  // count); nodes inserted at one index keep their order. The node is usable at once.
  Node* insert(size_t pos, std::unique_ptr<Node> node);
  // Drops `n` (its uses must have been replaced); control deps on it are forwarded.
  void remove(const Node* n) { removed_.insert(n); }
  bool removed(const Node* n) const { return removed_.count(n) > 0; }
  // Applies the edits; returns whether there were any.
  bool commit();

 private:
  void splice_inserted();

  Graph& g_;
  std::unordered_map<Value, Value, ValueHash> replaced_;
  std::vector<std::pair<size_t, std::unique_ptr<Node>>> inserted_;
  std::unordered_set<const Node*> removed_;
};

}  // namespace xag::rt::passes
