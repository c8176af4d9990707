#include "converter/analysis/reaching_definitions.h"

#include <algorithm>

#include "converter/analysis/dataflow_facts.h"

namespace xag::analysis {

std::vector<NodeId> ReachingDefinitions::reaching(NodeId stmt, const std::string& name) const {
  std::vector<NodeId> r;
  auto it = reach_in_.find(stmt.index);
  if (it == reach_in_.end()) return r;
  for (size_t d = 0; d < defs_.size(); ++d)
    if (test_bit(it->second, d) && defs_[d].name == name)
      r.push_back(defs_[d].node == cfg_->entry() ? fn_ : cfg_->node(defs_[d].node).stmt);
  std::sort(r.begin(), r.end(), [&](NodeId a, NodeId b) {
    const auto &pa = tree_->pos(a), &pb = tree_->pos(b);
    return pa.lineno != pb.lineno ? pa.lineno < pb.lineno : pa.col_offset < pb.col_offset;
  });
  return r;
}

const NameSet& ReachingDefinitions::defined_in(NodeId stmt) const {
  auto it = defined_in_.find(stmt.index);
  if (it == defined_in_.end()) return empty_;
  auto [c, added] = defined_in_names_.try_emplace(stmt.index);
  if (added) c->second = to_names(names_, it->second);
  return c->second;
}

NameSet ReachingDefinitions::maybe_defined_entering(NodeId stmt) const {
  NameSet r;
  int h = cfg_->index_of(stmt);
  if (h < 0 || reach_out_.empty()) return r;
  std::vector<int> inside = cfg_->nodes_within(*tree_, stmt);
  for (int p : cfg_->node(h).pred) {
    if (std::find(inside.begin(), inside.end(), p) != inside.end()) continue;
    for (size_t d = 0; d < defs_.size(); ++d)
      if (test_bit(reach_out_[p], d)) r.insert(defs_[d].name);
  }
  return r;
}

NameSet ReachingDefinitions::maybe_defined_in(NodeId stmt) const {
  NameSet r;
  auto it = reach_in_.find(stmt.index);
  if (it == reach_in_.end()) return r;
  for (size_t d = 0; d < defs_.size(); ++d)
    if (test_bit(it->second, d)) r.insert(defs_[d].name);
  return r;
}

ReachingDefinitions analyze_reaching_definitions(const Tree& t, NodeId fn, const Cfg& cfg,
                                                 bool only_defined_in) {
  return analyze_reaching_definitions(t, fn, cfg, all_node_facts(t, fn, cfg).at, only_defined_in);
}

ReachingDefinitions analyze_reaching_definitions(const Tree& t, NodeId fn, const Cfg& cfg,
                                                 const std::vector<const NodeFacts*>& facts,
                                                 bool only_defined_in) {
  ReachingDefinitions r;
  r.fn_ = fn;
  r.tree_ = &t;
  r.cfg_ = &cfg;
  const int n = static_cast<int>(cfg.nodes().size());
  std::vector<std::vector<size_t>> gen_defs(n);
  NameIds& ids = r.names_;
  std::vector<int> def_name;  // name id of each def
  for (int i = 0; i < n; ++i) {
    for (const auto& name : set_union(facts[i]->gen, facts[i]->may_gen)) {
      gen_defs[i].push_back(r.defs_.size());
      r.defs_.push_back({i, name});
      def_name.push_back(ids.id(name));
    }
  }
  const size_t defs_named = ids.size();  // names with a def come first
  for (int i = 0; i < n; ++i)
    for (const auto& name : facts[i]->kill) ids.id(name);
  const size_t nd = r.defs_.size(), dw = (nd + 63) / 64, w = ids.words();

  std::vector<Bits> kill(n), gen(n);
  for (int i = 0; i < n; ++i) {
    kill[i] = to_bits(ids, facts[i]->kill, w);
    gen[i] = to_bits(ids, facts[i]->gen, w);
  }

  // May-reach: forward union, over defs. A node kills every def of a name it
  // rebinds.
  std::vector<Bits> in(n, Bits(dw, 0)), out(n, Bits(dw, 0));
  if (!only_defined_in) {
    std::vector<Bits> defs_of(defs_named, Bits(dw, 0));
    for (size_t d = 0; d < nd; ++d) set_bit(defs_of[def_name[d]], d);
    std::vector<Bits> kill_defs(n, Bits(dw, 0)), gen_bits(n, Bits(dw, 0));
    for (int i = 0; i < n; ++i) {
      for (const auto& name : facts[i]->kill) {
        size_t id = static_cast<size_t>(ids.id(name));
        if (id < defs_named)
          for (size_t q = 0; q < dw; ++q) kill_defs[i][q] |= defs_of[id][q];
      }
      for (size_t d : gen_defs[i]) set_bit(gen_bits[i], d);
    }
    Bits x(dw), o(dw);
    for (bool changed = true; changed;) {
      changed = false;
      for (int i = 0; i < n; ++i) {
        std::fill(x.begin(), x.end(), 0);
        for (int p : cfg.node(i).pred)
          for (size_t q = 0; q < dw; ++q) x[q] |= out[p][q];
        for (size_t q = 0; q < dw; ++q) o[q] = (x[q] & ~kill_defs[i][q]) | gen_bits[i][q];
        if (x != in[i] || o != out[i]) {
          in[i] = x;
          out[i] = o;
          changed = true;
        }
      }
    }
  }

  // Must-be-defined: forward intersection, starting from "everything" (every
  // name some def binds) so that loops converge to the largest solution.
  Bits all(w, 0);
  for (size_t d = 0; d < nd; ++d) set_bit(all, def_name[d]);
  std::vector<Bits> din(n, all), dout(n, all);
  std::fill(din[cfg.entry()].begin(), din[cfg.entry()].end(), 0);
  dout[cfg.entry()] = gen[cfg.entry()];
  Bits x(w), o(w);
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 1; i < n; ++i) {
      const auto& preds = cfg.node(i).pred;
      if (preds.empty()) {
        x = all;  // unreachable: vacuously everything
      } else {
        x = dout[preds[0]];
        for (size_t j = 1; j < preds.size(); ++j)
          for (size_t q = 0; q < w; ++q) x[q] &= dout[preds[j]][q];
      }
      for (size_t q = 0; q < w; ++q) o[q] = (x[q] & ~kill[i][q]) | gen[i][q];
      if (x != din[i] || o != dout[i]) {
        din[i] = x;
        dout[i] = o;
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
    if (!reachable[i]) std::fill(din[i].begin(), din[i].end(), 0);

  for (int i = 2; i < n; ++i) {
    NodeId s = cfg.node(i).stmt;
    if (!only_defined_in) r.reach_in_[s.index] = in[i];
  }
  if (!only_defined_in) r.reach_out_ = std::move(out);
  for (int i = 2; i < n; ++i) {
    NodeId s = cfg.node(i).stmt;
    r.defined_in_[s.index] = std::move(din[i]);
  }
  return r;
}

}  // namespace xag::analysis
