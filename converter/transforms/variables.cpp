// Reads of a variable that control_flow initialized with a placeholder
// (`x = ag__.Undefined('x')`, because it is not defined on every path) go
// through ag__.ld, which returns the value or raises UnboundLocalError the
// way the original code would have:
//
//   return z   ->   return ag__.ld(z)
//
// Only reads of those variables that may run before an assignment (in the
// function as written) are wrapped; the rest of the code stays as written.
// get_state functions pass placeholders through unchecked: staging needs to
// see them to report "defined in one branch only".
#include "converter/transforms/passes.h"
#include "converter/transforms/transformer.h"

namespace xag::transforms::variables {

namespace {

class Variables : public Transformer {
 public:
  using Transformer::Transformer;

 protected:
  std::vector<NodeId> visit_stmt(NodeId s) override {
    if (t_.kind(s) == NodeKind::AugAssign) return aug_assign(s);
    if (t_.kind(s) != NodeKind::FunctionDef) return Transformer::visit_stmt(s);
    std::string name(t_.ident(s, Field::FunctionDef_name));
    if (ctx_.state_getters.count(name)) return {s};
    auto it = ctx_.undefined_vars.find(s.index);
    bool user = ctx_.fscope.count(s.index) > 0;
    const std::set<std::string>* saved = vars_;
    if (user) vars_ = it == ctx_.undefined_vars.end() ? nullptr : &it->second;
    generic_visit(s);
    vars_ = saved;
    return {s};
  }

  // `x += v` on a placeholder would fail with a TypeError; the check
  // `ag__.ld(x)` before it fails like the original.
  std::vector<NodeId> aug_assign(NodeId s) {
    generic_visit(s);
    NodeId target = t_.node(s, Field::AugAssign_target);
    if (!vars_ || t_.kind(target) != NodeKind::Name ||
        !ctx_.maybe_undefined_reads.count(target.index) ||
        !vars_->count(std::string(t_.ident(target, Field::Name_id))))
      return {s};
    Builder b(t_, s);
    NodeId check = b.expr_stmt(b.call(b.op("ld"), {b.name(t_.ident(target, Field::Name_id))}));
    return {check, s};
  }

  NodeId visit_expr(NodeId e) override {
    generic_visit(e);
    if (!vars_ || t_.kind(e) != NodeKind::Name || t_.op(e, Field::Name_ctx) != Op::Load) return e;
    if (!vars_->count(std::string(t_.ident(e, Field::Name_id)))) return e;
    // Reads that are defined on every path in the original code stay plain.
    if (!ctx_.maybe_undefined_reads.count(e.index)) return e;
    Builder b(t_, e);
    return b.call(b.op("ld"), {e});
  }

 private:
  const std::set<std::string>* vars_ = nullptr;
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  run_on_function<Variables>(t, fn, ctx);
}

}  // namespace xag::transforms::variables
