// Reads that may happen before their variable is assigned: the Name nodes
// (by NodeId index) of fn whose name is not defined on every path into the
// statement that reads it. Only reads in fn's own scope are considered (not in
// lambdas, comprehensions or nested defs). Conversion uses this to check just
// those reads (ag__.ld) and leave every other read as written. The target of
// `x += v` counts as a read of x.
#pragma once

#include <unordered_set>

#include "converter/analysis/ast_util.h"

namespace xag::analysis {

std::unordered_set<uint32_t> maybe_undefined_reads(const Tree& t, NodeId fn);

}  // namespace xag::analysis
