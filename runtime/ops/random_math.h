// The counter-based random generators, per element: value i of a draw is a function of the
// draw's seed and i alone (a SplitMix64 hash), so the values do not depend on threads or on the
// device. Written once for the CPU kernel (runtime/cpu/construct.cpp) and the CUDA kernel
// (runtime/backend/cuda/construct_kernels.cu): both give the same numbers for a seed.
#pragma once

#include <math.h>

#include <cstdint>
#include <type_traits>

#include "runtime/core/host_device.h"

namespace xag::rt::math {

// SplitMix64 finalizer: a strong 64-bit mix.
XAG_HOST_DEVICE inline uint64_t mix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

XAG_HOST_DEVICE inline double unit_double(uint64_t bits) {  // [0, 1) with 53 random bits
  return static_cast<double>(bits >> 11) * (1.0 / 9007199254740992.0);
}

// The 64 random bits of element i.
XAG_HOST_DEVICE inline uint64_t random_bits(uint64_t seed, int64_t i) {
  return mix(seed + static_cast<uint64_t>(i) * 0xd1b54a32d192ed03ULL);
}

// Element i of a float draw: uniform in [a, b), or normal with mean a and stddev b.
template <class T>
XAG_HOST_DEVICE inline T random_float(bool uniform, uint64_t seed, int64_t i, double a, double b) {
  const uint64_t r = random_bits(seed, i);
  if (uniform) {
    T v = static_cast<T>(a + (b - a) * unit_double(r));
    if (v >= static_cast<T>(b) && b > a) {
      if constexpr (std::is_same_v<T, float>)
        v = ::nextafterf(static_cast<float>(b), static_cast<float>(a));
      else
        v = ::nextafter(b, a);
    }
    return v;
  }
  // Box-Muller on two independent uniforms; 1 - u keeps log's argument in (0, 1].
  const double u1 = 1.0 - unit_double(r);
  const double u2 = unit_double(mix(r ^ 0x2545f4914f6cdd1dULL));
  const double z = ::sqrt(-2.0 * ::log(u1)) * ::cos(6.283185307179586 * u2);
  return static_cast<T>(a + b * z);
}

// Element i of an integer uniform draw in [lo, lo + span): the high half of a 64x64-bit
// product maps the 64 random bits onto the range evenly to within 2^-64 per value.
template <class T>
XAG_HOST_DEVICE inline T random_int(uint64_t seed, int64_t i, int64_t lo, uint64_t span) {
  const uint64_t r = random_bits(seed, i);
  const auto k = static_cast<uint64_t>((static_cast<unsigned __int128>(r) * span) >> 64);
  return static_cast<T>(static_cast<uint64_t>(lo) + k);
}

}  // namespace xag::rt::math
