// Reaching definitions: which assignments of a name may reach a statement,
// and which names are defined on every path into it ("defined in all paths",
// what control-flow conversion uses to decide whether a variable needs an
// `ag__.Undefined` placeholder before an `if` or a loop).
//
// A definition is a CFG node that binds a simple name: an assignment, a def,
// an import, a for target, a with/except target, or the function's entry
// (its parameters); a nested def that assigns x as nonlocal may define x (it
// reaches, but kills nothing and does not count for defined_in). `del x`
// kills x and defines nothing.
#pragma once

#include <unordered_map>
#include <vector>

#include "converter/analysis/cfg.h"
#include "converter/analysis/name_bits.h"
#include "converter/analysis/name_set.h"

namespace xag::analysis {

class ReachingDefinitions {
 public:
  // Statements whose definition of `name` may reach the start of `stmt`
  // (the function node itself stands for its parameters), in source order.
  std::vector<NodeId> reaching(NodeId stmt, const std::string& name) const;
  // Names bound on every path from the function entry to the start of stmt.
  const NameSet& defined_in(NodeId stmt) const;
  // The same for one name, without making the set.
  bool is_defined_in(NodeId stmt, const std::string& name) const;
  // Names bound on some path to the start of stmt.
  NameSet maybe_defined_in(NodeId stmt) const;
  // Names bound on some path that enters stmt from outside it: for a loop,
  // what its own back edge brings is left out.
  NameSet maybe_defined_entering(NodeId stmt) const;
  // The same with stmt's CFG nodes (Cfg::nodes_within) found beforehand: for
  // a caller that has rewritten stmt's body since the analysis.
  NameSet maybe_defined_entering(NodeId stmt, const std::vector<int>& inside) const;

  struct Def {
    int node;     // CFG node; the entry node for parameters
    int name_id;  // in names_
  };
  NodeId fn_;
  const Tree* tree_ = nullptr;
  const Cfg* cfg_ = nullptr;
  std::vector<Def> defs_;
  // Bit sets in flat arrays, one row per CFG node: may-reach sets have one
  // bit per def (def_words_ words a row), must-be-defined sets one per name
  // of names_ (name_words_). The NameSets callers see are made on demand,
  // one statement at a time.
  std::unordered_map<uint32_t, uint32_t> row_;  // stmt index -> CFG node
  bool may_reach_ = false;                      // reach_in_/reach_out_ computed
  size_t def_words_ = 0, name_words_ = 0;
  std::vector<uint64_t> reach_in_, reach_out_, defined_in_;
  NameIds names_;
  mutable std::unordered_map<uint32_t, NameSet> defined_in_names_;
  // Sets in names the bits of the names of the defs set in def_row.
  void add_def_names(const uint64_t* def_row, Bits& names) const;
  NameSet empty_;
};

// With only_defined_in, skips the (costlier) may-reach sets: reaching() and
// maybe_defined_in() then answer nothing; defined_in() is exact.
ReachingDefinitions analyze_reaching_definitions(const Tree& t, NodeId fn, const Cfg& cfg,
                                                 bool only_defined_in = false);
// The same from facts already computed (all_node_facts).
struct NodeFacts;
ReachingDefinitions analyze_reaching_definitions(const Tree& t, NodeId fn, const Cfg& cfg,
                                                 const std::vector<const NodeFacts*>& facts,
                                                 bool only_defined_in = false);

}  // namespace xag::analysis
