// Liveness: which simple names may be read before being rebound, at the
// entry (live-in) and exit (live-out) of every statement, by backward
// dataflow over the CFG. Reading x.a keeps x live; `del x` kills x.
#pragma once

#include <unordered_map>

#include "converter/analysis/cfg.h"
#include "converter/analysis/name_set.h"

namespace xag::analysis {

class Liveness {
 public:
  // Live on entry to / exit from a statement. For a compound statement,
  // live-in is at its first node (before the test runs) and live-out is what
  // is live where control goes after leaving it (breaks and returns included).
  const NameSet& live_in(NodeId stmt) const;
  const NameSet& live_out(NodeId stmt) const;

  std::unordered_map<uint32_t, NameSet> in_, out_;  // by statement NodeId index
  NameSet empty_;
};

// extra_uses: names a statement's node reads beyond what the tree shows
// (keyed by NodeId index; a for loop's extra test kept in a side table).
Liveness analyze_liveness(const Tree& t, NodeId fn, const Cfg& cfg,
                          const std::unordered_map<uint32_t, NameSet>* extra_uses = nullptr);

}  // namespace xag::analysis
