// a if c else b  ->  ag__.if_exp(c, lambda: a, lambda: b, 'c')
// Both branches stay lazy; the last argument is the condition's source, for
// error messages about it.
//
// A chain `a if c1 else b if c2 else z` becomes one flat call,
//   ag__.if_exp_chain(c1, lambda: a, 'c1', lambda: c2, lambda: b, 'c2', lambda: z),
// so the converted code nests no deeper than the user's: CPython compiles
// ~3,000 nested if-expressions, but not the 3x deeper nesting of one if_exp
// call and two lambdas per level.
#include <string>
#include <vector>

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
    if (t_.kind(e) != NodeKind::IfExp) {
      generic_visit(e);
      return e;
    }
    std::vector<NodeId> links;  // the IfExp nodes of the chain, outermost first
    for (NodeId n = e; t_.kind(n) == NodeKind::IfExp; n = t_.node(n, Field::IfExp_orelse)) {
      links.push_back(n);
    }
    Builder b(t_, e);
    std::vector<NodeId> args;
    for (size_t i = 0; i < links.size(); ++i) {
      NodeId test = t_.node(links[i], Field::IfExp_test);
      std::string repr = unparse::unparse(t_, test);  // as the user wrote it
      test = expr(test);
      args.push_back(i == 0 ? test : b.lambda(test));  // later tests stay lazy
      args.push_back(b.lambda(expr(t_.node(links[i], Field::IfExp_body))));
      if (links.size() > 1) args.push_back(b.str(repr));
      if (links.size() == 1) {
        args.push_back(b.lambda(expr(t_.node(links[i], Field::IfExp_orelse))));
        args.push_back(b.str(repr));
      }
    }
    if (links.size() == 1) return b.call(b.op("if_exp"), args);
    args.push_back(b.lambda(expr(t_.node(links.back(), Field::IfExp_orelse))));
    return b.call(b.op("if_exp_chain"), args);
  }
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  run_on_function<Conditionals>(t, fn, ctx);
}

}  // namespace xag::transforms::conditional_expressions
