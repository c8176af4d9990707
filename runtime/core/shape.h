// Tensor shapes: up to kMaxRank int64 dims stored inline. In static (graph) shapes a dim may be
// kUnknownDim (-1), e.g. the length of a range() whose limit is only known at run time.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "runtime/core/small_vec.h"

namespace xag::rt {

inline constexpr int64_t kUnknownDim = -1;

class Shape {
 public:
  static constexpr int kMaxRank = 8;

  Shape() = default;  // rank 0: a scalar
  Shape(std::initializer_list<int64_t> dims) : dims_(dims) {}
  Shape(const int64_t* dims, size_t rank) : dims_(dims, rank) {}
  template <class Container>
  static Shape from(const Container& c) {
    Shape s;
    for (auto d : c) s.push_back(static_cast<int64_t>(d));
    return s;
  }

  int rank() const { return dims_.size(); }
  int64_t operator[](int i) const { return dims_[i]; }
  int64_t& operator[](int i) { return dims_[i]; }
  // Dimension with Python-style negative index (-1 = last). Throws InvalidArgumentError when out
  // of range.
  int64_t dim(int i) const;
  const int64_t* data() const { return dims_.data(); }
  const int64_t* begin() const { return dims_.begin(); }
  const int64_t* end() const { return dims_.end(); }

  void push_back(int64_t d) { dims_.push_back(d); }
  void insert(int pos, int64_t d) { dims_.insert(pos, d); }
  void erase(int pos) { dims_.erase(pos); }

  bool is_scalar() const { return dims_.empty(); }
  // True when no dim is kUnknownDim.
  bool is_fully_defined() const;
  // Product of dims (1 for a scalar); kUnknownDim when any dim is unknown.
  int64_t num_elements() const;

  // Python tuple syntax: "()", "(3,)", "(2, None)". Unknown dims print as None.
  std::string to_string() const;

  // Same rank and every pair of dims equal or one of them unknown.
  bool compatible_with(const Shape& other) const;

  friend bool operator==(const Shape& a, const Shape& b) { return a.dims_ == b.dims_; }
  friend bool operator!=(const Shape& a, const Shape& b) { return !(a == b); }

 private:
  SmallVec<int64_t, kMaxRank> dims_;
};

// NumPy broadcasting of two shapes (align right, dims equal or 1). With unknown dims:
// (?, 1) -> ?, (?, n) -> n for n != 1 (checked again at run time), (?, ?) -> ?.
// Returns nullopt when the shapes cannot broadcast.
std::optional<Shape> try_broadcast_shapes(const Shape& a, const Shape& b);

// As try_broadcast_shapes, but throws InvalidArgumentError
// "<op>: shapes (2, 3) and (4,) cannot be broadcast together".
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

// Maps a possibly negative axis into [0, rank); throws
// "<op>: axis 3 is out of bounds for a tensor of rank 2".
int normalize_axis(int64_t axis, int rank, const char* op);

}  // namespace xag::rt
