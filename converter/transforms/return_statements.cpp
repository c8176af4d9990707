// Gives a function with a `return` inside control flow a single exit:
//
//   def f(x):                      def f(x):
//       if x > 0:                      do_return = False
//           return x                   retval_ = ag__.UndefinedReturnValue()
//       return -x          ->          if x > 0:
//                                          retval_ = ag__.retval(x)
//                                          do_return = True
//                                      if not do_return:
//                                          retval_ = ag__.retval(-x)
//                                          do_return = True
//                                      return fscope.ret(retval_, do_return)
//
// The value is computed before the flag is set: when computing it raises
// inside a `try`, the function has not returned. `ag__.retval` remembers the
// return's line for messages. A function that may also end without a
// `return` (Python: None) on some path ends with
// `fscope.ret(retval_, do_return, True)`, so that a staged condition choosing
// between a value and None is an error instead of a silent zero.
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

// Can the block end without a return or raise (fall off the end)? Errs
// towards yes; `while True:` without a break never ends by its test.
bool completes(const Tree& t, ast::Span<NodeId> stmts);

bool loop_breaks(const Tree& t, ast::Span<NodeId> stmts) {
  for (NodeId s : stmts) {
    NodeKind k = t.kind(s);
    if (k == NodeKind::Break) return true;
    if (analysis::is_loop(k) || k == NodeKind::FunctionDef || k == NodeKind::ClassDef) continue;
    bool found = false;
    analysis::for_each_nested_block(t, s, [&](ast::Span<NodeId> b) { found |= loop_breaks(t, b); });
    if (found) return true;
  }
  return false;
}

bool stmt_completes(const Tree& t, NodeId s) {
  switch (t.kind(s)) {
    case NodeKind::Return:
    case NodeKind::Raise:
      return false;
    case NodeKind::If:
      return completes(t, t.list(s, Field::If_body)) || completes(t, t.list(s, Field::If_orelse));
    case NodeKind::While: {
      NodeId test = t.node(s, Field::While_test);
      bool forever = t.kind(test) == NodeKind::Constant &&
                     t.constant(test, Field::Constant_value).kind == ast::ConstKind::True;
      return !forever || loop_breaks(t, t.list(s, Field::While_body));
    }
    case NodeKind::With:
      return completes(t, t.list(s, Field::With_body));
    case NodeKind::Try: {
      if (!completes(t, t.list(s, Field::Try_finalbody))) return false;
      if (completes(t, t.list(s, Field::Try_body)) && completes(t, t.list(s, Field::Try_orelse)))
        return true;
      for (NodeId h : t.list(s, Field::Try_handlers))
        if (completes(t, t.list(h, Field::ExceptHandler_body))) return true;
      return false;
    }
    default:
      return true;
  }
}

bool completes(const Tree& t, ast::Span<NodeId> stmts) {
  for (NodeId s : stmts)
    if (!stmt_completes(t, s)) return false;
  return true;
}

// Does some return of the block give a value (not `return` or `return None`)?
bool returns_value(const Tree& t, ast::Span<NodeId> stmts) {
  for (NodeId s : stmts) {
    if (t.kind(s) == NodeKind::Return) {
      NodeId v = t.node(s, Field::Return_value);
      if (v && !(t.kind(v) == NodeKind::Constant &&
                 t.constant(v, Field::Constant_value).kind == ast::ConstKind::None))
        return true;
    }
    if (t.kind(s) == NodeKind::FunctionDef || t.kind(s) == NodeKind::ClassDef) continue;
    bool found = false;
    analysis::for_each_nested_block(t, s,
                                    [&](ast::Span<NodeId> b) { found |= returns_value(t, b); });
    if (found) return true;
  }
  return false;
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
        retval_ = ag__.retval(value)
        do_return = True
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
    // Decided on the function as written, before its returns are lowered.
    bool falls_off = completes(t_, t_.list(fn, Field::FunctionDef_body)) &&
                     returns_value(t_, t_.list(fn, Field::FunctionDef_body));
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
    auto epilogue = replace(eb,
                            falls_off ? "return fscope.ret(retval_, do_return, True)\n"
                                      : "return fscope.ret(retval_, do_return)\n",
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
