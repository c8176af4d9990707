// Named OpAttrs fields for the bindings' generic op entry point (see attr_set.h).
#include "runtime/ops/attr_set.h"

#include <string>

#include "runtime/core/errors.h"

namespace xag::rt {

namespace {

[[noreturn]] void bad_value(std::string_view key, const char* want) {
  throw InvalidArgumentError("op attribute '" + std::string(key) + "' must be " + want);
}

int64_t as_int(std::string_view key, const AttrValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* b = std::get_if<bool>(&v)) return *b ? 1 : 0;
  bad_value(key, "an int");
}

double as_double(std::string_view key, const AttrValue& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return static_cast<double>(as_int(key, v));
}

// A list, or one int as a list of one.
std::vector<int64_t> as_list(std::string_view key, const AttrValue& v) {
  if (const auto* l = std::get_if<std::vector<int64_t>>(&v)) return *l;
  return {as_int(key, v)};
}

DType as_dtype(std::string_view key, const AttrValue& v) {
  if (const auto* d = std::get_if<DType>(&v)) return *d;
  if (const auto* name = std::get_if<std::string>(&v)) {
    if (const auto d = dtype_from_name(*name)) return *d;
    bad_value(key, "a dtype");
  }
  const int64_t code = as_int(key, v);
  if (code < 0 || code >= kNumDTypes) throw InvalidArgumentError("bad dtype code");
  return static_cast<DType>(code);
}

}  // namespace

void set_attr(OpAttrs& a, std::string_view key, const AttrValue& v) {
  if (key == "axes") {
    const std::vector<int64_t> axes = as_list(key, v);
    a.axes.assign(axes.begin(), axes.end());
    a.has_axes = true;
  } else if (key == "keepdims") {
    a.keepdims = as_int(key, v) != 0;
  } else if (key == "perm") {
    const std::vector<int64_t> perm = as_list(key, v);
    a.perm.assign(perm.begin(), perm.end());
  } else if (key == "axis") {
    a.axis = as_int(key, v);
    a.has_axis = true;
  } else if (key == "dtype") {
    a.dtype = as_dtype(key, v);
    a.has_dtype = true;
  } else if (key == "shape") {
    const std::vector<int64_t> dims = as_list(key, v);
    a.shape = Shape(dims.data(), dims.size());
  } else if (key == "depth") {
    a.depth = as_int(key, v);
  } else if (key == "value_a") {
    a.value_a = as_double(key, v);
  } else if (key == "value_b") {
    a.value_b = as_double(key, v);
  } else if (key == "seed") {
    a.seed = static_cast<uint64_t>(as_int(key, v));
    a.has_seed = true;
  } else if (key == "text") {
    const auto* t = std::get_if<std::string>(&v);
    if (!t) bad_value(key, "a str");
    a.text = *t;
  } else {
    throw InternalError("unknown op attribute '" + std::string(key) + "'");
  }
}

}  // namespace xag::rt
