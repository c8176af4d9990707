// Activity analysis: which names a statement or expression reads, modifies,
// binds and deletes.
//
// Follows AutoGraph's conventions: `x.a = 1` modifies the qualified name "x.a"
// and reads "x"; `x[i] = 1` modifies "x[]" and reads x and i; a method call
// `lst.append(v)` only reads lst (and "lst.append"); lists transforms make the
// modification explicit. Nested scopes are summarized at the statement that
// creates them: a nested def reads its free variables and may modify the
// names it declares nonlocal (modified, but not bound: nothing is assigned
// until the function is called). Comprehension targets stay inside the
// comprehension; a walrus inside one binds in the enclosing scope.
#pragma once

#include <unordered_map>
#include <unordered_set>

#include "converter/analysis/ast_util.h"
#include "converter/analysis/name_set.h"

namespace xag::analysis {

struct Activity {
  NameSet read;      // values used (simple and qualified names)
  NameSet modified;  // possibly changed: bound, deleted, composite targets, nested nonlocals
  NameSet bound;  // simple names (re)bound when this runs: assignment, def, import, for/with/except
                  // targets
  NameSet deleted;  // `del x`

  void merge(const Activity& o);
};

// The activity of nested defs a pass promises not to change (control-flow
// conversion's generated body functions), kept between calls: without it
// every analysis walks each such function whole, and again inside every
// function that encloses it.
struct ActivityCache {
  std::unordered_set<uint32_t> stable_defs;     // FunctionDef NodeId indexes
  std::unordered_map<uint32_t, Activity> done;  // filled on first use
};

// Activity of one expression (reads, and walrus bindings).
Activity expr_activity(const Tree& t, NodeId expr);
// Activity of a whole statement, nested blocks included.
Activity stmt_activity(const Tree& t, NodeId stmt, ActivityCache* cache = nullptr);
// Activity of a statement list.
Activity block_activity(const Tree& t, ast::Span<NodeId> stmts, ActivityCache* cache = nullptr);
// Only what a statement does at its own control-flow node: an `if`'s test,
// a `for`'s iterable and target, a `with`'s items; a simple statement's all.
Activity header_activity(const Tree& t, NodeId stmt, ActivityCache* cache = nullptr);

// Side table: the activity of every statement inside fn's body (nested
// blocks included, nested function bodies not), keyed by NodeId index.
using ActivityTable = std::unordered_map<uint32_t, Activity>;
ActivityTable analyze_activity(const Tree& t, NodeId fn);

// "x", "x.a.b" or "x[]" for a Name/Attribute/Subscript chain; empty when the
// expression is not such a chain (e.g. f().a).
std::string qualified_name(const Tree& t, NodeId expr);

}  // namespace xag::analysis
