// Turns if/while/for into calls of ag__.if_stmt / while_stmt / for_stmt,
// which run them as Python or stage them, decided at run time. Each block
// becomes a local function; the variables it shares with the rest of the
// function (its state: modified inside, and live into or out of it) are
// declared nonlocal there and passed around by get_state/set_state.
//
//   if x > 0:                 def get_state():
//       y = x                     return (y,)
//   else:                     def set_state(vars_):
//       y = -x                    nonlocal y
//                                 (y,) = vars_
//                             def if_body():
//                                 nonlocal y
//                                 y = x
//                             def else_body():
//                                 nonlocal y
//                                 y = -x
//                             y = ag__.Undefined('y')      (before get_state)
//                             ag__.if_stmt(x > 0, if_body, else_body, get_state, set_state, ('y',),
//                             1)
//
// Statements are converted innermost first, but every decision is made from
// the function as it was before this pass: CFG, liveness and reaching
// definitions are computed once per function (as AutoGraph annotates the tree
// before converting it) and each if/while/for keeps its facts by NodeId. The
// conversion only moves a statement's blocks into local functions, so what is
// live or defined around the original statement is what its state needs; the
// names this pass generates (if_body, get_state, ...) are never live outside
// their own statement, so they never become state.
// The exact operator contract is in converter/transforms/README.md.
#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "converter/analysis/activity.h"
#include "converter/analysis/cfg.h"
#include "converter/analysis/dataflow_facts.h"
#include "converter/analysis/liveness.h"
#include "converter/analysis/reaching_definitions.h"
#include "converter/transforms/control_flow_blocks.h"
#include "converter/transforms/passes.h"
#include "converter/transforms/templates.h"
#include "converter/transforms/transformer.h"
#include "converter/unparse/unparse.h"

namespace xag::transforms::control_flow {

namespace {

using analysis::NameSet;

// The variables a block shares with the rest of the function.
struct BlockVars {
  std::vector<std::string> state;      // outputs first, then inputs only; sorted within each
  int nouts = 0;                       // how many of state are outputs
  std::vector<std::string> undefined;  // state not defined on every path before the statement
  std::vector<std::string> globals;    // declared global in the function and modified inside
  // Modified inside, not state, but read by a lambda or nested def of the
  // function: declared nonlocal too, so closures see the variable as Python's
  // late binding does (one variable, not one per body call).
  std::vector<std::string> captured;
  // Bound before the statement and rebound inside it, but neither read on entry nor after:
  // local to each body function. Python still sees the outer binding inside, and so do the
  // get_state functions of statements nested in the body, which read their state's current
  // value: there the body function first binds it to a placeholder (never read as a value).
  std::vector<std::string> shadowed;
};

class ControlFlow : public Transformer {
 public:
  ControlFlow(Tree& t, Context& ctx) : Transformer(t, ctx) {}

 protected:
  std::vector<NodeId> visit_stmt(NodeId s) override {
    switch (t_.kind(s)) {
      case NodeKind::FunctionDef: {
        // A nested user function is converted as a function of its own.
        NodeId saved = fn_;
        analyze(s);
        visit_block_field(s, Field::FunctionDef_body);
        fn_ = saved;
        return {s};
      }
      case NodeKind::ClassDef:
        return {s};
      case NodeKind::If: {
        Composites& comps = composites_[s.index];
        collect_composites(t_, t_.list(s, Field::If_body), comps);
        collect_composites(t_, t_.list(s, Field::If_orelse), comps);
        reserve_names(s);
        generic_visit(s);
        analysis::Activity act = converted_activity(t_.list(s, Field::If_body));
        act.merge(converted_activity(t_.list(s, Field::If_orelse)));
        return convert_if(s, act);
      }
      case NodeKind::While: {
        collect_composites(t_, t_.list(s, Field::While_body), composites_[s.index]);
        reserve_names(s);
        generic_visit(s);
        return convert_while(s, converted_activity(t_.list(s, Field::While_body)));
      }
      case NodeKind::For: {
        collect_composites(t_, t_.list(s, Field::For_body), composites_[s.index]);
        reserve_names(s);
        generic_visit(s);
        return convert_for(s, converted_activity(t_.list(s, Field::For_body)));
      }
      default:
        return Transformer::visit_stmt(s);
    }
  }

 private:
  // Generated names are taken when a statement is first reached, before its
  // inner statements are converted, so that they read top-down: the outer
  // loop's `loop_body`, the inner one's `loop_body_1`.
  void reserve_names(NodeId s) {
    std::vector<const char*> bases{"get_state", "set_state", "vars_"};
    switch (t_.kind(s)) {
      case NodeKind::If:
        bases.insert(bases.end(), {"if_body", "else_body"});
        break;
      case NodeKind::While:
        bases.insert(bases.end(), {"loop_body", "loop_test"});
        break;
      default:
        bases.insert(bases.end(), {"loop_body", "itr"});
        if (ctx_.extra_test.count(s.index)) bases.push_back("extra_test");
    }
    for (const char* b : bases) names_[s.index][b] = ctx_.namer.fresh(b);
  }
  const std::string& name(NodeId s, const char* base) { return names_.at(s.index).at(base); }

  // The analyses of one function as written, kept while its statements are
  // converted (the reaching definitions point at the CFG: never moved).
  struct FunctionFacts {
    analysis::Cfg cfg;
    analysis::Liveness live;
    analysis::ReachingDefinitions defs;
    Declared scope;
    NameSet captured;  // read inside the function's lambdas and nested defs
    // The CFG nodes inside each if/while/for, found before their bodies
    // are rewritten (what comes around a loop's back edge is not "entering").
    std::unordered_map<uint32_t, std::vector<int>> inside;
  };

  // Analyzes fn once, before any of its statements is converted (nested
  // defs are analyzed when they are reached).
  void analyze(NodeId fn) {
    fn_ = fn;
    auto f = std::make_unique<FunctionFacts>();
    f->cfg = analysis::build_cfg(t_, fn);
    // For loops still waiting for conversion read their extra test (break
    // and return flags) on every iteration; liveness must know.
    std::unordered_map<uint32_t, NameSet> extra_uses;
    for (const auto& [loop, test] : ctx_.extra_test)
      extra_uses[loop] = analysis::simple_names(analysis::expr_activity(t_, test).read, true);
    analysis::AllNodeFacts facts = analysis::all_node_facts(t_, fn, f->cfg);
    f->live = analysis::analyze_liveness(t_, f->cfg, facts.at, &extra_uses);
    f->defs = analysis::analyze_reaching_definitions(t_, fn, f->cfg, facts.at);
    f->scope = declared(t_, fn);
    f->captured = analysis::names_in_closures(t_, fn);
    for (const analysis::Cfg::Node& node : f->cfg.nodes()) {
      if (!node.stmt) continue;  // entry and exit
      NodeKind k = t_.kind(node.stmt);
      if (k == NodeKind::If || k == NodeKind::While || k == NodeKind::For)
        f->inside[node.stmt.index] = f->cfg.nodes_within(t_, node.stmt);
    }
    facts_[fn.index] = std::move(f);
  }

  // What a block modifies once its inner statements are converted: a
  // variable that an inner loop keeps local to its body function is not
  // modified here. Only `modified` is needed (block_vars): a function this
  // pass generated may assign only its statement's state (nonlocal),
  // recorded when it was made, so it is not walked again by every
  // enclosing block.
  analysis::Activity converted_activity(ast::Span<NodeId> block) {
    analysis::Activity a;
    const NameSet* last = nullptr;
    for (NodeId x : block) {
      auto it = exported_.find(x.index);
      if (it == exported_.end()) {
        a.merge(analysis::stmt_activity(t_, x, &activity_));
        continue;
      }
      std::string def_name(t_.ident(x, Field::FunctionDef_name));
      a.bound.insert(def_name);
      a.modified.insert(def_name);
      if (it->second != last) analysis::add_all(a.modified, *it->second);
      last = it->second;
    }
    return a;
  }

  // Records what the functions generated for one statement may assign.
  void record_generated(const std::vector<NodeId>& out, const BlockVars& v) {
    // Globals stay out, as when the function was walked: a nested def's
    // `global x` declares x for that def alone.
    NameSet& e = exported_sets_.emplace_back(v.state.begin(), v.state.end());
    e.insert(v.captured.begin(), v.captured.end());
    for (NodeId x : out)
      if (t_.kind(x) == NodeKind::FunctionDef) {
        exported_[x.index] = &e;
        // Met again inside a with/try block that encloses the statement.
        activity_.stable_defs.insert(x.index);
      }
  }

  // What the blocks of s modify, intersected with what is live around s.
  // header_reads: what the statement reads on every iteration that the CFG
  // does not show (a for loop's extra test, kept aside until now).
  BlockVars block_vars(NodeId s, const NameSet& modified_all, const NameSet& header_reads = {}) {
    const FunctionFacts& f = *facts_.at(fn_.index);
    auto live_in = [&](const std::string& n) {
      return header_reads.count(n) || f.live.is_live_in(s, n);
    };
    std::optional<NameSet> entering;  // made only when some name needs it
    auto bound_entering = [&](const std::string& n) {
      if (!entering) entering = f.defs.maybe_defined_entering(s, f.inside.at(s.index));
      return entering->count(n) > 0;
    };
    BlockVars v;
    NameSet outputs, inputs;
    NameSet modified = analysis::simple_names(modified_all);
    for (const auto& n : modified) {
      if (f.scope.globals.count(n)) {
        v.globals.push_back(n);
        continue;
      }
      if (f.live.is_live_out(s, n))
        outputs.insert(n);
      else if (live_in(n))
        inputs.insert(n);
      else if (f.captured.count(n) && analysis::is_simple(n))
        v.captured.push_back(n);
      else if (analysis::is_simple(n) && bound_entering(n))
        v.shadowed.push_back(n);
    }
    // An object's attribute or item may be read after the statement by
    // anyone holding the object: always an output. Not when the block
    // rebinds the root name: then it is another object each time.
    for (const auto& [text, c] : composites_[s.index])
      if (!modified.count(c.root)) outputs.insert(text);
    v.state.assign(outputs.begin(), outputs.end());
    v.state.insert(v.state.end(), inputs.begin(), inputs.end());
    v.nouts = static_cast<int>(outputs.size());
    // A placeholder is needed where a variable may be unbound on entry. It
    // must not clobber a value that reaches the statement and is read there
    // (an `if` inside a loop, whose variable the previous iteration set):
    // such a variable is bound elsewhere in the function, and it is live at
    // the loop around, which gives it its placeholder before the loop.
    auto needs_placeholder = [&](const std::string& n, bool state) {
      if (!analysis::is_simple(n)) return false;  // read through ag__.ldu instead
      if (f.defs.is_defined_in(s, n) || f.scope.nonlocals.count(n)) return false;
      return !(bound_entering(n) && (live_in(n) || !state));
    };
    for (const auto& n : v.state)
      if (needs_placeholder(n, true)) v.undefined.push_back(n);
    for (const auto& n : v.captured)
      if (needs_placeholder(n, false)) v.undefined.push_back(n);
    return v;
  }

  // x = ag__.Undefined('x') for each variable not yet defined on every path.
  void undefined_inits(Builder& b, const BlockVars& v, std::vector<NodeId>& out) {
    ctx_.undefined_vars[fn_.index].insert(v.undefined.begin(), v.undefined.end());
    for (const auto& n : v.undefined)
      for (NodeId x : replace(b, "var = ag__.Undefined('var')\n", {{"var", Subst::name(n)}}))
        out.push_back(x);
  }

  // get_state/set_state for the state variables; returns their names.
  std::pair<std::string, std::string> state_functions(NodeId s, Builder& b, const BlockVars& v,
                                                      std::vector<NodeId>& out) {
    std::string get = name(s, "get_state");
    std::string set = name(s, "set_state");
    std::string vars = name(s, "vars_");
    ctx_.state_getters.insert(get);
    Substitutions subs{{"get_state", Subst::name(get)},
                       {"set_state", Subst::name(set)},
                       {"vars_", Subst::name(vars)},
                       {"names", Subst::name_list(simple_state(v))},
                       {"values", Subst::list(state_exprs(b, s, v, Op::Load))},
                       {"targets", Subst::list(state_exprs(b, s, v, Op::Store))}};
    std::vector<NodeId> defs;
    if (v.state.empty())
      defs = replace(b, R"(
        def get_state():
            return ()
        def set_state(vars_):
            pass
      )",
                     subs);
    else
      defs = replace(b, R"(
        def get_state():
            return (values,)
        def set_state(vars_):
            nonlocal names
            (targets,) = vars_
      )",
                     subs);
    out.insert(out.end(), defs.begin(), defs.end());
    return {get, set};
  }

  // The state variables a generated function declares nonlocal: the simple ones.
  static std::vector<std::string> simple_state(const BlockVars& v) {
    std::vector<std::string> r;
    for (const auto& n : v.state)
      if (analysis::is_simple(n)) r.push_back(n);
    return r;
  }

  // The state as get_state reads it (Load) or set_state assigns it (Store). A
  // composite may not exist yet (`self.y` first set in the block): it is read
  // as ag__.ldu(lambda: self.y, 'self.y'), an ag__.Undefined when missing.
  std::vector<NodeId> state_exprs(Builder& b, NodeId s, const BlockVars& v, Op ctx) {
    std::vector<NodeId> r;
    for (const auto& n : v.state) {
      if (analysis::is_simple(n)) {
        r.push_back(b.name(n, ctx));
        continue;
      }
      NodeId e = deep_copy(t_, composites_.at(s.index).at(n).target);
      t_.set_op(e, t_.kind(e) == NodeKind::Attribute ? Field::Attribute_ctx : Field::Subscript_ctx,
                ctx);
      r.push_back(ctx == Op::Load ? b.call(b.op("ldu"), {b.lambda(e), b.str(n)}) : e);
    }
    return r;
  }

  // x = ag__.Undefined('x') for each shadowed variable that a statement nested in the block
  // carries as state (see BlockVars::shadowed).
  void shadowed_placeholders(Builder& b, const BlockVars& v, const std::vector<NodeId>& block,
                             std::vector<NodeId>& out) {
    if (v.shadowed.empty()) return;
    NameSet nested_state;
    for (NodeId x : block)
      if (auto it = exported_.find(x.index); it != exported_.end())
        analysis::add_all(nested_state, *it->second);
    for (const auto& n : v.shadowed)
      if (nested_state.count(n))
        for (NodeId x : replace(b, "var = ag__.Undefined('var')\n", {{"var", Subst::name(n)}}))
          out.push_back(x);
  }

  // def name(params): global ...; nonlocal ...; prefix; body
  NodeId body_function(Builder& b, const std::string& name, const std::vector<std::string>& params,
                       const BlockVars& v, const std::vector<NodeId>& prefix,
                       const std::vector<NodeId>& body) {
    std::vector<NodeId> stmts;
    std::vector<NodeId> block = strip_annotations(t_, body);
    if (!block.empty() || !prefix.empty()) {
      if (!v.globals.empty()) stmts.push_back(b.declaration(NodeKind::Global, v.globals));
      std::vector<std::string> nonlocals = simple_state(v);
      nonlocals.insert(nonlocals.end(), v.captured.begin(), v.captured.end());
      if (!nonlocals.empty()) stmts.push_back(b.declaration(NodeKind::Nonlocal, nonlocals));
    }
    shadowed_placeholders(b, v, block, stmts);
    stmts.insert(stmts.end(), prefix.begin(), prefix.end());
    stmts.insert(stmts.end(), block.begin(), block.end());
    if (stmts.empty()) stmts.push_back(b.pass());
    return b.function_def(name, params, stmts);
  }

  // The `opts` dict: {'iterate_names': 'i, x', 'globals': 'a, b'} or {} when nothing to say.
  // 'globals': the global variables the block assigns, which a staged statement cannot update
  // for the caller. (`try` and `with` inside a staged statement run while it is traced, as in
  // TensorFlow: nothing to report.)
  NodeId loop_opts(Builder& b, std::vector<std::pair<std::string, std::string>> extra,
                   const BlockVars& v) {
    std::vector<NodeId> keys, values;
    std::string globals;
    for (const auto& g : v.globals) globals += (globals.empty() ? "" : ", ") + g;
    if (!globals.empty()) extra.emplace_back("globals", globals);
    for (const auto& [k, val] : extra) {
      keys.push_back(b.str(k));
      values.push_back(b.str(val));
    }
    return b.dict(keys, values);
  }

  std::vector<NodeId> convert_if(NodeId s, const analysis::Activity& act) {
    auto body = analysis::copy_list(t_, s, Field::If_body);
    auto orelse = analysis::copy_list(t_, s, Field::If_orelse);
    BlockVars v = block_vars(s, act.modified);

    Builder b(t_, s);
    std::vector<NodeId> out;
    undefined_inits(b, v, out);
    auto [get, set] = state_functions(s, b, v, out);
    std::string if_body = name(s, "if_body");
    std::string else_body = name(s, "else_body");
    out.push_back(body_function(b, if_body, {}, v, {}, body));
    Builder eb(t_, orelse.empty() ? s : orelse[0]);
    out.push_back(body_function(eb, else_body, {}, v, {}, orelse));
    std::vector<NodeId> args{
        t_.node(s, Field::If_test), b.name(if_body),   b.name(else_body), b.name(get), b.name(set),
        b.str_tuple(v.state),       b.integer(v.nouts)};
    if (!v.globals.empty()) args.push_back(loop_opts(b, {}, v));
    out.push_back(b.expr_stmt(b.call(b.op("if_stmt"), args)));
    record_generated(out, v);
    return out;
  }

  std::vector<NodeId> convert_while(NodeId s, analysis::Activity act) {
    auto body = analysis::copy_list(t_, s, Field::While_body);
    // A walrus in the test (`while (line := f()):`) assigns a state variable
    // too; loop_test then declares it nonlocal.
    analysis::Activity test_act = analysis::expr_activity(t_, t_.node(s, Field::While_test));
    act.merge(test_act);
    BlockVars v = block_vars(s, act.modified);
    std::vector<std::string> test_nonlocals;
    for (const auto& n : v.state)
      if (test_act.bound.count(n)) test_nonlocals.push_back(n);

    Builder b(t_, s);
    std::vector<NodeId> out;
    undefined_inits(b, v, out);
    auto [get, set] = state_functions(s, b, v, out);
    std::string loop_body = name(s, "loop_body");
    std::string loop_test = name(s, "loop_test");
    out.push_back(body_function(b, loop_body, {}, v, {}, body));
    for (NodeId x : replace(b, R"(
          def loop_test():
              nonlocal names
              return test
        )",
                            {{"loop_test", Subst::name(loop_test)},
                             {"names", Subst::name_list(test_nonlocals)},
                             {"test", Subst::of(t_.node(s, Field::While_test))}}))
      out.push_back(x);
    out.push_back(b.expr_stmt(
        b.call(b.op("while_stmt"), {b.name(loop_test), b.name(loop_body), b.name(get), b.name(set),
                                    b.str_tuple(v.state), loop_opts(b, {}, v)})));
    record_generated(out, v);
    return out;
  }

  std::vector<NodeId> convert_for(NodeId s, analysis::Activity act) {
    auto body = analysis::copy_list(t_, s, Field::For_body);
    NodeId target = t_.node(s, Field::For_target);
    // The target is assigned inside the loop body function.
    act.merge(analysis::expr_activity(t_, target));
    NameSet extra_reads;
    if (auto it = ctx_.extra_test.find(s.index); it != ctx_.extra_test.end())
      extra_reads = analysis::simple_names(analysis::expr_activity(t_, it->second).read, true);
    BlockVars v = block_vars(s, act.modified, extra_reads);

    Builder b(t_, s);
    std::vector<NodeId> out;
    undefined_inits(b, v, out);
    auto [get, set] = state_functions(s, b, v, out);
    std::string loop_body = name(s, "loop_body");
    std::string itr = name(s, "itr");
    std::string iterate_names = unparse::unparse(t_, target);
    std::vector<NodeId> prefix{b.assign(target, b.name(itr))};
    out.push_back(body_function(b, loop_body, {itr}, v, prefix, body));
    NodeId extra = b.none();
    auto it = ctx_.extra_test.find(s.index);
    if (it != ctx_.extra_test.end()) {
      std::string extra_name = name(s, "extra_test");
      for (NodeId x :
           replace(b, R"(
            def extra_test():
                return test
          )",
                   {{"extra_test", Subst::name(extra_name)}, {"test", Subst::of(it->second)}}))
        out.push_back(x);
      extra = b.name(extra_name);
    }
    out.push_back(b.expr_stmt(
        b.call(b.op("for_stmt"),
               {t_.node(s, Field::For_iter), extra, b.name(loop_body), b.name(get), b.name(set),
                b.str_tuple(v.state), loop_opts(b, {{"iterate_names", iterate_names}}, v)})));
    record_generated(out, v);
    return out;
  }

  NodeId fn_;  // the function whose statements are being converted
  std::unordered_map<uint32_t, std::unordered_map<std::string, std::string>> names_;
  std::unordered_map<uint32_t, std::unique_ptr<FunctionFacts>> facts_;  // by def NodeId index
  std::unordered_map<uint32_t, const NameSet*> exported_;  // generated def -> what it may assign
  std::unordered_map<uint32_t, Composites> composites_;    // by if/while/for NodeId index
  std::deque<NameSet> exported_sets_;                      // a deque never moves them
  analysis::ActivityCache activity_;
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  ControlFlow pass(t, ctx);
  pass.stmt(fn);  // analyzes fn when it reaches its def
}

}  // namespace xag::transforms::control_flow
