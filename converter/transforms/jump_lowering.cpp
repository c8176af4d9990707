#include "converter/transforms/jump_lowering.h"

#include "converter/analysis/ast_util.h"

namespace xag::transforms {

JumpLowering::Result JumpLowering::block(const std::vector<NodeId>& stmts) {
  Result r;
  for (size_t i = 0; i < stmts.size(); ++i) {
    NodeId s = stmts[i];
    bool direct = t_.kind(s) == jump_;
    if (!lower(s, r.stmts)) continue;
    r.jumps = true;
    // After a jump itself the rest is unreachable and dropped; after a
    // statement that may jump, the rest runs only if it did not.
    if (!direct && i + 1 < stmts.size()) {
      Result rest = block(std::vector<NodeId>(stmts.begin() + i + 1, stmts.end()));
      if (!rest.stmts.empty()) {
        Builder b(t_, stmts[i + 1]);
        r.stmts.push_back(b.if_(b.not_(b.name(flag_)), rest.stmts));
      }
    }
    break;
  }
  return r;
}

bool JumpLowering::lower_field(NodeId n, Field f) {
  Result r = block(analysis::copy_list(t_, n, f));
  t_.set_list(n, f, r.stmts);
  return r.jumps;
}

bool JumpLowering::lower(NodeId s, std::vector<NodeId>& out) {
  NodeKind k = t_.kind(s);
  if (k == jump_) {
    for (NodeId n : replace_jump(s)) out.push_back(n);
    return true;
  }
  bool jumps = false;
  switch (k) {
    case NodeKind::If:
    case NodeKind::With:
    case NodeKind::Try:
      for (Field f : analysis::stmt_blocks(k)) jumps |= lower_field(s, f);
      if (k == NodeKind::Try)
        for (NodeId h : analysis::copy_list(t_, s, Field::Try_handlers))
          jumps |= lower_field(h, Field::ExceptHandler_body);
      break;
    case NodeKind::Match:
      for (NodeId c : analysis::copy_list(t_, s, Field::Match_cases))
        jumps |= lower_field(c, Field::match_case_body);
      break;
    case NodeKind::While:
    case NodeKind::For:
      if (on_loop) {
        for (Field f : analysis::stmt_blocks(k)) jumps |= lower_field(s, f);
        if (jumps) on_loop(s);
      }
      break;
    default:
      break;
  }
  out.push_back(s);
  return jumps;
}

}  // namespace xag::transforms

namespace xag::transforms {

bool contains_jump(const Tree& t, const std::vector<NodeId>& stmts, NodeKind jump,
                   bool into_loops) {
  for (NodeId s : stmts) {
    NodeKind k = t.kind(s);
    if (k == jump) return true;
    if (!into_loops && analysis::is_loop(k)) {
      // A loop's else clause runs outside that loop: its jumps are ours.
      Field orelse = k == NodeKind::While ? Field::While_orelse
                     : k == NodeKind::For ? Field::For_orelse
                                          : Field::AsyncFor_orelse;
      if (contains_jump(t, analysis::copy_list(t, s, orelse), jump, into_loops)) return true;
      continue;
    }
    for (Field f : analysis::stmt_blocks(k))
      if (contains_jump(t, analysis::copy_list(t, s, f), jump, into_loops)) return true;
    if (k == NodeKind::Try)
      for (NodeId h : t.list(s, Field::Try_handlers))
        if (contains_jump(t, analysis::copy_list(t, h, Field::ExceptHandler_body), jump,
                          into_loops))
          return true;
    if (k == NodeKind::Match)
      for (NodeId c : t.list(s, Field::Match_cases))
        if (contains_jump(t, analysis::copy_list(t, c, Field::match_case_body), jump, into_loops))
          return true;
  }
  return false;
}

}  // namespace xag::transforms
