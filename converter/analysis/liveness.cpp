#include "converter/analysis/liveness.h"

#include <algorithm>

#include "converter/analysis/dataflow_facts.h"

namespace xag::analysis {

namespace {

void set_word_bit(uint64_t* row, size_t i) {
  row[i / 64] |= bit_of(i);
}

}  // namespace

bool Liveness::has(const std::unordered_map<uint32_t, uint32_t>& rows, NodeId stmt,
                   const std::string& name) const {
  auto it = rows.find(stmt.index);
  int id = ids_.find(name);
  if (it == rows.end() || id < 0) return false;
  return (rows_[it->second * words_ + id / 64] >> (id % 64)) & 1;
}

const NameSet& Liveness::names_of(const std::unordered_map<uint32_t, uint32_t>& rows,
                                  std::unordered_map<uint32_t, NameSet>& cache, NodeId stmt) const {
  auto it = rows.find(stmt.index);
  if (it == rows.end()) return empty_;
  auto [c, added] = cache.try_emplace(stmt.index);
  if (added) {
    const uint64_t* b = rows_.data() + it->second * words_;
    c->second = to_names(ids_, Bits(b, b + words_));
  }
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
  // One flat array of rows, n per set: no allocation per node and per
  // iteration. Rows: use, kill, in, out.
  const size_t w = r.ids_.words();
  std::vector<uint64_t> sets(4 * n * w, 0);
  auto row = [&](int set, int i) { return sets.data() + (set * n + i) * w; };
  for (int i = 0; i < n; ++i) {
    uint64_t* use = row(0, i);
    uint64_t* kill = row(1, i);
    for (const auto& name : facts[i]->use) set_word_bit(use, r.ids_.id(name));
    if (extra[i])
      for (const auto& name : *extra[i]) set_word_bit(use, r.ids_.id(name));
    for (const auto& name : facts[i]->kill) set_word_bit(kill, r.ids_.id(name));
  }
  // Iterate to a fixed point; reverse node order converges fast since nodes
  // are numbered roughly in source order.
  std::vector<uint64_t> o(w), x(w);
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = n - 1; i >= 0; --i) {
      std::fill(o.begin(), o.end(), 0);
      for (int s : cfg.node(i).succ) {
        const uint64_t* in_s = row(2, s);
        for (size_t k = 0; k < w; ++k) o[k] |= in_s[k];
      }
      const uint64_t *use = row(0, i), *kill = row(1, i);
      for (size_t k = 0; k < w; ++k) x[k] = use[k] | (o[k] & ~kill[k]);
      uint64_t *in = row(2, i), *out = row(3, i);
      if (!std::equal(x.begin(), x.end(), in) || !std::equal(o.begin(), o.end(), out)) {
        std::copy(x.begin(), x.end(), in);
        std::copy(o.begin(), o.end(), out);
        changed = true;
      }
    }
  }
  // Result rows: in and out of every node, then compound statements' outs.
  r.words_ = w;
  r.rows_.assign(sets.begin() + 2 * n * w, sets.end());
  r.in_.reserve(n);
  r.out_.reserve(n);
  for (int i = 2; i < n; ++i) {
    NodeId s = cfg.node(i).stmt;
    r.in_[s.index] = static_cast<uint32_t>(i);
    r.out_[s.index] = static_cast<uint32_t>(n + i);
  }
  // Compound statements: out is what flows out of the statement's nodes.
  std::vector<bool> is_inside(n, false);
  for (int i = 2; i < n; ++i) {
    NodeId s = cfg.node(i).stmt;
    NodeKind k = t.kind(s);
    if (stmt_blocks(k).empty() && k != NodeKind::Match) continue;
    std::vector<int> inside = cfg.nodes_within(t, s);
    for (int j : inside) is_inside[j] = true;
    size_t at = r.rows_.size();
    r.rows_.resize(at + w, 0);
    for (int j : inside)
      for (int succ : cfg.node(j).succ)
        if (!is_inside[succ])
          for (size_t q = 0; q < w; ++q) r.rows_[at + q] |= sets[(2 * n + succ) * w + q];
    r.out_[s.index] = static_cast<uint32_t>(at / (w ? w : 1));
    for (int j : inside) is_inside[j] = false;
  }
  return r;
}

}  // namespace xag::analysis
