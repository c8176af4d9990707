// CPU kernels, one entry point per op family. Callers (ops/run.cpp) have already run inference:
// `out` is allocated with the result's dtype and shape, inputs are validated.
#pragma once

#include <cstddef>

#include "runtime/core/tensor.h"
#include "runtime/ops/attrs.h"
#include "runtime/ops/ops.h"
#include "runtime/ops/slice_plan.h"

namespace xag::rt::cpu {

void unary(OpKind op, const Tensor& x, Tensor& out);
// Binary, Compare and binary Logical-category ops with broadcasting.
void binary(OpKind op, const Tensor& a, const Tensor& b, Tensor& out);
// Fast path for two 0-d operands of one dtype that the op computes in: writes the 0-d result
// into `out` (no inference, no allocation) and returns true; returns false when not applicable
// or when the general path must raise an error.
bool binary_scalar(OpKind op, const Tensor& a, const Tensor& b, Tensor& out);
// Fast path for a 0-d input of a Unary-category op or cast: writes the 0-d result into `out`
// and returns true; false when not applicable (bool operands, which may need errors).
bool unary_scalar(OpKind op, const Tensor& x, const OpAttrs& attrs, Tensor& out);
// logical_not and invert.
void logical_unary(OpKind op, const Tensor& x, Tensor& out);
void where(const Tensor& cond, const Tensor& x, const Tensor& y, Tensor& out);
void cast(const Tensor& x, Tensor& out);

void reduce(OpKind op, const Tensor& x, const OpAttrs& attrs, Tensor& out);
void arg_reduce(OpKind op, const Tensor& x, const OpAttrs& attrs, Tensor& out);

void matmul(const Tensor& a, const Tensor& b, Tensor& out);

void transpose(const Tensor& x, const OpAttrs& attrs, Tensor& out);
void concat(const Tensor* in, size_t n, int64_t axis, bool stack, Tensor& out);
void getitem(const Tensor& x, const SlicePlan& plan, Tensor& out);
void gather(const Tensor& params, const Tensor& indices, int64_t axis, Tensor& out);

void fill(const Tensor& value, Tensor& out);
void range(const Tensor& start, const Tensor& limit, const Tensor& delta, Tensor& out);
// Number of elements range(start, limit, delta) produces; throws for delta == 0.
int64_t range_length(const Tensor& start, const Tensor& limit, const Tensor& delta);
void one_hot(const Tensor& indices, const OpAttrs& attrs, Tensor& out);
void random(OpKind op, const OpAttrs& attrs, Tensor& out);
// The seed of one draw: from attrs.seed, or the next of the process's unseeded draws (so the
// CUDA backend's draws continue the same sequence).
uint64_t random_seed(const OpAttrs& attrs);

void softmax(const Tensor& x, int axis, Tensor& out);

// Along the normalized `axis` (scan_sort.cpp): inclusive cumulative sum; int32 positions of a
// stable ascending sort with NaN last.
void cumsum(const Tensor& x, int axis, Tensor& out);
void argsort(const Tensor& x, int axis, Tensor& out);

// Gradient helpers (grad_kernels.cpp); `out` has the reference tensor's shape.
void sum_to_like(const Tensor& dy, Tensor& out);
void broadcast_like(const Tensor& g, const OpAttrs& attrs, Tensor& out);
// g's shape with the reduced axes reinserted as 1s (unless keepdims); InvalidArgumentError when
// that does not broadcast to `target`. The CUDA backend's plan starts from it too.
Shape broadcast_like_shape(const Shape& g, const OpAttrs& attrs, const Shape& target);
// in = (dy, x, tensor indices...).
void getitem_grad(const Tensor* in, size_t n, const OpAttrs& attrs, Tensor& out);
void gather_grad(const Tensor& dy, const Tensor& indices, int64_t axis, Tensor& out);

}  // namespace xag::rt::cpu
