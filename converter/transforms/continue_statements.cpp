// Lowers `continue` into a flag reset at the top of each iteration; the
// statements after a possible continue are guarded.
//
//   for x in xs:                   for x in xs:
//       if x < 0:                      continue_ = False
//           continue       ->          if x < 0:
//       total += x                         continue_ = True
//                                      if not continue_:
//                                          total += x
#include "converter/analysis/ast_util.h"
#include "converter/transforms/jump_lowering.h"
#include "converter/transforms/passes.h"
#include "converter/transforms/transformer.h"

namespace xag::transforms::continue_statements {

namespace {

class ContinueLowering : public Transformer {
 public:
  using Transformer::Transformer;

 protected:
  std::vector<NodeId> visit_stmt(NodeId s) override {
    NodeKind k = t_.kind(s);
    if (k != NodeKind::While && k != NodeKind::For) return Transformer::visit_stmt(s);
    Field body = k == NodeKind::While ? Field::While_body : Field::For_body;
    // Named before inner loops take theirs (names read top-down).
    bool continues = contains_jump(t_, analysis::copy_list(t_, s, body), NodeKind::Continue, false);
    std::string flag = continues ? ctx_.namer.fresh("continue_") : "";
    generic_visit(s);
    if (!continues) return {s};
    JumpLowering lowering(t_, NodeKind::Continue, flag);
    lowering.replace_jump = [&](NodeId c) -> std::vector<NodeId> {
      Builder b(t_, c);
      return {b.assign(b.name(flag), b.boolean(true))};
    };
    std::vector<NodeId> stmts = analysis::copy_list(t_, s, body);
    JumpLowering::Result r = lowering.block(stmts);
    if (!r.jumps) return {s};
    Builder b(t_, stmts[0]);
    r.stmts.insert(r.stmts.begin(), b.assign(b.name(flag), b.boolean(false)));
    t_.set_list(s, body, r.stmts);
    return {s};
  }
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  run_on_function<ContinueLowering>(t, fn, ctx);
}

}  // namespace xag::transforms::continue_statements
