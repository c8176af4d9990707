// Lowers `break` into a flag: the loop stops when the flag is set, and the
// statements after a possible break are guarded.
//
//   while test:                    break_ = False
//       if x:                      while not break_ and test:
//           break          ->          if x:
//       y += 1                             break_ = True
//   else:                              if not break_:
//       done()                             y += 1
//                                  if not break_:
//                                      done()
//
// For a `for` loop the condition goes to ctx.extra_test (for_stmt's
// extra_test). Loop `else` clauses are removed here for every loop: without
// a break, `else` always runs after the loop, so it simply follows it.
#include "converter/analysis/ast_util.h"
#include "converter/transforms/jump_lowering.h"
#include "converter/transforms/passes.h"
#include "converter/transforms/transformer.h"

namespace xag::transforms::break_statements {

namespace {

class BreakLowering : public Transformer {
 public:
  using Transformer::Transformer;

 protected:
  // Without a break, the else clause always runs after the loop.
  static std::vector<NodeId> with_else(NodeId loop, const std::vector<NodeId>& else_stmts) {
    std::vector<NodeId> out{loop};
    out.insert(out.end(), else_stmts.begin(), else_stmts.end());
    return out;
  }

  std::vector<NodeId> visit_stmt(NodeId s) override {
    NodeKind k = t_.kind(s);
    if (k != NodeKind::While && k != NodeKind::For) return Transformer::visit_stmt(s);
    bool is_while = k == NodeKind::While;
    Field body = is_while ? Field::While_body : Field::For_body;
    Field orelse = is_while ? Field::While_orelse : Field::For_orelse;
    // The flag is named before inner loops take theirs (names read top-down).
    bool breaks = contains_jump(t_, analysis::copy_list(t_, s, body), NodeKind::Break, false);
    std::string flag = breaks ? ctx_.namer.fresh("break_") : "";
    generic_visit(s);  // inner loops first: their breaks are theirs
    std::vector<NodeId> else_stmts = analysis::copy_list(t_, s, orelse);
    t_.set_list(s, orelse, std::vector<NodeId>{});
    if (!breaks) return with_else(s, else_stmts);
    JumpLowering lowering(t_, NodeKind::Break, flag);
    lowering.replace_jump = [&](NodeId brk) -> std::vector<NodeId> {
      Builder b(t_, brk);
      return {b.assign(b.name(flag), b.boolean(true))};
    };
    JumpLowering::Result r = lowering.block(analysis::copy_list(t_, s, body));
    if (!r.jumps) return with_else(s, else_stmts);
    t_.set_list(s, body, r.stmts);
    Builder b(t_, s);
    if (is_while) {
      // The flag is tested first so that the test does not run again after a break.
      t_.set_node(s, Field::While_test,
                  b.and_(b.not_(b.name(flag)), t_.node(s, Field::While_test)));
    } else {
      NodeId stop = b.not_(b.name(flag));
      auto it = ctx_.extra_test.find(s.index);
      ctx_.extra_test[s.index] = it == ctx_.extra_test.end() ? stop : b.and_(it->second, stop);
    }
    std::vector<NodeId> out{b.assign(b.name(flag), b.boolean(false)), s};
    if (!else_stmts.empty()) {
      Builder eb(t_, else_stmts[0]);
      out.push_back(eb.if_(eb.not_(eb.name(flag)), else_stmts));
    }
    return out;
  }
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  run_on_function<BreakLowering>(t, fn, ctx);
}

}  // namespace xag::transforms::break_statements
