// Gives a function with a `return` inside control flow a single exit:
//
//   def f(x):                      def f(x):
//       if x > 0:                      do_return = False
//           return x                   retval_ = ag__.UndefinedReturnValue()
//       return -x          ->          if x > 0:
//                                          do_return = True
//                                          retval_ = x
//                                      if not do_return:
//                                          do_return = True
//                                          retval_ = -x
//                                      return fscope.ret(retval_, do_return)
//
// Loops that may return stop iterating (`not do_return and test`, or a for
// loop's extra test). A function whose returns are all top-level statements
// needs none of this and is left alone.
#include "converter/analysis/ast_util.h"
#include "converter/transforms/jump_lowering.h"
#include "converter/transforms/passes.h"
#include "converter/transforms/templates.h"
#include "converter/transforms/transformer.h"

namespace xag::transforms::return_statements {

namespace {

bool is_docstring(const Tree& t, NodeId s) {
  if (t.kind(s) != NodeKind::Expr) return false;
  NodeId v = t.node(s, Field::Expr_value);
  return t.kind(v) == NodeKind::Constant &&
         t.constant(v, Field::Constant_value).kind == ast::ConstKind::Str;
}

class ReturnLowering : public Transformer {
 public:
  using Transformer::Transformer;

 protected:
  std::vector<NodeId> visit_stmt(NodeId s) override {
    generic_visit(s);  // nested functions are lowered on their own
    if (t_.kind(s) != NodeKind::FunctionDef) return {s};
    std::vector<NodeId> body = analysis::copy_list(t_, s, Field::FunctionDef_body);
    bool nested_return = false;
    for (NodeId b : body)
      if (t_.kind(b) != NodeKind::Return &&
          contains_jump(t_, std::vector<NodeId>{b}, NodeKind::Return, true))
        nested_return = true;
    if (!nested_return) return {s};
    lower(s, body);
    return {s};
  }

 private:
  void lower(NodeId fn, std::vector<NodeId> body) {
    std::string do_return = ctx_.namer.fresh("do_return");
    std::string retval = ctx_.namer.fresh("retval_");
    JumpLowering lowering(t_, NodeKind::Return, do_return);
    lowering.replace_jump = [&](NodeId ret) {
      Builder b(t_, ret);
      NodeId value = t_.node(ret, Field::Return_value);
      return replace(b, R"(
        do_return = True
        retval_ = value
      )",
                     {{"do_return", Subst::name(do_return)},
                      {"retval_", Subst::name(retval)},
                      {"value", Subst::of(value ? value : b.none())}});
    };
    lowering.on_loop = [&](NodeId loop) {
      Builder b(t_, loop);
      NodeId stop = b.not_(b.name(do_return));
      if (t_.kind(loop) == NodeKind::While) {
        t_.set_node(loop, Field::While_test, b.and_(stop, t_.node(loop, Field::While_test)));
      } else {
        auto it = ctx_.extra_test.find(loop.index);
        ctx_.extra_test[loop.index] = it == ctx_.extra_test.end() ? stop : b.and_(it->second, stop);
      }
    };
    std::vector<NodeId> out;
    size_t first = 0;
    if (!body.empty() && is_docstring(t_, body[0])) out.push_back(body[first++]);
    JumpLowering::Result r = lowering.block(std::vector<NodeId>(body.begin() + first, body.end()));
    Builder b(t_, body[first]);
    auto prologue =
        replace(b, R"(
      do_return = False
      retval_ = ag__.UndefinedReturnValue()
    )",
                {{"do_return", Subst::name(do_return)}, {"retval_", Subst::name(retval)}});
    out.insert(out.end(), prologue.begin(), prologue.end());
    out.insert(out.end(), r.stmts.begin(), r.stmts.end());
    // The single exit is positioned at the function's last statement.
    Builder eb(t_, body.back());
    auto epilogue = replace(eb, "return fscope.ret(retval_, do_return)\n",
                            {{"fscope", Subst::name(ctx_.fscope.at(fn.index))},
                             {"retval_", Subst::name(retval)},
                             {"do_return", Subst::name(do_return)}});
    out.insert(out.end(), epilogue.begin(), epilogue.end());
    t_.set_list(fn, Field::FunctionDef_body, out);
  }
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  run_on_function<ReturnLowering>(t, fn, ctx);
}

}  // namespace xag::transforms::return_statements
