// Makes list mutation visible as assignment, so that a list appended to or popped from in a
// staged loop is a loop variable the runtime can turn into a TensorList:
//
//   lst.append(x)        ->  lst = ag__.list_append(lst, x)
//   lst.pop()            ->  lst, _ = ag__.list_pop(lst, None)
//   v = lst.pop(i)       ->  lst, v = ag__.list_pop(lst, i)
//
// A pop inside a larger expression (`total += lst.pop()`, `if lst.pop() != c:`,
// `return lst.pop() * 2`) is hoisted into a statement of its own right before, as TensorFlow's
// AutoGraph does:
//
//   total += lst.pop()   ->  lst, lst_pop = ag__.list_pop(lst, None)
//                            total += lst_pop
//
// Only pops and appends on a plain name that the function may assign (a parameter or local
// variable, or one it declares global/nonlocal) are rewritten: rewriting a free variable would
// make it local. A pop is hoisted only where moving it first cannot change what the statement
// computes: from the value of an expression statement, assignment, augmented assignment or
// return, or from an `if` test (each evaluated once, right before the statement runs), outside
// lambdas, comprehensions, `and`/`or` and `x if c else y` (which may not evaluate it), and only
// when the statement does not read that list before the pop (`n = len(lst) + lst.pop()` must
// measure the list first). Anything else (a `while` test, obj.items.append(x)) stays a method
// call.
#include <string_view>
#include <unordered_set>

#include "converter/transforms/passes.h"
#include "converter/transforms/templates.h"
#include "converter/transforms/transformer.h"

namespace xag::transforms::lists {

namespace {

class Lists : public Transformer {
 public:
  using Transformer::Transformer;

 protected:
  // The receiver name when call is `name.method(<n_args positional>)`.
  NodeId method_call(NodeId call, std::string_view method, size_t min_args, size_t max_args) {
    if (t_.kind(call) != NodeKind::Call) return {};
    NodeId f = t_.node(call, Field::Call_func);
    if (t_.kind(f) != NodeKind::Attribute || t_.ident(f, Field::Attribute_attr) != method)
      return {};
    NodeId recv = t_.node(f, Field::Attribute_value);
    if (t_.kind(recv) != NodeKind::Name) return {};
    // The rewrite assigns the receiver, which would make a free variable (a list of an
    // enclosing function or a module global) local to this function: leave those alone.
    if (scopes_.empty() || !scopes_.back().count(t_.ident(recv, Field::Name_id))) return {};
    auto args = t_.list(call, Field::Call_args);
    if (!t_.list(call, Field::Call_keywords).empty() || args.size() < min_args ||
        args.size() > max_args)
      return {};
    for (NodeId a : args)
      if (t_.kind(a) == NodeKind::Starred) return {};
    return recv;
  }

  std::vector<NodeId> visit_stmt(NodeId s) override {
    Builder b(t_, s);
    const NodeKind k = t_.kind(s);
    if (k == NodeKind::FunctionDef || k == NodeKind::AsyncFunctionDef) {
      scopes_.emplace_back();
      collect_locals(s, scopes_.back());
      generic_visit(s);
      scopes_.pop_back();
      return {s};
    }
    if (k == NodeKind::Expr) {
      NodeId call = t_.node(s, Field::Expr_value);
      if (NodeId lst = method_call(call, "pop", 0, 1)) return pop(b, lst, call, b.name("_"));
    }
    if (k == NodeKind::Assign && t_.list(s, Field::Assign_targets).size() == 1) {
      NodeId call = t_.node(s, Field::Assign_value);
      NodeId target = t_.list(s, Field::Assign_targets)[0];
      if (NodeId lst = method_call(call, "pop", 0, 1)) return pop(b, lst, call, target);
    }
    std::vector<NodeId> out = hoist_pops(s);
    generic_visit(s);  // the statement's blocks, if any
    if (k == NodeKind::Expr) {
      NodeId call = t_.node(s, Field::Expr_value);
      if (NodeId lst = method_call(call, "append", 1, 1)) {
        const std::vector<NodeId> stmts =
            replace(b, "target = ag__.list_append(target, value)\n",
                    {{"target", Subst::name(std::string(t_.ident(lst, Field::Name_id)))},
                     {"value", Subst::of(t_.list(call, Field::Call_args)[0])}});
        out.insert(out.end(), stmts.begin(), stmts.end());
        return out;
      }
    }
    out.push_back(s);
    return out;
  }

  // The statements computing the pops hoisted out of s (which then reads their values).
  std::vector<NodeId> hoist_pops(NodeId s) {
    // Where a pop inside the statement may be hoisted: the expression evaluated once, first.
    Field from = Field::Expr_value;
    switch (t_.kind(s)) {
      case NodeKind::Expr:
        from = Field::Expr_value;
        break;
      case NodeKind::Assign:
        from = Field::Assign_value;
        break;
      case NodeKind::AugAssign:
        from = Field::AugAssign_value;
        break;
      case NodeKind::Return:
        from = Field::Return_value;
        break;
      case NodeKind::If:
        from = Field::If_test;
        break;
      default:
        return {};
    }
    if (!t_.node(s, from)) return {};
    hoistable_.clear();
    std::unordered_set<std::string_view> read;
    // An augmented assignment reads its target before the value.
    if (t_.kind(s) == NodeKind::AugAssign) {
      NodeId target = t_.node(s, Field::AugAssign_target);
      if (t_.kind(target) == NodeKind::Name) read.insert(t_.ident(target, Field::Name_id));
      scan(target, false, read);
    }
    scan(t_.node(s, from), false, read);
    if (hoistable_.empty()) return {};
    std::vector<NodeId> hoisted;
    pending_ = &hoisted;
    visit_child(s, from);
    pending_ = nullptr;
    return hoisted;
  }

  // Replaces a hoistable pop by the name of its value (children first, so the pops of one
  // statement run in Python's evaluation order); elsewhere expressions stay as they are.
  NodeId visit_expr(NodeId e) override {
    if (!pending_ || conditional(t_.kind(e))) return e;
    generic_visit(e);
    if (!hoistable_.count(e.index)) return e;
    NodeId lst = method_call(e, "pop", 0, 1);
    Builder b(t_, e);
    const std::string list_name(t_.ident(lst, Field::Name_id));
    const std::string value = ctx_.namer.fresh(list_name + "_pop");
    for (NodeId st : pop(b, lst, e, b.name(value, Op::Store))) pending_->push_back(st);
    return b.name(value);
  }

  std::vector<NodeId> pop(Builder& b, NodeId lst, NodeId call, NodeId target) {
    auto args = t_.list(call, Field::Call_args);
    NodeId index = args.empty() ? b.none() : args[0];
    return replace(b, "target, value = ag__.list_pop(target, index)\n",
                   {{"target", Subst::name(std::string(t_.ident(lst, Field::Name_id)))},
                    {"value", Subst::of(target)},
                    {"index", Subst::of(index)}});
  }

 private:
  // Expressions that may evaluate a part of themselves later or not at all.
  static bool conditional(NodeKind k) {
    switch (k) {
      case NodeKind::Lambda:
      case NodeKind::ListComp:
      case NodeKind::SetComp:
      case NodeKind::DictComp:
      case NodeKind::GeneratorExp:
      case NodeKind::BoolOp:
      case NodeKind::IfExp:
        return true;
      default:
        return false;
    }
  }

  // Decides which pops under e are hoisted, walking in evaluation order: a pop is, unless its
  // list was read earlier in the statement (`len(lst) + lst.pop()`) or it sits in a part that
  // may not run. Reads after a hoisted pop see the shorter list either way.
  void scan(NodeId e, bool conditional_part, std::unordered_set<std::string_view>& read) {
    const NodeKind k = t_.kind(e);
    if (k == NodeKind::Name) {
      if (t_.op(e, Field::Name_ctx) == Op::Load) read.insert(t_.ident(e, Field::Name_id));
      return;
    }
    conditional_part = conditional_part || conditional(k);
    if (NodeId lst = method_call(e, "pop", 0, 1)) {
      const std::string_view name = t_.ident(lst, Field::Name_id);
      if (!conditional_part && !read.count(name)) {
        hoistable_.insert(e.index);
        for (NodeId a : t_.list(e, Field::Call_args)) scan(a, false, read);
        return;
      }
    }
    ast::for_each_child(t_, e, [&](NodeId c) { scan(c, conditional_part, read); });
  }

  // The names a function may assign: its parameters, the names it stores or deletes, and
  // those it declares global or nonlocal (nested functions, classes and lambdas excluded).
  void collect_locals(NodeId fn, std::unordered_set<std::string_view>& out) {
    const Field args = t_.kind(fn) == NodeKind::FunctionDef ? Field::FunctionDef_args
                                                            : Field::AsyncFunctionDef_args;
    ast::for_each_child(t_, t_.node(fn, args), [&](NodeId a) {
      if (t_.kind(a) == NodeKind::arg) out.insert(t_.ident(a, Field::arg_arg));
    });
    const Field body = t_.kind(fn) == NodeKind::FunctionDef ? Field::FunctionDef_body
                                                            : Field::AsyncFunctionDef_body;
    for (NodeId st : t_.list(fn, body)) collect_stores(st, out);
  }

  void collect_stores(NodeId n, std::unordered_set<std::string_view>& out) {
    switch (t_.kind(n)) {
      case NodeKind::Name:
        if (t_.op(n, Field::Name_ctx) != Op::Load) out.insert(t_.ident(n, Field::Name_id));
        return;
      case NodeKind::Global:
        for (ast::StrId id : t_.idents(n, Field::Global_names)) out.insert(t_.string(id));
        return;
      case NodeKind::Nonlocal:
        for (ast::StrId id : t_.idents(n, Field::Nonlocal_names)) out.insert(t_.string(id));
        return;
      case NodeKind::FunctionDef:
      case NodeKind::AsyncFunctionDef:
      case NodeKind::ClassDef:
      case NodeKind::Lambda:
      case NodeKind::ListComp:
      case NodeKind::SetComp:
      case NodeKind::DictComp:
      case NodeKind::GeneratorExp:
        return;  // their own scopes (a def's name is never a list receiver here)
      default:
        ast::for_each_child(t_, n, [&](NodeId c) { collect_stores(c, out); });
    }
  }

  std::vector<std::unordered_set<std::string_view>> scopes_;  // per enclosing def, innermost last
  std::vector<NodeId>* pending_ = nullptr;  // hoisted pops of the statement being rewritten
  std::unordered_set<uint32_t> hoistable_;  // the pops to hoist (call NodeId indices)
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  if (ctx.options.convert_lists) run_on_function<Lists>(t, fn, ctx);
}

}  // namespace xag::transforms::lists
