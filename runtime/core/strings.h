// String tensors' elements: interned, immutable UTF-8 strings referred to by StrRef (dtype.h).
//
// Why interning: a StrRef is 8 trivially copyable bytes, so a string tensor is an ordinary
// tensor to everything that only moves elements (inline 0-d storage, views, reshape, concat,
// stack, gather, getitem, where, loop state, TensorArrays, the executor's slots, the JIT's
// helpers) and no kernel has to know about ownership. Equal strings share one ref, so == is a
// pointer compare. The cost: an interned string is never freed (the table only grows, by the
// distinct values a process creates), which suits the short texts of notebook programs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/core/dtype.h"
#include "runtime/core/shape.h"

namespace xag::rt {

class Tensor;

// The ref of `text` (null for ""). Thread-safe.
StrRef intern(std::string_view text);
// The text of a ref (a view valid for the life of the process).
std::string_view str_view(StrRef s) noexcept;
// Number of distinct strings interned so far (for tests and diagnostics).
size_t interned_count() noexcept;

// A string tensor of `shape` holding `values` (row-major; sizes must agree).
Tensor string_tensor(const std::vector<std::string>& values, const Shape& shape);
// A 0-d string tensor.
Tensor string_scalar(std::string_view text);
// The elements of a host string tensor, row-major.
std::vector<std::string> string_values(const Tensor& t);

}  // namespace xag::rt
