// What one CFG node uses and kills, shared by liveness and reaching
// definitions so the two analyses agree on what a node does.
#pragma once

#include "converter/analysis/activity.h"
#include "converter/analysis/cfg.h"

namespace xag::analysis {

struct NodeFacts {
  NameSet use;   // simple names read (bases of qualified reads included)
  NameSet kill;  // simple names rebound or deleted
  NameSet gen;   // simple names bound (kill minus deletions)
};

// The entry node binds the parameters; the exit node does nothing.
NodeFacts node_facts(const Tree& t, NodeId fn, const Cfg& cfg, int node);

}  // namespace xag::analysis
