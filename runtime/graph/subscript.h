// Planning `x[key]` for the tracer: ints, slices (whose bounds may be scalar tensors), `...`,
// None and scalar integer tensors become one getitem op; a tensor of indices as the whole key
// becomes a gather along axis 0. Tensor bounds stay inputs of the node when symbolic, so a graph
// can index by a loop counter; eager ones are read as constants.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/graph/tracer.h"

namespace xag::rt {

// A slice bound or index: absent (Python's None), a constant, or a tensor (borrowed: it must
// outlive the getitem call).
struct IndexValue {
  enum class Kind : uint8_t { None, Constant, Tensor };
  Kind kind = Kind::None;
  int64_t constant = 0;
  const Operand* tensor = nullptr;

  static IndexValue of(int64_t v) { return {Kind::Constant, v, nullptr}; }
  static IndexValue of(const Operand& t) { return {Kind::Tensor, 0, &t}; }
};

// One comma-separated component of a subscript, as the embedding parsed it.
struct KeyItem {
  enum class Kind : uint8_t { Index, Slice, Ellipsis, NewAxis };
  Kind kind = Kind::Index;
  IndexValue index;              // Index: a constant or a tensor (any rank; see getitem)
  IndexValue start, stop, step;  // Slice

  static KeyItem at(IndexValue i) { return {Kind::Index, i, {}, {}, {}}; }
  static KeyItem slice(IndexValue a, IndexValue b, IndexValue c) {
    return {Kind::Slice, {}, a, b, c};
  }
  static KeyItem ellipsis() { return {Kind::Ellipsis, {}, {}, {}, {}}; }
  static KeyItem new_axis() { return {Kind::NewAxis, {}, {}, {}, {}}; }
};

// x[key] through apply(). A key of one tensor index of rank >= 1 gathers (a bool one is refused:
// use where); any other tensor in the key must be an integer scalar. Throws InvalidArgumentError.
Operand getitem(const Operand& x, const std::vector<KeyItem>& key);

}  // namespace xag::rt
