#include "converter/analysis/reaching_definitions.h"

#include <algorithm>

#include "converter/analysis/dataflow_facts.h"

namespace xag::analysis {

namespace {

bool has_bit(const uint64_t* row, size_t i) {
  return (row[i / 64] >> (i % 64)) & 1;
}

}  // namespace

std::vector<NodeId> ReachingDefinitions::reaching(NodeId stmt, const std::string& name) const {
  std::vector<NodeId> r;
  auto it = row_.find(stmt.index);
  if (it == row_.end() || !may_reach_) return r;
  const uint64_t* in = reach_in_.data() + it->second * def_words_;
  const int id = names_.find(name);
  for (size_t d = 0; d < defs_.size(); ++d)
    if (has_bit(in, d) && defs_[d].name_id == id)
      r.push_back(defs_[d].node == cfg_->entry() ? fn_ : cfg_->node(defs_[d].node).stmt);
  std::sort(r.begin(), r.end(), [&](NodeId a, NodeId b) {
    const auto &pa = tree_->pos(a), &pb = tree_->pos(b);
    return pa.lineno != pb.lineno ? pa.lineno < pb.lineno : pa.col_offset < pb.col_offset;
  });
  return r;
}

const NameSet& ReachingDefinitions::defined_in(NodeId stmt) const {
  auto it = row_.find(stmt.index);
  if (it == row_.end()) return empty_;
  auto [c, added] = defined_in_names_.try_emplace(stmt.index);
  if (added) {
    const uint64_t* b = defined_in_.data() + it->second * name_words_;
    c->second = to_names(names_, Bits(b, b + name_words_));
  }
  return c->second;
}

bool ReachingDefinitions::is_defined_in(NodeId stmt, const std::string& name) const {
  auto it = row_.find(stmt.index);
  int id = names_.find(name);
  if (it == row_.end() || id < 0) return false;
  return has_bit(defined_in_.data() + it->second * name_words_, id);
}

// Many defs share a name: their name ids are collected as bits first.
void ReachingDefinitions::add_def_names(const uint64_t* def_row, Bits& names) const {
  for (size_t d = 0; d < defs_.size(); ++d)
    if (has_bit(def_row, d)) set_bit(names, defs_[d].name_id);
}

NameSet ReachingDefinitions::maybe_defined_entering(NodeId stmt) const {
  return maybe_defined_entering(stmt, cfg_->nodes_within(*tree_, stmt));
}

NameSet ReachingDefinitions::maybe_defined_entering(NodeId stmt,
                                                    const std::vector<int>& inside) const {
  int h = cfg_->index_of(stmt);
  if (h < 0 || !may_reach_) return {};
  Bits names(names_.words(), 0);
  for (int p : cfg_->node(h).pred)
    if (std::find(inside.begin(), inside.end(), p) == inside.end())
      add_def_names(reach_out_.data() + p * def_words_, names);
  return to_names(names_, names);
}

NameSet ReachingDefinitions::maybe_defined_in(NodeId stmt) const {
  auto it = row_.find(stmt.index);
  if (it == row_.end() || !may_reach_) return {};
  Bits names(names_.words(), 0);
  add_def_names(reach_in_.data() + it->second * def_words_, names);
  return to_names(names_, names);
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
    // The union of gen and may_gen in name order, without building it.
    auto g = facts[i]->gen.begin(), g_end = facts[i]->gen.end();
    auto m = facts[i]->may_gen.begin(), m_end = facts[i]->may_gen.end();
    while (g != g_end || m != m_end) {
      const std::string* name;
      if (m == m_end || (g != g_end && *g < *m)) {
        name = &*g++;
      } else if (g == g_end || *m < *g) {
        name = &*m++;
      } else {
        name = &*g++;
        ++m;
      }
      gen_defs[i].push_back(r.defs_.size());
      def_name.push_back(ids.id(*name));
      r.defs_.push_back({i, def_name.back()});
    }
  }
  const size_t defs_named = ids.size();  // names with a def come first
  for (int i = 0; i < n; ++i)
    for (const auto& name : facts[i]->kill) ids.id(name);
  const size_t nd = r.defs_.size(), dw = (nd + 63) / 64, w = ids.words();
  auto set = [](uint64_t* row, size_t i) { row[i / 64] |= uint64_t{1} << (i % 64); };

  // Names killed and bound by each node, one row of w words per node.
  std::vector<uint64_t> kill(n * w, 0), gen(n * w, 0);
  for (int i = 0; i < n; ++i) {
    for (const auto& name : facts[i]->kill) set(&kill[i * w], ids.id(name));
    for (const auto& name : facts[i]->gen) set(&gen[i * w], ids.id(name));
  }

  // May-reach: forward union, over defs. A node kills every def of a name it
  // rebinds.
  r.def_words_ = dw;
  r.may_reach_ = !only_defined_in;
  if (!only_defined_in) {
    std::vector<uint64_t> defs_of(defs_named * dw, 0), kill_defs(n * dw, 0),
        gen_defs_bits(n * dw, 0);
    for (size_t d = 0; d < nd; ++d) set(&defs_of[def_name[d] * dw], d);
    for (int i = 0; i < n; ++i) {
      for (const auto& name : facts[i]->kill) {
        size_t id = static_cast<size_t>(ids.id(name));
        if (id < defs_named)
          for (size_t q = 0; q < dw; ++q) kill_defs[i * dw + q] |= defs_of[id * dw + q];
      }
      for (size_t d : gen_defs[i]) set(&gen_defs_bits[i * dw], d);
    }
    std::vector<uint64_t>& in = r.reach_in_;
    std::vector<uint64_t>& out = r.reach_out_;
    in.assign(n * dw, 0);
    out.assign(n * dw, 0);
    std::vector<uint64_t> x(dw), o(dw);
    for (bool changed = true; changed;) {
      changed = false;
      for (int i = 0; i < n; ++i) {
        std::fill(x.begin(), x.end(), 0);
        for (int p : cfg.node(i).pred)
          for (size_t q = 0; q < dw; ++q) x[q] |= out[p * dw + q];
        for (size_t q = 0; q < dw; ++q)
          o[q] = (x[q] & ~kill_defs[i * dw + q]) | gen_defs_bits[i * dw + q];
        if (!std::equal(x.begin(), x.end(), &in[i * dw]) ||
            !std::equal(o.begin(), o.end(), &out[i * dw])) {
          std::copy(x.begin(), x.end(), &in[i * dw]);
          std::copy(o.begin(), o.end(), &out[i * dw]);
          changed = true;
        }
      }
    }
  }

  // Must-be-defined: forward intersection, starting from "everything" (every
  // name some def binds) so that loops converge to the largest solution.
  std::vector<uint64_t> all(w, 0);
  for (size_t d = 0; d < nd; ++d) set(all.data(), def_name[d]);
  std::vector<uint64_t> din(n * w), dout(n * w);
  for (int i = 0; i < n; ++i) {
    std::copy(all.begin(), all.end(), &din[i * w]);
    std::copy(all.begin(), all.end(), &dout[i * w]);
  }
  const int e = cfg.entry();
  std::fill(&din[e * w], &din[e * w] + w, 0);
  std::copy(&gen[e * w], &gen[e * w] + w, &dout[e * w]);
  std::vector<uint64_t> x(w), o(w);
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 1; i < n; ++i) {
      const auto& preds = cfg.node(i).pred;
      if (preds.empty()) {
        x = all;  // unreachable: vacuously everything
      } else {
        std::copy(&dout[preds[0] * w], &dout[preds[0] * w] + w, x.begin());
        for (size_t j = 1; j < preds.size(); ++j)
          for (size_t q = 0; q < w; ++q) x[q] &= dout[preds[j] * w + q];
      }
      for (size_t q = 0; q < w; ++q) o[q] = (x[q] & ~kill[i * w + q]) | gen[i * w + q];
      if (!std::equal(x.begin(), x.end(), &din[i * w]) ||
          !std::equal(o.begin(), o.end(), &dout[i * w])) {
        std::copy(x.begin(), x.end(), &din[i * w]);
        std::copy(o.begin(), o.end(), &dout[i * w]);
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
    if (!reachable[i]) std::fill(&din[i * w], &din[i * w] + w, 0);

  r.name_words_ = w;
  r.defined_in_ = std::move(din);
  r.row_.reserve(n);
  for (int i = 2; i < n; ++i) r.row_[cfg.node(i).stmt.index] = static_cast<uint32_t>(i);
  return r;
}

}  // namespace xag::analysis
