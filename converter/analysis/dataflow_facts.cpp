#include "converter/analysis/dataflow_facts.h"

namespace xag::analysis {

NodeFacts node_facts(const Tree& t, NodeId fn, const Cfg& cfg, int node, ActivityCache* activity) {
  NodeFacts f;
  if (node == cfg.entry()) {
    for (auto p : parameter_names(t, t.node(fn, function_args_field(t.kind(fn)))))
      f.gen.insert(std::string(p));
    f.kill = f.gen;
    return f;
  }
  if (node == cfg.exit()) return f;
  NodeId s = cfg.node(node).stmt;
  Activity a;
  NodeKind k = t.kind(s);
  if (k == NodeKind::For || k == NodeKind::AsyncFor) {
    a = expr_activity(t, t.node(s, k == NodeKind::For ? Field::For_iter : Field::AsyncFor_iter));
  } else if (ast::kind_category(k) == ast::Category::Expr) {
    // A for loop's target, bound as an iteration starts.
    a = expr_activity(t, s);
  } else if (k == NodeKind::ExceptHandler) {
    a = expr_activity(t, t.node(s, Field::ExceptHandler_type));
    if (t.has_str(s, Field::ExceptHandler_name))
      a.bound.insert(std::string(t.ident(s, Field::ExceptHandler_name)));
  } else {
    a = header_activity(t, s, activity);
  }
  f.use = simple_names(a.read, /*with_bases=*/true);
  // Composite targets (x.a = 1) need x but do not rebind it.
  for (const auto& m : a.modified)
    if (!is_simple(m)) f.use.insert(std::string(base_name(m)));
  f.gen = a.bound;
  f.kill = set_union(a.bound, a.deleted);
  f.may_gen = set_difference(simple_names(a.modified), f.kill);
  return f;
}

AllNodeFacts all_node_facts(const Tree& t, NodeId fn, const Cfg& cfg) {
  const int n = static_cast<int>(cfg.nodes().size());
  AllNodeFacts r;
  r.own.reserve(n);  // no reallocation: `at` points into it
  r.at.resize(n);
  for (int i = 0; i < n; ++i) {
    r.own.push_back(node_facts(t, fn, cfg, i));
    r.at[i] = &r.own.back();
  }
  return r;
}

}  // namespace xag::analysis
