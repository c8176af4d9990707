// Liveness: which simple names may be read before being rebound, at the
// entry (live-in) and exit (live-out) of every statement, by backward
// dataflow over the CFG. Reading x.a keeps x live; `del x` kills x.
#pragma once

#include <unordered_map>

#include "converter/analysis/cfg.h"
#include "converter/analysis/name_bits.h"
#include "converter/analysis/name_set.h"

namespace xag::analysis {

class Liveness {
 public:
  // Live on entry to / exit from a statement. For a compound statement,
  // live-in is at its first node (before the test runs) and live-out is what
  // is live where control goes after leaving it (breaks and returns included).
  const NameSet& live_in(NodeId stmt) const { return names_of(in_, in_names_, stmt); }
  const NameSet& live_out(NodeId stmt) const { return names_of(out_, out_names_, stmt); }
  // The same for one name, without making the set (control-flow conversion
  // asks about the few names a block modifies).
  bool is_live_in(NodeId stmt, const std::string& name) const { return has(in_, stmt, name); }
  bool is_live_out(NodeId stmt, const std::string& name) const { return has(out_, stmt, name); }

  // By statement NodeId index: a row of rows_ (words_ words each, bits of
  // ids_). Control-flow conversion asks about one statement per analysis, so
  // NameSets are made on demand.
  NameIds ids_;
  size_t words_ = 0;
  std::vector<uint64_t> rows_;
  std::unordered_map<uint32_t, uint32_t> in_, out_;

 private:
  bool has(const std::unordered_map<uint32_t, uint32_t>& rows, NodeId stmt,
           const std::string& name) const;
  const NameSet& names_of(const std::unordered_map<uint32_t, uint32_t>& rows,
                          std::unordered_map<uint32_t, NameSet>& cache, NodeId stmt) const;
  mutable std::unordered_map<uint32_t, NameSet> in_names_, out_names_;
  NameSet empty_;
};

// extra_uses: names a statement's node reads beyond what the tree shows
// (keyed by NodeId index; a for loop's extra test kept in a side table).
Liveness analyze_liveness(const Tree& t, NodeId fn, const Cfg& cfg,
                          const std::unordered_map<uint32_t, NameSet>* extra_uses = nullptr);
// The same from facts already computed (all_node_facts), so that liveness and
// reaching definitions of one CFG share them.
struct NodeFacts;
Liveness analyze_liveness(const Tree& t, const Cfg& cfg, const std::vector<const NodeFacts*>& facts,
                          const std::unordered_map<uint32_t, NameSet>* extra_uses = nullptr);

}  // namespace xag::analysis
