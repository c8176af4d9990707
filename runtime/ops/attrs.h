// Static attributes of an op node: everything that is not a tensor input. One plain struct for
// every op (each op reads the fields it documents in op_kinds.def) keeps graph nodes uniform and
// the pybind layer trivial.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/core/dtype.h"
#include "runtime/core/shape.h"
#include "runtime/core/small_vec.h"

namespace xag::rt {

using AxisList = SmallVec<int64_t, Shape::kMaxRank>;

// One component of a Python subscript `x[...]`.
struct SliceItem {
  enum class Kind : uint8_t {
    Index,     // x[i]: picks one position, removes the dim (start = i)
    Slice,     // x[start:stop:step]
    Ellipsis,  // x[...]: as many full slices as needed (at most one per subscript)
    NewAxis,   // x[None]: inserts a dim of size 1
  };
  Kind kind = Kind::Slice;
  // Constant bounds; has_* false means omitted (Python's None).
  bool has_start = false, has_stop = false, has_step = false;
  int64_t start = 0, stop = 0, step = 1;
  // Bounds given by a tensor input instead (index into the op's inputs, >= 1; -1 = constant).
  // Such inputs must be integer scalars; they let `x[t]` index by a loop counter in a graph.
  int8_t start_input = -1, stop_input = -1, step_input = -1;

  static SliceItem index(int64_t i) {
    SliceItem s;
    s.kind = Kind::Index;
    s.has_start = true;
    s.start = i;
    return s;
  }
  static SliceItem index_input(int8_t input) {
    SliceItem s;
    s.kind = Kind::Index;
    s.start_input = input;
    return s;
  }
  static SliceItem all() { return SliceItem{}; }
  static SliceItem ellipsis() {
    SliceItem s;
    s.kind = Kind::Ellipsis;
    return s;
  }
  static SliceItem new_axis() {
    SliceItem s;
    s.kind = Kind::NewAxis;
    return s;
  }
};

struct OpAttrs {
  // Reductions: axes to reduce; has_axes false means axis=None (all axes). Transpose: the
  // permutation in `perm` (empty = reverse all axes).
  AxisList axes;
  bool has_axes = false;
  bool keepdims = false;
  AxisList perm;

  // Single axis: concat, stack, gather, argmax/argmin (has_axis false = flattened), softmax
  // (default -1), one_hot (-1 = new last axis).
  int64_t axis = 0;
  bool has_axis = false;

  // Target dtype: cast, zeros/ones/fill-less constructors, one_hot, random; zeros_like/ones_like
  // when has_dtype.
  DType dtype = DType::Float32;
  bool has_dtype = false;

  // Static shape: zeros, ones, fill, reshape (may hold one -1), random_uniform/normal.
  Shape shape;

  // getitem: the subscript, one entry per comma-separated component.
  std::vector<SliceItem> slices;

  // one_hot: depth; off value in value_a (default 0), on value in value_b (default 1).
  int64_t depth = 0;
  // random_uniform: [value_a, value_b) (defaults 0, 1); random_normal: mean value_a, stddev
  // value_b.
  double value_a = 0.0, value_b = 1.0;

  // Random ops: same seed -> same values; has_seed false -> fresh values on every call.
  uint64_t seed = 0;
  bool has_seed = false;

  // String ops: string_join's separator, string_format's template, string_length's unit.
  std::string text;

  // Helpers to build attrs fluently in C++ tests and bindings.
  static OpAttrs with_axes(AxisList a, bool keep = false) {
    OpAttrs at;
    at.axes = a;
    at.has_axes = true;
    at.keepdims = keep;
    return at;
  }
  static OpAttrs with_axis(int64_t a) {
    OpAttrs at;
    at.axis = a;
    at.has_axis = true;
    return at;
  }
  static OpAttrs with_dtype(DType d) {
    OpAttrs at;
    at.dtype = d;
    at.has_dtype = true;
    return at;
  }
  static OpAttrs with_shape(Shape s, DType d = DType::Float32) {
    OpAttrs at;
    at.shape = s;
    at.dtype = d;
    at.has_dtype = true;
    return at;
  }
  static OpAttrs with_perm(AxisList p) {
    OpAttrs at;
    at.perm = p;
    return at;
  }
};

}  // namespace xag::rt
