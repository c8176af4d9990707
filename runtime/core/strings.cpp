#include "runtime/core/strings.h"

#include <mutex>
#include <vector>

#include "runtime/core/string_table.h"
#include "runtime/core/tensor.h"

namespace xag::rt {

StrRef intern(std::string_view text) {
  if (text.empty()) return StrRef{};
  detail::InternTable& t = detail::intern_table();
  std::lock_guard<std::mutex> lk(t.mu);
  const auto [it, added] = t.strings.emplace(text);
  if (added) t.bytes.fetch_add(detail::entry_bytes(*it), std::memory_order_relaxed);
  return StrRef{&*it};
}

std::string_view str_view(StrRef s) noexcept {
  if (!s.rep) return {};
  return *static_cast<const std::string*>(s.rep);
}

size_t interned_count() noexcept {
  return string_memory().count;
}

StringMemory string_memory() noexcept {
  detail::InternTable& t = detail::intern_table();
  std::lock_guard<std::mutex> lk(t.mu);
  return {t.strings.size(), t.bytes.load(std::memory_order_relaxed)};
}

Tensor string_tensor(const std::vector<std::string>& values, const Shape& shape) {
  std::vector<StrRef> refs;
  refs.reserve(values.size());
  for (const std::string& v : values) refs.push_back(intern(v));
  return Tensor::from_raw(DType::String, shape, refs.data(), refs.size());
}

Tensor string_scalar(std::string_view text) {
  return Tensor::scalar(intern(text));
}

std::vector<std::string> string_values(const Tensor& t) {
  const StrRef* p = t.data<StrRef>();
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(t.num_elements()));
  for (int64_t i = 0; i < t.num_elements(); ++i) out.emplace_back(str_view(p[i]));
  return out;
}

}  // namespace xag::rt
