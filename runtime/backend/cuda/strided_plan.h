// Index plans for the CUDA shape kernels: a contiguous output of `shape` reads its element i at
// input offset `offset + sum(idx_d * strides[d])` (idx = i's row-major position). One gather
// kernel runs them all: transpose, a strided getitem, broadcast_like, broadcasting an operand.
// Plain C++ (the index function also compiles as device code), so the plans are tested on the
// CPU against the CPU kernels (tests/runtime/cuda_plain_test.cpp).
#pragma once

#include <cstdint>

#include "runtime/core/host_device.h"
#include "runtime/core/shape.h"
#include "runtime/ops/attrs.h"
#include "runtime/ops/slice_plan.h"

namespace xag::rt::cuda {

struct StridedPlan {
  int rank = 0;
  int64_t shape[Shape::kMaxRank] = {};
  int64_t strides[Shape::kMaxRank] = {};  // input elements per step of each output dim
  int64_t offset = 0;

  XAG_HOST_DEVICE int64_t source(int64_t i) const {
    int64_t off = offset;
    for (int d = rank - 1; d >= 0; --d) {
      const int64_t q = i / shape[d];
      off += (i - q * shape[d]) * strides[d];
      i = q;
    }
    return off;
  }
  int64_t num_elements() const;
  // True when the plan reads the input in order (a plain copy).
  bool contiguous() const;
};

// A contiguous `in` read at the positions of `out` (NumPy broadcasting, right-aligned).
StridedPlan broadcast_plan(const Shape& in, const Shape& out);
// Transpose by attrs.perm (empty: reversed).
StridedPlan transpose_plan(const Shape& in, const AxisList& perm);
// getitem's resolved subscript.
StridedPlan slice_plan(const Shape& in, const SlicePlan& plan);
// broadcast_like(g, x): g's reduced axes reinserted (unless keepdims), then broadcast to `out`.
// Throws InvalidArgumentError as the CPU kernel does when the shapes do not fit.
StridedPlan broadcast_like_plan(const Shape& g, const OpAttrs& attrs, const Shape& out);
// `in` permuted so that the axes in `reduced` (a mask by input dim) come last, kept axes first,
// each group in order: a reduction then folds contiguous rows.
StridedPlan reduce_order_plan(const Shape& in, const bool* reduced);

}  // namespace xag::rt::cuda
