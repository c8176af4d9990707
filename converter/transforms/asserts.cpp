// assert test, msg  ->  ag__.assert_stmt(test, lambda: msg)
// The message stays lazy, as in Python: it is built only when the assertion
// fails. Without a message the second argument is None.
#include "converter/transforms/passes.h"
#include "converter/transforms/templates.h"
#include "converter/transforms/transformer.h"

namespace xag::transforms::asserts {

namespace {

class Asserts : public Transformer {
 public:
  using Transformer::Transformer;

 protected:
  std::vector<NodeId> visit_stmt(NodeId s) override {
    generic_visit(s);
    if (t_.kind(s) != NodeKind::Assert) return {s};
    Builder b(t_, s);
    NodeId msg = t_.node(s, Field::Assert_msg);
    if (!msg)
      return replace(b, "ag__.assert_stmt(test, None)\n",
                     {{"test", Subst::of(t_.node(s, Field::Assert_test))}});
    return replace(b, "ag__.assert_stmt(test, lambda: msg)\n",
                   {{"test", Subst::of(t_.node(s, Field::Assert_test))}, {"msg", Subst::of(msg)}});
  }
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  if (ctx.options.convert_asserts) run_on_function<Asserts>(t, fn, ctx);
}

}  // namespace xag::transforms::asserts
