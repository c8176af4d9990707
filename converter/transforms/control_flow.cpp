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
// Statements are converted innermost first; before converting one, the
// function is analyzed afresh (CFG, liveness, reaching definitions), so the
// analysis sees inner statements already converted, exactly as they will run.
// What each CFG node uses and binds is kept between these analyses for the
// statements that cannot change any more (see keep_facts), which is most of
// the cost of analyzing afresh.
// The exact operator contract is in converter/transforms/README.md.
#include <algorithm>
#include <string>
#include <unordered_set>

#include "converter/analysis/activity.h"
#include "converter/analysis/cfg.h"
#include "converter/analysis/dataflow_facts.h"
#include "converter/analysis/liveness.h"
#include "converter/analysis/reaching_definitions.h"
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
};

// The first `try` inside a block (not inside nested defs or classes).
NodeId find_try(const Tree& t, const std::vector<NodeId>& stmts) {
  for (NodeId s : stmts) {
    NodeKind k = t.kind(s);
    if (k == NodeKind::Try || k == NodeKind::TryStar) return s;
    for (Field f : analysis::stmt_blocks(k))
      if (NodeId r = find_try(t, analysis::copy_list(t, s, f))) return r;
  }
  return {};
}

// Local variable annotations are never evaluated in a function, but
// `x: int = v` inside a generated body function would clash with its
// `nonlocal x`: blocks moved into one lose their annotations.
std::vector<NodeId> strip_annotations(Tree& t, const std::vector<NodeId>& stmts) {
  std::vector<NodeId> out;
  for (NodeId s : stmts) {
    NodeKind k = t.kind(s);
    if (k == NodeKind::AnnAssign) {
      NodeId value = t.node(s, Field::AnnAssign_value);
      if (!value) continue;  // `x: int` alone does nothing at run time
      Builder b(t, s);
      out.push_back(b.assign(t.node(s, Field::AnnAssign_target), value));
      continue;
    }
    for (Field f : analysis::stmt_blocks(k))
      t.set_list(s, f, strip_annotations(t, analysis::copy_list(t, s, f)));
    if (k == NodeKind::Try)
      for (NodeId h : analysis::copy_list(t, s, Field::Try_handlers))
        t.set_list(h, Field::ExceptHandler_body,
                   strip_annotations(t, analysis::copy_list(t, h, Field::ExceptHandler_body)));
    if (k == NodeKind::Match)
      for (NodeId c : analysis::copy_list(t, s, Field::Match_cases))
        t.set_list(c, Field::match_case_body,
                   strip_annotations(t, analysis::copy_list(t, c, Field::match_case_body)));
    out.push_back(s);
  }
  return out;
}

// What a function's own `global` and `nonlocal` statements declare (not
// those of nested defs or classes): what scope analysis would report for it,
// without analyzing every nested scope each time a statement is converted.
struct Declared {
  NameSet globals, nonlocals;
};

void collect_declared(const Tree& t, ast::Span<NodeId> stmts, Declared& d) {
  for (NodeId s : stmts) {
    NodeKind k = t.kind(s);
    if (k == NodeKind::Global || k == NodeKind::Nonlocal) {
      for (auto id :
           t.idents(s, k == NodeKind::Global ? Field::Global_names : Field::Nonlocal_names))
        (k == NodeKind::Global ? d.globals : d.nonlocals).insert(std::string(t.string(id)));
      continue;
    }
    for (Field f : analysis::stmt_blocks(k)) collect_declared(t, t.list(s, f), d);
    if (k == NodeKind::Try || k == NodeKind::TryStar)
      for (NodeId h : t.list(s, k == NodeKind::Try ? Field::Try_handlers : Field::TryStar_handlers))
        collect_declared(t, t.list(h, Field::ExceptHandler_body), d);
    if (k == NodeKind::Match)
      for (NodeId c : t.list(s, Field::Match_cases))
        collect_declared(t, t.list(c, Field::match_case_body), d);
  }
}

Declared declared(const Tree& t, NodeId fn) {
  Declared d;
  collect_declared(t, t.list(fn, analysis::function_body_field(t.kind(fn))), d);
  return d;
}

class ControlFlow : public Transformer {
 public:
  ControlFlow(Tree& t, Context& ctx, NodeId fn) : Transformer(t, ctx), fn_(fn) {
    incremental_blocks_ = true;  // the analyses must see earlier statements converted
    // Facts that stay valid from the start (see keep_header_facts):
    // statements after the one being converted are analyzed too.
    keep_header_facts(t.list(fn, analysis::function_body_field(t.kind(fn))));
  }

 protected:
  std::vector<NodeId> visit_stmt(NodeId s) override {
    switch (t_.kind(s)) {
      case NodeKind::FunctionDef: {
        // A nested user function is converted as a function of its own.
        NodeId saved = fn_;
        fn_ = s;
        visit_block_field(s, Field::FunctionDef_body);
        fn_ = saved;
        facts_.stable.insert(s.index);  // converted: final from now on
        facts_.activity.stable_defs.insert(s.index);
        return {s};
      }
      case NodeKind::ClassDef:
        return {s};
      case NodeKind::If: {
        NodeId unsupported = find_try(t_, analysis::copy_list(t_, s, Field::If_body));
        if (!unsupported) unsupported = find_try(t_, analysis::copy_list(t_, s, Field::If_orelse));
        reserve_names(s);
        generic_visit(s);
        return convert_if(s, unsupported);
      }
      case NodeKind::While: {
        NodeId unsupported = find_try(t_, analysis::copy_list(t_, s, Field::While_body));
        reserve_names(s);
        generic_visit(s);
        return convert_while(s, unsupported);
      }
      case NodeKind::For: {
        NodeId unsupported = find_try(t_, analysis::copy_list(t_, s, Field::For_body));
        reserve_names(s);
        generic_visit(s);
        return convert_for(s, unsupported);
      }
      default: {
        std::vector<NodeId> out = Transformer::visit_stmt(s);
        keep_facts(out);
        return out;
      }
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

  // What the blocks of s modify, intersected with what is live around s.
  // header_reads: what the statement reads on every iteration that the CFG
  // does not show (a for loop's extra test, kept aside until now).
  BlockVars block_vars(NodeId s, const NameSet& modified_all, const NameSet& header_reads = {}) {
    analysis::Cfg cfg = analysis::build_cfg(t_, fn_);
    // For loops still waiting for conversion read their extra test (break
    // and return flags) on every iteration; liveness must know.
    std::unordered_map<uint32_t, NameSet> extra_uses;
    for (const auto& [loop, test] : ctx_.extra_test)
      extra_uses[loop] = analysis::simple_names(analysis::expr_activity(t_, test).read, true);
    analysis::AllNodeFacts facts = analysis::all_node_facts(t_, fn_, cfg, &facts_);
    analysis::Liveness live = analysis::analyze_liveness(t_, cfg, facts.at, &extra_uses);
    analysis::ReachingDefinitions defs =
        analysis::analyze_reaching_definitions(t_, fn_, cfg, facts.at);
    Declared scope = declared(t_, fn_);

    NameSet modified = analysis::simple_names(modified_all);
    NameSet live_in = analysis::set_union(live.live_in(s), header_reads);
    const NameSet& live_out = live.live_out(s);
    BlockVars v;
    NameSet outputs, inputs;
    for (const auto& n : modified) {
      if (scope.globals.count(n)) {
        v.globals.push_back(n);
        continue;
      }
      if (live_out.count(n))
        outputs.insert(n);
      else if (live_in.count(n))
        inputs.insert(n);
    }
    v.state.assign(outputs.begin(), outputs.end());
    v.state.insert(v.state.end(), inputs.begin(), inputs.end());
    v.nouts = static_cast<int>(outputs.size());
    // A placeholder is needed where a variable may be unbound on entry. It
    // must not clobber a value that reaches the statement and is read there
    // (an `if` inside a loop, whose variable the previous iteration set):
    // such a variable is bound elsewhere in the function, and it is live at
    // the loop around, which gives it its placeholder before the loop.
    const NameSet& defined = defs.defined_in(s);
    NameSet entering = defs.maybe_defined_entering(s);
    for (const auto& n : v.state) {
      if (defined.count(n) || scope.nonlocals.count(n)) continue;
      if (entering.count(n) && live_in.count(n)) continue;
      v.undefined.push_back(n);
    }
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
                       {"names", Subst::name_list(v.state)}};
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
            return (names,)
        def set_state(vars_):
            nonlocal names
            (names,) = vars_
      )",
                     subs);
    out.insert(out.end(), defs.begin(), defs.end());
    return {get, set};
  }

  // def name(params): global ...; nonlocal ...; prefix; body
  NodeId body_function(Builder& b, const std::string& name, const std::vector<std::string>& params,
                       const BlockVars& v, const std::vector<NodeId>& prefix,
                       const std::vector<NodeId>& body) {
    std::vector<NodeId> stmts;
    std::vector<NodeId> block = strip_annotations(t_, body);
    if (!block.empty() || !prefix.empty()) {
      if (!v.globals.empty()) stmts.push_back(b.declaration(NodeKind::Global, v.globals));
      if (!v.state.empty()) stmts.push_back(b.declaration(NodeKind::Nonlocal, v.state));
    }
    stmts.insert(stmts.end(), prefix.begin(), prefix.end());
    stmts.insert(stmts.end(), block.begin(), block.end());
    if (stmts.empty()) stmts.push_back(b.pass());
    return b.function_def(name, params, stmts);
  }

  // {'unsupported': 'try statement at line 12', ...} or {} when nothing to say.
  NodeId loop_opts(Builder& b, NodeId unsupported,
                   const std::vector<std::pair<std::string, std::string>>& extra) {
    std::vector<NodeId> keys, values;
    for (const auto& [k, val] : extra) {
      keys.push_back(b.str(k));
      values.push_back(b.str(val));
    }
    if (unsupported) {
      keys.push_back(b.str("unsupported"));
      values.push_back(
          b.str("try statement at line " + std::to_string(t_.pos(unsupported).lineno)));
    }
    return b.dict(keys, values);
  }

  std::vector<NodeId> convert_if(NodeId s, NodeId unsupported) {
    auto body = analysis::copy_list(t_, s, Field::If_body);
    auto orelse = analysis::copy_list(t_, s, Field::If_orelse);
    analysis::Activity act =
        analysis::block_activity(t_, t_.list(s, Field::If_body), &facts_.activity);
    act.merge(analysis::block_activity(t_, t_.list(s, Field::If_orelse), &facts_.activity));
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
    if (unsupported) args.push_back(loop_opts(b, unsupported, {}));
    out.push_back(b.expr_stmt(b.call(b.op("if_stmt"), args)));
    for (NodeId x : out) generated_.insert(x.index);
    keep_facts(out);
    return out;
  }

  std::vector<NodeId> convert_while(NodeId s, NodeId unsupported) {
    auto body = analysis::copy_list(t_, s, Field::While_body);
    analysis::Activity act =
        analysis::block_activity(t_, t_.list(s, Field::While_body), &facts_.activity);
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
                                    b.str_tuple(v.state), loop_opts(b, unsupported, {})})));
    for (NodeId x : out) generated_.insert(x.index);
    keep_facts(out);
    return out;
  }

  std::vector<NodeId> convert_for(NodeId s, NodeId unsupported) {
    auto body = analysis::copy_list(t_, s, Field::For_body);
    NodeId target = t_.node(s, Field::For_target);
    analysis::Activity act =
        analysis::block_activity(t_, t_.list(s, Field::For_body), &facts_.activity);
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
    out.push_back(b.expr_stmt(b.call(
        b.op("for_stmt"),
        {t_.node(s, Field::For_iter), extra, b.name(loop_body), b.name(get), b.name(set),
         b.str_tuple(v.state), loop_opts(b, unsupported, {{"iterate_names", iterate_names}})})));
    for (NodeId x : out) generated_.insert(x.index);
    keep_facts(out);
    return out;
  }

  // Statements this pass makes or leaves keep their facts across the
  // analyses that follow: the functions it generates (final once made; their
  // facts are a walk of their whole body) and simple statements (never
  // rewritten in place). See also keep_header_facts.
  void keep_facts(const std::vector<NodeId>& out) {
    for (NodeId x : out) {
      NodeKind k = t_.kind(x);
      bool generated_def = k == NodeKind::FunctionDef && generated_.count(x.index);
      if (generated_def || is_simple(k)) facts_.stable.insert(x.index);
      if (generated_def) facts_.activity.stable_defs.insert(x.index);
    }
  }
  static bool is_simple(NodeKind k) {
    return analysis::stmt_blocks(k).empty() && k != NodeKind::Match && k != NodeKind::FunctionDef &&
           k != NodeKind::AsyncFunctionDef && k != NodeKind::ClassDef;
  }
  // Marks, before anything is converted, every statement of a block at any
  // depth (nested user defs too: this pass converts them as well) whose CFG
  // node facts cannot change.
  void keep_header_facts(ast::Span<NodeId> stmts) {
    for (NodeId s : stmts) {
      NodeKind k = t_.kind(s);
      // A compound statement's own CFG node reads only its header (test,
      // iterable, target, subject, handler types), which this pass never
      // rewrites: it replaces the whole statement, under a new NodeId. Class
      // bodies are left as written. Only user defs change (their bodies are
      // converted); they are kept once visited.
      if (k != NodeKind::FunctionDef && k != NodeKind::AsyncFunctionDef)
        facts_.stable.insert(s.index);
      if (k == NodeKind::For) facts_.stable.insert(t_.node(s, Field::For_target).index);
      for (Field f : analysis::stmt_blocks(k)) keep_header_facts(t_.list(s, f));
      if (k == NodeKind::FunctionDef) keep_header_facts(t_.list(s, Field::FunctionDef_body));
      if (k == NodeKind::Try || k == NodeKind::TryStar)
        for (NodeId h :
             t_.list(s, k == NodeKind::Try ? Field::Try_handlers : Field::TryStar_handlers)) {
          facts_.stable.insert(h.index);
          keep_header_facts(t_.list(h, Field::ExceptHandler_body));
        }
      if (k == NodeKind::Match)
        for (NodeId c : t_.list(s, Field::Match_cases))
          keep_header_facts(t_.list(c, Field::match_case_body));
    }
  }

  NodeId fn_;
  std::unordered_map<uint32_t, std::unordered_map<std::string, std::string>> names_;
  analysis::FactsCache facts_;
  std::unordered_set<uint32_t> generated_;  // defs made by convert_if/while/for
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  ControlFlow pass(t, ctx, fn);
  pass.stmt(fn);
}

}  // namespace xag::transforms::control_flow
