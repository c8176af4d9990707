// Routes every call through the runtime, which converts user functions
// recursively and overloads builtins (range, len, print, ...) for tensors:
//
//   f(a, *rest, k=v, **kw)  ->  ag__.converted_call(f, (a, *rest), {'k': v, **kw}, fscope)
//
// Keyword arguments become a dict, or None when there are none. fscope is
// the FunctionScope of the function the call is written in (lambdas and
// comprehensions use their enclosing function's). Calls that must see their
// caller's frame (super, locals, globals, vars, eval, exec) and calls into
// ag__ itself stay as they are.
#include <string_view>

#include "converter/transforms/passes.h"
#include "converter/transforms/transformer.h"

namespace xag::transforms::call_trees {

namespace {

bool keep_as_is(const Tree& t, NodeId func, const Context& ctx) {
  // fscope.ret(...), written by return lowering.
  if (t.kind(func) == NodeKind::Attribute) {
    NodeId v = t.node(func, Field::Attribute_value);
    if (t.kind(v) == NodeKind::Name)
      for (const auto& [fn, name] : ctx.fscope)
        if (t.ident(v, Field::Name_id) == name) return true;
  }
  if (t.kind(func) == NodeKind::Name) {
    std::string_view n = t.ident(func, Field::Name_id);
    return n == "super" || n == "locals" || n == "globals" || n == "vars" || n == "eval" ||
           n == "exec";
  }
  // ag__.anything(...)
  NodeId base = func;
  while (t.kind(base) == NodeKind::Attribute) base = t.node(base, Field::Attribute_value);
  return t.kind(base) == NodeKind::Name && t.ident(base, Field::Name_id) == "ag__";
}

class CallTrees : public Transformer {
 public:
  CallTrees(Tree& t, Context& ctx) : Transformer(t, ctx) {}

 protected:
  std::vector<NodeId> visit_stmt(NodeId s) override {
    if (t_.kind(s) != NodeKind::FunctionDef) return Transformer::visit_stmt(s);
    // Decorators, defaults and annotations run in the enclosing function;
    // the body runs in this one.
    for (Field f : {Field::FunctionDef_decorator_list}) visit_block_field_exprs(s, f);
    visit_child(s, Field::FunctionDef_args);
    visit_child(s, Field::FunctionDef_returns);
    auto it = ctx_.fscope.find(s.index);
    std::string saved = fscope_;
    if (it != ctx_.fscope.end()) fscope_ = it->second;
    visit_block_field(s, Field::FunctionDef_body);
    fscope_ = saved;
    return {s};
  }

  NodeId visit_expr(NodeId e) override {
    generic_visit(e);
    if (t_.kind(e) != NodeKind::Call || fscope_.empty()) return e;
    NodeId func = t_.node(e, Field::Call_func);
    if (keep_as_is(t_, func, ctx_)) return e;
    Builder b(t_, e);
    auto args = analysis_copy(Field::Call_args, e);
    auto kws = analysis_copy(Field::Call_keywords, e);
    NodeId kwargs;
    if (kws.empty()) {
      kwargs = b.none();
    } else {
      std::vector<NodeId> keys, values;
      for (NodeId kw : kws) {
        // **mapping has no key: Dict keeps a none entry for it.
        keys.push_back(t_.has_str(kw, Field::keyword_arg) ? b.str(t_.ident(kw, Field::keyword_arg))
                                                          : NodeId{});
        values.push_back(t_.node(kw, Field::keyword_value));
      }
      kwargs = b.dict(keys, values);
    }
    return b.call(b.op("converted_call"), {func, b.tuple(args), kwargs, b.name(fscope_)});
  }

 private:
  std::vector<NodeId> analysis_copy(Field f, NodeId n) {
    auto s = t_.list(n, f);
    return std::vector<NodeId>(s.begin(), s.end());
  }
  void visit_block_field_exprs(NodeId n, Field f) {
    auto items = analysis_copy(f, n);
    for (NodeId& x : items) x = expr(x);
    t_.set_list(n, f, items);
  }

  std::string fscope_;
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  run_on_function<CallTrees>(t, fn, ctx);
}

}  // namespace xag::transforms::call_trees
