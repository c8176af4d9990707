// a if c else b  ->  ag__.if_exp(c, lambda: a, lambda: b, 'c')
// Both branches stay lazy; the last argument is the condition's source, for
// error messages about it.
#include "converter/transforms/passes.h"
#include "converter/transforms/templates.h"
#include "converter/transforms/transformer.h"
#include "converter/unparse/unparse.h"

namespace xag::transforms::conditional_expressions {

namespace {

class Conditionals : public Transformer {
 public:
  using Transformer::Transformer;

 protected:
  NodeId visit_expr(NodeId e) override {
    generic_visit(e);
    if (t_.kind(e) != NodeKind::IfExp) return e;
    Builder b(t_, e);
    NodeId test = t_.node(e, Field::IfExp_test);
    std::string repr = unparse::unparse(t_, test);
    return replace_expr(b, "ag__.if_exp(test, lambda: body, lambda: orelse, 'expr_repr')\n",
                        {{"test", Subst::of(test)},
                         {"body", Subst::of(t_.node(e, Field::IfExp_body))},
                         {"orelse", Subst::of(t_.node(e, Field::IfExp_orelse))},
                         {"expr_repr", Subst::name(repr)}});
  }
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  run_on_function<Conditionals>(t, fn, ctx);
}

}  // namespace xag::transforms::conditional_expressions
