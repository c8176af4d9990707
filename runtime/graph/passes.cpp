// The pass pipeline. Order matters:
//  1. simplify_algebra first: rewrites like x*1 -> x and cast(x, same) -> x expose more constants
//     and duplicates to the next passes.
//  2. fold_constants: evaluates what is now constant (including results of simplification).
//  3. eliminate_common_subexpressions: after folding, equal constants and the ops using them
//     become identical and merge.
//  4. simplify_algebra again: folding and CSE create new patterns (x - x once both sides merged).
//  5. eliminate_dead_code: drops everything the rewrites left unused.
//  6. fuse_elementwise last: it hides ops inside FusedElementwise nodes where the other passes no
//     longer see them, and it needs use counts without dead users.
#include "runtime/graph/passes.h"

#include <algorithm>

namespace xag::rt {

const PassList& default_passes() {
  static const PassList kPasses = {
      {"simplify_algebra", simplify_algebra},
      {"fold_constants", fold_constants},
      {"eliminate_common_subexpressions", eliminate_common_subexpressions},
      {"simplify_algebra", simplify_algebra},
      {"eliminate_dead_code", eliminate_dead_code},
      {"fuse_elementwise", fuse_elementwise},
  };
  return kPasses;
}

std::vector<std::string> run_passes(Graph& graph, const PassList& passes, bool verify_each) {
  std::vector<std::string> changed;
  for (const Pass& p : passes) {
    if (p.run(graph)) changed.emplace_back(p.name);
    if (verify_each) {
      try {
        graph.verify();
      } catch (const InternalError& e) {
        throw InternalError(std::string("after pass ") + p.name + ": " + e.what());
      }
    }
  }
  // Graph functions (recursive functions' bodies) are optimized with the graph calling them.
  for (const auto& fn : graph.functions()) {
    for (std::string& name : run_passes(*fn, passes, verify_each)) {
      if (std::find(changed.begin(), changed.end(), name) == changed.end()) {
        changed.push_back(std::move(name));
      }
    }
  }
  return changed;
}

}  // namespace xag::rt
