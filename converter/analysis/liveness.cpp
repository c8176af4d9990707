#include "converter/analysis/liveness.h"

#include "converter/analysis/dataflow_facts.h"

namespace xag::analysis {

const NameSet& Liveness::names_of(const std::unordered_map<uint32_t, Bits>& bits,
                                  std::unordered_map<uint32_t, NameSet>& cache, NodeId stmt) const {
  auto it = bits.find(stmt.index);
  if (it == bits.end()) return empty_;
  auto [c, added] = cache.try_emplace(stmt.index);
  if (added) c->second = to_names(ids_, it->second);
  return c->second;
}

Liveness analyze_liveness(const Tree& t, NodeId fn, const Cfg& cfg,
                          const std::unordered_map<uint32_t, NameSet>* extra_uses) {
  return analyze_liveness(t, cfg, all_node_facts(t, fn, cfg).at, extra_uses);
}

Liveness analyze_liveness(const Tree& t, const Cfg& cfg, const std::vector<const NodeFacts*>& facts,
                          const std::unordered_map<uint32_t, NameSet>* extra_uses) {
  const int n = static_cast<int>(cfg.nodes().size());
  Liveness r;
  std::vector<const NameSet*> extra(n, nullptr);
  for (int i = 0; i < n; ++i) {
    NodeId s = cfg.node(i).stmt;
    if (extra_uses && s.valid()) {
      auto it = extra_uses->find(s.index);
      if (it != extra_uses->end()) extra[i] = &it->second;
    }
    for (const auto& name : facts[i]->use) r.ids_.id(name);
    for (const auto& name : facts[i]->kill) r.ids_.id(name);
    if (extra[i])
      for (const auto& name : *extra[i]) r.ids_.id(name);
  }
  const size_t w = r.ids_.words();
  std::vector<Bits> use(n), kill(n), in(n, Bits(w, 0)), out(n, Bits(w, 0));
  for (int i = 0; i < n; ++i) {
    use[i] = to_bits(r.ids_, facts[i]->use, w);
    if (extra[i])
      for (const auto& name : *extra[i]) set_bit(use[i], r.ids_.id(name));
    kill[i] = to_bits(r.ids_, facts[i]->kill, w);
  }
  // Iterate to a fixed point; reverse node order converges fast since nodes
  // are numbered roughly in source order.
  Bits o(w), x(w);
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = n - 1; i >= 0; --i) {
      std::fill(o.begin(), o.end(), 0);
      for (int s : cfg.node(i).succ)
        for (size_t k = 0; k < w; ++k) o[k] |= in[s][k];
      for (size_t k = 0; k < w; ++k) x[k] = use[i][k] | (o[k] & ~kill[i][k]);
      if (x != in[i] || o != out[i]) {
        in[i] = x;
        out[i] = o;
        changed = true;
      }
    }
  }
  for (int i = 2; i < n; ++i) {
    NodeId s = cfg.node(i).stmt;
    r.in_[s.index] = in[i];
    r.out_[s.index] = out[i];
  }
  // Compound statements: out is what flows out of the statement's nodes.
  std::vector<bool> is_inside(n, false);
  for (int i = 2; i < n; ++i) {
    NodeId s = cfg.node(i).stmt;
    NodeKind k = t.kind(s);
    if (stmt_blocks(k).empty() && k != NodeKind::Match) continue;
    std::vector<int> inside = cfg.nodes_within(t, s);
    for (int j : inside) is_inside[j] = true;
    Bits& so = r.out_[s.index];
    std::fill(so.begin(), so.end(), 0);
    for (int j : inside)
      for (int succ : cfg.node(j).succ)
        if (!is_inside[succ])
          for (size_t q = 0; q < w; ++q) so[q] |= in[succ][q];
    for (int j : inside) is_inside[j] = false;
  }
  return r;
}

}  // namespace xag::analysis
