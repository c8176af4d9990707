// Small builders for runtime tests.
#pragma once

#include <string>
#include <vector>

#include "runtime/ops/ops.h"

namespace xag::rt::test {

template <class T>
Tensor vec(std::vector<T> v) {
  return Tensor::from_vector<T>(v, Shape{static_cast<int64_t>(v.size())});
}
template <class T>
Tensor mat(std::vector<T> v, Shape s) {
  return Tensor::from_vector<T>(v, s);
}
template <class T>
std::vector<T> values(const Tensor& t) {
  const T* p = t.data<T>();
  return std::vector<T>(p, p + t.num_elements());
}

inline std::string error_of(OpKind op, std::initializer_list<Tensor> in, const OpAttrs& a = {}) {
  try {
    run(op, in, a);
  } catch (const InvalidArgumentError& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace xag::rt::test
