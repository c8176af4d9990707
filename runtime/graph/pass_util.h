// Helpers shared by the passes (internal to runtime/graph).
#pragma once

#include <functional>
#include <memory>
#include <unordered_map>

#include "runtime/graph/graph.h"

namespace xag::rt::passes {

// Calls fn on every graph of the family, subgraphs before the graph that owns them.
void for_each_graph(Graph& g, const std::function<void(Graph&)>& fn);

// Uses of each value in `g`: node inputs plus graph outputs.
std::unordered_map<Value, int, ValueHash> count_uses(const Graph& g);

inline bool is_const(const Value& v) {
  return v.valid() && v.node->kind == NodeKind::Const;
}

// Whether every element of constant `v` equals `c` (any dtype; a bool is 0 or 1).
bool const_all_equal(const Value& v, double c);

// Field-by-field equality of op attributes (CSE).
bool attrs_equal(const OpAttrs& a, const OpAttrs& b);

// Index of `n` in its graph's node list.
size_t position(const Graph& g, const Node* n);

// A Const node for `value`, inserted into `g` at `pos`.
Value insert_const(Graph& g, size_t pos, const Tensor& value, const SourceLoc& loc);

// Pure: no side effects, not ordered, not random (random ops give fresh values per call), not a
// placeholder. Such nodes may be removed, merged or evaluated early.
bool is_pure(const Node& n);

}  // namespace xag::rt::passes
