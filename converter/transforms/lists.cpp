// Makes list mutation visible as assignment, so that a list appended to in
// a staged loop is a loop variable the runtime can turn into a TensorList:
//
//   lst.append(x)        ->  lst = ag__.list_append(lst, x)
//   lst.pop()            ->  lst, _ = ag__.list_pop(lst, None)
//   v = lst.pop(i)       ->  lst, v = ag__.list_pop(lst, i)
//
// Only statements of exactly these shapes on a plain name are rewritten;
// anything else (obj.items.append(x), f(lst.pop())) stays a method call.
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
    auto args = t_.list(call, Field::Call_args);
    if (!t_.list(call, Field::Call_keywords).empty() || args.size() < min_args ||
        args.size() > max_args)
      return {};
    for (NodeId a : args)
      if (t_.kind(a) == NodeKind::Starred) return {};
    return recv;
  }

  std::vector<NodeId> visit_stmt(NodeId s) override {
    generic_visit(s);
    Builder b(t_, s);
    if (t_.kind(s) == NodeKind::Expr) {
      NodeId call = t_.node(s, Field::Expr_value);
      if (NodeId lst = method_call(call, "append", 1, 1))
        return replace(b, "target = ag__.list_append(target, value)\n",
                       {{"target", Subst::name(std::string(t_.ident(lst, Field::Name_id)))},
                        {"value", Subst::of(t_.list(call, Field::Call_args)[0])}});
      if (NodeId lst = method_call(call, "pop", 0, 1)) return pop(b, lst, call, b.name("_"));
    }
    if (t_.kind(s) == NodeKind::Assign && t_.list(s, Field::Assign_targets).size() == 1) {
      NodeId call = t_.node(s, Field::Assign_value);
      NodeId target = t_.list(s, Field::Assign_targets)[0];
      if (NodeId lst = method_call(call, "pop", 0, 1)) return pop(b, lst, call, target);
    }
    return {s};
  }

  std::vector<NodeId> pop(Builder& b, NodeId lst, NodeId call, NodeId target) {
    auto args = t_.list(call, Field::Call_args);
    NodeId index = args.empty() ? b.none() : args[0];
    return replace(b, "target, value = ag__.list_pop(target, index)\n",
                   {{"target", Subst::name(std::string(t_.ident(lst, Field::Name_id)))},
                    {"value", Subst::of(target)},
                    {"index", Subst::of(index)}});
  }
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  if (ctx.options.convert_lists) run_on_function<Lists>(t, fn, ctx);
}

}  // namespace xag::transforms::lists
