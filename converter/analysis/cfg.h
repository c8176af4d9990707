// A control-flow graph of one function body, statements as nodes.
//
// Simple statements are one node each. A compound statement is one node for
// what it executes itself (an `if`/`while` test, a `for`'s iterable, a
// `with`'s items, a `try` entry, a `match` subject) followed by its blocks; a
// `for` target is a node of its own (keyed by the target expression) between
// the header and the body, since the target is bound only when an iteration
// starts; each `except` handler is a node of its own (binding its name).
// Nested def/class statements are single nodes: their bodies have their own
// graphs. Two pseudo nodes, entry and exit, have no statement.
//
// Edges: sequencing; if → body / orelse; loop header → body / orelse (exit);
// end of a loop body and `continue` → header; `break` → after the loop;
// `return` → exit (through enclosing `finally` blocks); `raise` and every
// statement in a `try` body → that try's handlers (or its `finally`, or exit).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "converter/analysis/ast_util.h"

namespace xag::analysis {

class Cfg {
 public:
  struct Node {
    NodeId stmt;  // none for entry/exit
    std::vector<int> succ, pred;
  };

  int entry() const { return 0; }
  int exit() const { return 1; }
  const std::vector<Node>& nodes() const { return nodes_; }
  const Node& node(int i) const { return nodes_[i]; }
  // The graph node of a statement or except handler; -1 when it has none.
  int index_of(NodeId stmt) const {
    auto it = index_.find(stmt.index);
    return it == index_.end() ? -1 : it->second;
  }
  // All graph nodes inside a compound statement (its own node included).
  std::vector<int> nodes_within(const Tree& t, NodeId stmt) const;

  // "L3 -> L5" style listing of every edge, for tests and debugging; nodes are
  // named by their statement's line:col ("entry"/"exit" for the pseudo nodes).
  std::string describe(const Tree& t) const;
  std::string name_of(const Tree& t, int i) const;

  // Builder interface.
  int add(NodeId stmt);
  void connect(int from, int to);

 private:
  std::vector<Node> nodes_;
  std::unordered_map<uint32_t, int> index_;
};

// The graph of fn's body (fn: a FunctionDef or AsyncFunctionDef).
Cfg build_cfg(const Tree& t, NodeId fn);

}  // namespace xag::analysis
