// What break, continue and return lowering share: replace each jump with
// statements that record it in a flag (`break_ = True`), and guard whatever
// could run after a recorded jump with `if not flag:`, so that the jump
// becomes ordinary structured control flow that if_stmt/while_stmt can stage.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "converter/transforms/builder.h"

namespace xag::transforms {

class JumpLowering {
 public:
  struct Result {
    std::vector<NodeId> stmts;
    bool jumps = false;  // some path through the block records a jump
  };

  JumpLowering(Tree& t, NodeKind jump, std::string flag)
      : t_(t), jump_(jump), flag_(std::move(flag)) {}

  // Statements that replace one jump (`break_ = True`).
  std::function<std::vector<NodeId>(NodeId jump)> replace_jump;
  // Set to descend into nested loops (return lowering); called for each
  // nested loop that records a jump, which must then stop iterating.
  std::function<void(NodeId loop)> on_loop;

  Result block(const std::vector<NodeId>& stmts);

 private:
  bool lower(NodeId s, std::vector<NodeId>& out);
  bool lower_field(NodeId n, Field f);

  Tree& t_;
  NodeKind jump_;
  std::string flag_;
};

}  // namespace xag::transforms

namespace xag::transforms {

// Does the block hold a jump of this kind that belongs to it (not one inside
// a nested def or class; not inside nested loops unless into_loops)?
bool contains_jump(const Tree& t, const std::vector<NodeId>& stmts, NodeKind jump, bool into_loops);

}  // namespace xag::transforms
