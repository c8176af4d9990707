// A fixed-capacity vector stored inline: shapes, axis lists and permutations are tiny, and keeping
// them off the heap makes scalar ops and TensorSpec copies allocation-free.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "runtime/core/errors.h"

namespace xag::rt {

template <class T, int N>
class SmallVec {
 public:
  static constexpr int kCapacity = N;

  SmallVec() = default;
  SmallVec(std::initializer_list<T> v) { assign(v.begin(), v.end()); }
  SmallVec(const T* data, size_t n) { assign(data, data + n); }

  template <class It>
  void assign(It first, It last) {
    size_ = 0;
    for (; first != last; ++first) push_back(static_cast<T>(*first));
  }

  void push_back(T v) {
    if (size_ >= N) {
      throw InvalidArgumentError("too many dimensions: at most " + std::to_string(N) +
                                 " are supported");
    }
    data_[size_++] = v;
  }
  void pop_back() { --size_; }
  void insert(int pos, T v) {
    push_back(v);
    for (int i = size_ - 1; i > pos; --i) data_[i] = data_[i - 1];
    data_[pos] = v;
  }
  void erase(int pos) {
    for (int i = pos; i + 1 < size_; ++i) data_[i] = data_[i + 1];
    --size_;
  }
  void clear() { size_ = 0; }
  void resize(int n, T fill = T{}) {
    if (n > N) throw InvalidArgumentError("too many dimensions: at most " + std::to_string(N));
    for (int i = size_; i < n; ++i) data_[i] = fill;
    size_ = static_cast<uint8_t>(n);
  }

  int size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](int i) { return data_[i]; }
  const T& operator[](int i) const { return data_[i]; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }

  friend bool operator==(const SmallVec& a, const SmallVec& b) {
    if (a.size_ != b.size_) return false;
    for (int i = 0; i < a.size_; ++i)
      if (!(a.data_[i] == b.data_[i])) return false;
    return true;
  }
  friend bool operator!=(const SmallVec& a, const SmallVec& b) { return !(a == b); }

 private:
  T data_[N] = {};
  uint8_t size_ = 0;
};

}  // namespace xag::rt
