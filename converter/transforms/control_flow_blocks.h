// What the control-flow pass (control_flow.cpp) reads from a block it moves into a body
// function, apart from liveness and reaching definitions: annotations it must drop, the
// function's own global/nonlocal declarations, and the composite targets (`obj.attr`,
// `d['key']`) that become state like variables.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "converter/analysis/dataflow_facts.h"
#include "converter/transforms/builder.h"

namespace xag::transforms::control_flow {

// Local variable annotations are never evaluated in a function, but `x: int = v` inside a
// generated body function would clash with its `nonlocal x`: blocks moved into one lose their
// annotations (`x: int` alone is dropped, `x: int = v` becomes `x = v`).
std::vector<NodeId> strip_annotations(Tree& t, const std::vector<NodeId>& stmts);

// What a function's own `global` and `nonlocal` statements declare (not those of nested defs
// or classes): what scope analysis would report for it, without analyzing every nested scope
// each time a statement is converted.
struct Declared {
  analysis::NameSet globals, nonlocals;
};
Declared declared(const Tree& t, NodeId fn);

// An assignment target whose value outlives the block: `obj.attr`, `a.b.c`, `d['key']`,
// `lst[0]` (constant subscripts) on a plain name. Like AutoGraph's composite symbols, these
// become state of the statements that assign them, so an object's attribute can be a loop
// counter. Returns the root name, or empty.
std::string_view composite_root(const Tree& t, NodeId e);

// The composite targets assigned in a block as written (nested blocks too, not nested defs or
// classes): text -> (root name, a target node).
struct Composite {
  std::string root;
  NodeId target;
};
using Composites = std::map<std::string, Composite>;
void collect_composites(const Tree& t, ast::Span<NodeId> stmts, Composites& out);

}  // namespace xag::transforms::control_flow
