#include "converter/analysis/reaching_definitions.h"

#include <algorithm>

#include "converter/analysis/dataflow_facts.h"

namespace xag::analysis {

std::vector<NodeId> ReachingDefinitions::reaching(NodeId stmt, const std::string& name) const {
  std::vector<NodeId> r;
  auto it = reach_in_.find(stmt.index);
  if (it == reach_in_.end()) return r;
  for (size_t d = 0; d < defs_.size(); ++d)
    if (it->second[d] && defs_[d].name == name)
      r.push_back(defs_[d].node == cfg_->entry() ? fn_ : cfg_->node(defs_[d].node).stmt);
  std::sort(r.begin(), r.end(), [&](NodeId a, NodeId b) {
    const auto &pa = tree_->pos(a), &pb = tree_->pos(b);
    return pa.lineno != pb.lineno ? pa.lineno < pb.lineno : pa.col_offset < pb.col_offset;
  });
  return r;
}

const NameSet& ReachingDefinitions::defined_in(NodeId stmt) const {
  auto it = defined_in_.find(stmt.index);
  return it == defined_in_.end() ? empty_ : it->second;
}

NameSet ReachingDefinitions::maybe_defined_entering(NodeId stmt) const {
  NameSet r;
  int h = cfg_->index_of(stmt);
  if (h < 0 || reach_out_.empty()) return r;
  std::vector<int> inside = cfg_->nodes_within(*tree_, stmt);
  for (int p : cfg_->node(h).pred) {
    if (std::find(inside.begin(), inside.end(), p) != inside.end()) continue;
    for (size_t d = 0; d < defs_.size(); ++d)
      if (reach_out_[p][d]) r.insert(defs_[d].name);
  }
  return r;
}

NameSet ReachingDefinitions::maybe_defined_in(NodeId stmt) const {
  NameSet r;
  auto it = reach_in_.find(stmt.index);
  if (it == reach_in_.end()) return r;
  for (size_t d = 0; d < defs_.size(); ++d)
    if (it->second[d]) r.insert(defs_[d].name);
  return r;
}

ReachingDefinitions analyze_reaching_definitions(const Tree& t, NodeId fn, const Cfg& cfg,
                                                 bool only_defined_in) {
  ReachingDefinitions r;
  r.fn_ = fn;
  r.tree_ = &t;
  r.cfg_ = &cfg;
  const int n = static_cast<int>(cfg.nodes().size());
  std::vector<NodeFacts> facts(n);
  std::vector<std::vector<size_t>> gen_defs(n);
  for (int i = 0; i < n; ++i) {
    facts[i] = node_facts(t, fn, cfg, i);
    for (const auto& name : set_union(facts[i].gen, facts[i].may_gen)) {
      gen_defs[i].push_back(r.defs_.size());
      r.defs_.push_back({i, name});
    }
  }
  const size_t nd = r.defs_.size();

  // May-reach: forward union.
  std::vector<std::vector<bool>> in(n, std::vector<bool>(nd)), out(n, std::vector<bool>(nd));
  for (bool changed = !only_defined_in; changed;) {
    changed = false;
    for (int i = 0; i < n; ++i) {
      std::vector<bool> x(nd);
      for (int p : cfg.node(i).pred)
        for (size_t d = 0; d < nd; ++d)
          if (out[p][d]) x[d] = true;
      std::vector<bool> o = x;
      for (size_t d = 0; d < nd; ++d)
        if (o[d] && facts[i].kill.count(r.defs_[d].name)) o[d] = false;
      for (size_t d : gen_defs[i]) o[d] = true;
      if (x != in[i] || o != out[i]) {
        in[i] = std::move(x);
        out[i] = std::move(o);
        changed = true;
      }
    }
  }

  // Must-be-defined: forward intersection, starting from "everything" so
  // that loops converge to the largest solution.
  NameSet all;
  for (const auto& d : r.defs_) all.insert(d.name);
  std::vector<NameSet> din(n, all), dout(n, all);
  din[cfg.entry()].clear();
  dout[cfg.entry()] = facts[cfg.entry()].gen;
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 1; i < n; ++i) {
      NameSet x;
      bool first = true;
      for (int p : cfg.node(i).pred) {
        if (first)
          x = dout[p];
        else
          x = set_intersection(x, dout[p]);
        first = false;
      }
      if (first) x = all;  // unreachable: vacuously everything
      NameSet o = set_union(set_difference(x, facts[i].kill), facts[i].gen);
      if (x != din[i] || o != dout[i]) {
        din[i] = std::move(x);
        dout[i] = std::move(o);
        changed = true;
      }
    }
  }

  // Unreachable code (after a return) kept the vacuous "everything": there,
  // nothing is defined, as far as anyone could observe.
  std::vector<bool> reachable(n, false);
  std::vector<int> work{cfg.entry()};
  reachable[cfg.entry()] = true;
  while (!work.empty()) {
    int i = work.back();
    work.pop_back();
    for (int s : cfg.node(i).succ)
      if (!reachable[s]) {
        reachable[s] = true;
        work.push_back(s);
      }
  }
  for (int i = 0; i < n; ++i)
    if (!reachable[i]) din[i].clear();

  for (int i = 2; i < n; ++i) {
    NodeId s = cfg.node(i).stmt;
    if (!only_defined_in) r.reach_in_[s.index] = in[i];
  }
  if (!only_defined_in) r.reach_out_ = std::move(out);
  for (int i = 2; i < n; ++i) {
    NodeId s = cfg.node(i).stmt;
    r.defined_in_[s.index] = din[i];
  }
  return r;
}

}  // namespace xag::analysis
