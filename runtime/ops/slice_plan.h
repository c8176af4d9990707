// Resolution of a Python subscript (attrs.slices) against a shape: which input positions each
// output dim walks. Shared by inference (unknown dims and bounds allowed) and the CPU kernel.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/core/shape.h"
#include "runtime/ops/attrs.h"

namespace xag::rt {

struct SlicePlan {
  Shape out_shape;
  // Per input dim: first position and step (count is out dim or 1 for an index).
  int64_t start[Shape::kMaxRank] = {};
  int64_t step[Shape::kMaxRank] = {};
  // Per output dim: the input dim it walks, or -1 for a new axis.
  int8_t src_dim[Shape::kMaxRank] = {};
};

// `dynamic` holds the values of the op's extra scalar inputs (inputs 1..n-1), or is null when
// they are unknown (inference). Throws InvalidArgumentError for bad subscripts or, when sizes are
// known, out-of-range indices ("getitem: index 5 is out of bounds for axis 0 with size 3").
SlicePlan resolve_slices(const Shape& in, const std::vector<SliceItem>& items,
                         const int64_t* dynamic, size_t num_dynamic);

}  // namespace xag::rt
