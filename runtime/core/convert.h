// Element conversions with NumPy's astype results on x86 and no C++ undefined behaviour:
// float -> int truncates toward zero, and NaN or out-of-range values give the most negative
// integer (what NumPy's cvttsd2si produces); int -> narrower int wraps; x -> bool is x != 0.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "runtime/core/dtype.h"
#include "runtime/core/host_device.h"

namespace xag::rt {

template <class To, class From>
XAG_HOST_DEVICE inline To convert(From v) {
  if constexpr (std::is_same_v<To, From>) {
    return v;
  } else if constexpr (std::is_same_v<To, bool>) {
    return v != From(0);
  } else if constexpr (std::is_floating_point_v<To>) {
    return static_cast<To>(v);
  } else if constexpr (std::is_floating_point_v<From>) {
    // Integer target from a float: guard the range first (out of range is UB in C++).
    constexpr From lo = static_cast<From>(std::numeric_limits<To>::min());  // exact power of 2
    if (!(v >= lo && v < -lo)) return std::numeric_limits<To>::min();
    return static_cast<To>(v);
  } else {
    // Integer to integer (bool included): modular, well defined since C++20 and on every target.
    return static_cast<To>(static_cast<std::make_unsigned_t<To>>(v));
  }
}

// Converts n elements from one dtype to another (buffers may not overlap).
void convert_buffer(DType from, const void* src, DType to, void* dst, int64_t n);

}  // namespace xag::rt
