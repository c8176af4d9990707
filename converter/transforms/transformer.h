// The base of every pass: a rewriting walk over statements and expressions
// that keeps source positions. Whatever visit_stmt/visit_expr return is
// stamped with the position of the node it replaces wherever a position is
// missing, so no pass can produce code that points nowhere.
#pragma once

#include <vector>

#include "converter/transforms/builder.h"
#include "converter/transforms/context.h"

namespace xag::transforms {

class Transformer {
 public:
  Transformer(Tree& t, Context& ctx) : t_(t), ctx_(ctx) {}
  virtual ~Transformer() = default;

  // Rewrites the statement-list field f of n in place.
  void visit_block_field(NodeId n, Field f);
  // Rewrites a child node (expression or helper node) in place.
  void visit_child(NodeId n, Field f);

  // Entry points: a statement may become several, an expression another.
  std::vector<NodeId> stmt(NodeId s);
  NodeId expr(NodeId e);

 protected:
  // Override points. The defaults rewrite children and keep the node.
  virtual std::vector<NodeId> visit_stmt(NodeId s) {
    generic_visit(s);
    return {s};
  }
  virtual NodeId visit_expr(NodeId e) {
    generic_visit(e);
    return e;
  }
  // Rewrites every child of n: statement lists through stmt(), the rest
  // through expr().
  void generic_visit(NodeId n);
  void visit_list_field(NodeId n, Field f);

  Builder builder(NodeId origin) { return Builder(t_, origin); }

  Tree& t_;
  Context& ctx_;

 private:
  // Stamping walks every subtree a visit returns, at every level, which
  // costs more than most passes' own work. Once a pass starts on a function
  // whose nodes all have positions, stamping cannot change anything until a
  // node is made without one (Tree::unpositioned_made); builders and
  // template clones take their origin's position, so in practice only the
  // first pass over a function stamps.
  bool stamp_needed() const {
    return !positioned_at_start_ || t_.unpositioned_made() != unpositioned_at_start_;
  }
  int depth_ = 0;
  bool positioned_at_start_ = false;
  uint64_t unpositioned_at_start_ = 0;
};

// Runs T over function fn (its body, and nested defs the pass cares about).
template <typename T>
void run_on_function(Tree& t, NodeId fn, Context& ctx) {
  T pass(t, ctx);
  pass.stmt(fn);
}

}  // namespace xag::transforms
