// Setting OpAttrs fields by name: the generic op entry point of the bindings gets attributes as a
// dict of field names, and this is where names are checked and values fitted to the fields.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/core/dtype.h"
#include "runtime/ops/attrs.h"

namespace xag::rt {

// One attribute value as the bindings read it: a list is a list of ints (kUnknownDim for an
// unknown dim of a shape); a dtype may also come as its integer code.
using AttrValue = std::variant<bool, int64_t, double, DType, std::vector<int64_t>, std::string>;

// Sets field `key` of `attrs` ("axes", "keepdims", "perm", "axis", "dtype", "shape", "depth",
// "value_a", "value_b", "seed", "text"); an int stands for a one-element list where a list is
// expected. Throws InternalError for an unknown name, InvalidArgumentError for a value of the wrong
// kind.
void set_attr(OpAttrs& attrs, std::string_view key, const AttrValue& value);

}  // namespace xag::rt
