#include "runtime/core/dtype.h"

namespace xag::rt {

const char* dtype_name(DType dt) noexcept {
  switch (dt) {
    case DType::Bool:
      return "bool";
    case DType::Int32:
      return "int32";
    case DType::Int64:
      return "int64";
    case DType::Float32:
      return "float32";
    case DType::Float64:
      return "float64";
    case DType::String:
      return "string";
  }
  return "<bad dtype>";
}

std::optional<DType> dtype_from_name(std::string_view name) noexcept {
  for (int i = 0; i < kNumDTypes; ++i) {
    DType dt = static_cast<DType>(i);
    if (name == dtype_name(dt)) return dt;
  }
  return std::nullopt;
}

void string_unsupported() {
  throw InvalidArgumentError(
      "this operation is not supported for string tensors (strings support +, ==, !=, "
      "ag.strings.* and shape operations)");
}

}  // namespace xag::rt
