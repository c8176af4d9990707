#include "runtime/core/shape.h"

namespace xag::rt {

int64_t Shape::dim(int i) const {
  int j = normalize_axis(i, rank(), "shape");
  return dims_[j];
}

bool Shape::is_fully_defined() const {
  for (int64_t d : dims_)
    if (d < 0) return false;
  return true;
}

int64_t Shape::num_elements() const {
  int64_t n = 1;
  for (int64_t d : dims_) {
    if (d < 0) return kUnknownDim;
    n *= d;
  }
  return n;
}

std::string Shape::to_string() const {
  std::string s = "(";
  for (int i = 0; i < rank(); ++i) {
    if (i) s += ", ";
    s += dims_[i] < 0 ? std::string("None") : std::to_string(dims_[i]);
  }
  if (rank() == 1) s += ",";
  s += ")";
  return s;
}

bool Shape::compatible_with(const Shape& other) const {
  if (rank() != other.rank()) return false;
  for (int i = 0; i < rank(); ++i) {
    if (dims_[i] >= 0 && other.dims_[i] >= 0 && dims_[i] != other.dims_[i]) return false;
  }
  return true;
}

std::optional<Shape> try_broadcast_shapes(const Shape& a, const Shape& b) {
  if (a == b) return a;
  const int r = a.rank() > b.rank() ? a.rank() : b.rank();
  Shape out;
  for (int i = 0; i < r; ++i) {
    const int ia = a.rank() - r + i, ib = b.rank() - r + i;
    const int64_t da = ia >= 0 ? a[ia] : 1;
    const int64_t db = ib >= 0 ? b[ib] : 1;
    int64_t d;
    if (da == db) {
      d = da;
    } else if (da == 1) {
      d = db;
    } else if (db == 1) {
      d = da;
    } else if (da < 0) {
      d = db;  // unknown vs n: must be n (or 1) at run time
    } else if (db < 0) {
      d = da;
    } else {
      return std::nullopt;
    }
    out.push_back(d);
  }
  return out;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  auto s = try_broadcast_shapes(a, b);
  if (!s) {
    throw InvalidArgumentError(std::string(op) + ": shapes " + a.to_string() + " and " +
                               b.to_string() + " cannot be broadcast together");
  }
  return *s;
}

int normalize_axis(int64_t axis, int rank, const char* op) {
  if (axis < -rank || axis >= rank) {
    throw InvalidArgumentError(std::string(op) + ": axis " + std::to_string(axis) +
                               " is out of bounds for a tensor of rank " + std::to_string(rank));
  }
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

}  // namespace xag::rt
