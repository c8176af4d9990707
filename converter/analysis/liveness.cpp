#include "converter/analysis/liveness.h"

#include "converter/analysis/dataflow_facts.h"

namespace xag::analysis {

const NameSet& Liveness::live_in(NodeId stmt) const {
  auto it = in_.find(stmt.index);
  return it == in_.end() ? empty_ : it->second;
}

const NameSet& Liveness::live_out(NodeId stmt) const {
  auto it = out_.find(stmt.index);
  return it == out_.end() ? empty_ : it->second;
}

Liveness analyze_liveness(const Tree& t, NodeId fn, const Cfg& cfg,
                          const std::unordered_map<uint32_t, NameSet>* extra_uses) {
  const int n = static_cast<int>(cfg.nodes().size());
  std::vector<NodeFacts> facts(n);
  for (int i = 0; i < n; ++i) {
    facts[i] = node_facts(t, fn, cfg, i);
    NodeId s = cfg.node(i).stmt;
    if (extra_uses && s.valid()) {
      auto it = extra_uses->find(s.index);
      if (it != extra_uses->end()) add_all(facts[i].use, it->second);
    }
  }
  std::vector<NameSet> in(n), out(n);
  // Iterate to a fixed point; reverse node order converges fast since nodes
  // are numbered roughly in source order.
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = n - 1; i >= 0; --i) {
      NameSet o;
      for (int s : cfg.node(i).succ) add_all(o, in[s]);
      NameSet x = set_union(facts[i].use, set_difference(o, facts[i].kill));
      if (x != in[i] || o != out[i]) {
        in[i] = std::move(x);
        out[i] = std::move(o);
        changed = true;
      }
    }
  }
  Liveness r;
  for (int i = 2; i < n; ++i) {
    NodeId s = cfg.node(i).stmt;
    r.in_[s.index] = in[i];
    r.out_[s.index] = out[i];
  }
  // Compound statements: out is what flows out of the statement's nodes.
  for (int i = 2; i < n; ++i) {
    NodeId s = cfg.node(i).stmt;
    NodeKind k = t.kind(s);
    if (stmt_blocks(k).empty() && k != NodeKind::Match) continue;
    std::vector<int> inside = cfg.nodes_within(t, s);
    std::vector<bool> is_inside(n, false);
    for (int j : inside) is_inside[j] = true;
    NameSet o;
    for (int j : inside)
      for (int succ : cfg.node(j).succ)
        if (!is_inside[succ]) add_all(o, in[succ]);
    r.out_[s.index] = std::move(o);
  }
  return r;
}

}  // namespace xag::analysis
