// Opens a FunctionScope around the body of every converted function:
//
//   def f(x):                      def f(x):
//       """Doc."""                     """Doc."""
//       return g(x)        ->          with ag__.FunctionScope('f', 'fscope', ag__.STD) as fscope:
//                                          return ag__.converted_call(g, (x,), None, fscope)
//
// fscope carries the conversion options to converted_call and gives the
// runtime a place to mark the function's boundary while tracing. It runs
// last so that the analyses of earlier passes see the body unwrapped.
#include "converter/transforms/passes.h"
#include "converter/transforms/templates.h"
#include "converter/transforms/transformer.h"

namespace xag::transforms::functions {

namespace {

class Functions : public Transformer {
 public:
  using Transformer::Transformer;

 protected:
  std::vector<NodeId> visit_stmt(NodeId s) override {
    generic_visit(s);
    if (t_.kind(s) != NodeKind::FunctionDef) return {s};
    auto it = ctx_.fscope.find(s.index);
    if (it == ctx_.fscope.end()) return {s};  // generated, not the user's
    auto body = t_.list(s, Field::FunctionDef_body);
    std::vector<NodeId> stmts(body.begin(), body.end()), out;
    size_t first = 0;
    if (!stmts.empty() && t_.kind(stmts[0]) == NodeKind::Expr) {
      NodeId v = t_.node(stmts[0], Field::Expr_value);
      if (t_.kind(v) == NodeKind::Constant &&
          t_.constant(v, Field::Constant_value).kind == ast::ConstKind::Str)
        out.push_back(stmts[first++]);
    }
    // global/nonlocal declarations read best at the top of the function.
    while (first < stmts.size() && (t_.kind(stmts[first]) == NodeKind::Global ||
                                    t_.kind(stmts[first]) == NodeKind::Nonlocal))
      out.push_back(stmts[first++]);
    Builder b(t_, s);
    auto with =
        replace(b, R"(
      with ag__.FunctionScope('fn_name', 'fscope', ag__.STD) as fscope:
          body
    )",
                {{"fn_name", Subst::name(std::string(t_.ident(s, Field::FunctionDef_name)))},
                 {"fscope", Subst::name(it->second)},
                 {"body", Subst::list(std::vector<NodeId>(stmts.begin() + first, stmts.end()))}});
    out.insert(out.end(), with.begin(), with.end());
    t_.set_list(s, Field::FunctionDef_body, out);
    return {s};
  }
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  run_on_function<Functions>(t, fn, ctx);
}

}  // namespace xag::transforms::functions
