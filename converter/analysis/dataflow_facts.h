// What one CFG node uses and kills, shared by liveness and reaching
// definitions so the two analyses agree on what a node does.
#pragma once

#include <vector>

#include "converter/analysis/activity.h"
#include "converter/analysis/cfg.h"

namespace xag::analysis {

struct NodeFacts {
  NameSet use;   // simple names read (bases of qualified reads included)
  NameSet kill;  // simple names rebound or deleted
  NameSet gen;   // simple names bound (kill minus deletions)
  // Simple names a nested def may assign when it is called (nonlocal): a
  // possible definition that kills nothing. Converted code keeps its
  // assignments there (if_body, loop_body), so "maybe defined" must see them.
  NameSet may_gen;
};

// The entry node binds the parameters; the exit node does nothing.
NodeFacts node_facts(const Tree& t, NodeId fn, const Cfg& cfg, int node,
                     ActivityCache* activity = nullptr);

// node_facts of every node of cfg, by node index (pointers into `own`).
struct AllNodeFacts {
  std::vector<NodeFacts> own;
  std::vector<const NodeFacts*> at;
};
AllNodeFacts all_node_facts(const Tree& t, NodeId fn, const Cfg& cfg);

}  // namespace xag::analysis
