// Makes AST nodes that all carry one origin position: the position of the
// user's node being replaced, so that errors in generated code point at what
// the user wrote. Transforms build through a Builder (or a template, which
// uses one), never with bare Tree::make.
#pragma once

#include <string_view>
#include <vector>

#include "converter/ast/ast.h"

namespace xag::transforms {

using ast::Field;
using ast::NodeId;
using ast::NodeKind;
using ast::Op;
using ast::Pos;
using ast::Tree;

class Builder {
 public:
  Builder(Tree& t, const Pos& origin) : t_(t), origin_(origin) {}
  Builder(Tree& t, NodeId origin) : t_(t), origin_(t.pos(origin)) {}

  Tree& tree() { return t_; }
  const Pos& origin() const { return origin_; }

  NodeId make(NodeKind k) { return t_.make(k, origin_); }

  // ---- expressions ----
  NodeId name(std::string_view id, Op ctx = Op::Load);
  NodeId str(std::string_view value);
  NodeId boolean(bool value);
  NodeId none();
  NodeId integer(long value);
  NodeId attr(NodeId value, std::string_view attr, Op ctx = Op::Load);
  // `ag__.fn` (the operators module is always spelled ag__).
  NodeId op(std::string_view fn) { return attr(name("ag__"), fn); }
  NodeId call(NodeId func, const std::vector<NodeId>& args,
              const std::vector<NodeId>& keywords = {});
  NodeId tuple(const std::vector<NodeId>& elts, Op ctx = Op::Load);
  // A tuple of string constants: ('x', 'y').
  NodeId str_tuple(const std::vector<std::string>& values);
  NodeId not_(NodeId operand);
  NodeId and_(NodeId a, NodeId b);
  NodeId lambda(NodeId body);  // lambda: body
  NodeId dict(const std::vector<NodeId>& keys, const std::vector<NodeId>& values);

  // ---- statements ----
  NodeId assign(NodeId target, NodeId value);
  NodeId expr_stmt(NodeId value);
  NodeId if_(NodeId test, const std::vector<NodeId>& body, const std::vector<NodeId>& orelse = {});
  NodeId pass();
  // `global a, b` / `nonlocal a, b`.
  NodeId declaration(NodeKind k, const std::vector<std::string>& names);
  // An `arguments` node with these plain positional parameters.
  NodeId arguments(const std::vector<std::string>& params);
  NodeId function_def(std::string_view name, const std::vector<std::string>& params,
                      const std::vector<NodeId>& body);

 private:
  Tree& t_;
  Pos origin_;
};

// Sets the context of an assignment target (and of its elements).
void set_ctx(Tree& t, NodeId target, Op ctx);

// A deep copy of node n inside the same tree (same positions).
NodeId deep_copy(Tree& t, NodeId n);

// Gives every node under root whose position is unset (line 0) the origin
// position. The base transformer calls this on whatever a visit returns.
void stamp_positions(Tree& t, NodeId root, const Pos& origin);
// True when every node under root has a position (stamp_positions would
// change nothing there, whatever the origin).
bool fully_positioned(const Tree& t, NodeId root);

}  // namespace xag::transforms
