// Constructors: fill, range, one_hot and the counter-based random generators.
#include <atomic>
#include <cmath>
#include <type_traits>

#include "runtime/core/convert.h"
#include "runtime/core/parallel.h"
#include "runtime/cpu/kernels.h"
#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/random_math.h"

namespace xag::rt::cpu {

void fill(const Tensor& value, Tensor& out) {
  const Tensor v = value.cast(out.dtype());
  dispatch_storage(out.dtype(), [&](auto tag) {  // a string value fills with its ref
    using T = decltype(tag);
    const T x = v.data<T>()[0];
    T* o = out.data<T>();
    for (int64_t i = 0, n = out.num_elements(); i < n; ++i) o[i] = x;
  });
}

int64_t range_length(const Tensor& start, const Tensor& limit, const Tensor& delta) {
  const DType dt = promote(promote(start.dtype(), limit.dtype()), delta.dtype());
  if (is_integer(dt)) {
    const int64_t a = start.item<int64_t>(), b = limit.item<int64_t>(), d = delta.item<int64_t>();
    if (d == 0) op_error(OpKind::Range, "delta must not be zero");
    if (d > 0) return b > a ? (b - a + d - 1) / d : 0;
    return a > b ? (a - b - d - 1) / (-d) : 0;
  }
  const double a = start.item<double>(), b = limit.item<double>(), d = delta.item<double>();
  if (d == 0) op_error(OpKind::Range, "delta must not be zero");
  const double len = std::ceil((b - a) / d);
  if (!std::isfinite(len)) op_error(OpKind::Range, "the range is infinite or NaN");
  return len > 0 ? static_cast<int64_t>(len) : 0;
}

void range(const Tensor& start, const Tensor& limit, const Tensor& delta, Tensor& out) {
  dispatch_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* o = out.data<T>();
    const int64_t n = out.num_elements();
    if constexpr (std::is_floating_point_v<T>) {
      // NumPy's arange: start + i * delta computed in the output type.
      const T a = start.item<T>(), d = delta.item<T>();
      for (int64_t i = 0; i < n; ++i) o[i] = a + static_cast<T>(i) * d;
    } else if constexpr (!std::is_same_v<T, bool>) {
      const int64_t a = start.item<int64_t>(), d = delta.item<int64_t>();
      for (int64_t i = 0; i < n; ++i) o[i] = static_cast<T>(a + i * d);
    }
  });
}

void one_hot(const Tensor& indices, const OpAttrs& attrs, Tensor& out) {
  const int64_t depth = attrs.depth;
  const Shape& is = indices.shape();
  // The new depth axis sits at `axis` of the output (-1 or absent: last), as in infer().
  const int64_t ax = attrs.has_axis ? attrs.axis : -1;
  const int axis = ax == -1 ? is.rank() : normalize_axis(ax, is.rank() + 1, "one_hot");
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= is[d];
  for (int d = axis; d < is.rank(); ++d) inner *= is[d];
  const Tensor idx = indices.cast(DType::Int64);
  const int64_t* ip = idx.data<int64_t>();
  dispatch_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T on = convert<T>(attrs.value_b), off = convert<T>(attrs.value_a);
    T* o = out.data<T>();
    // Out-of-range indices give an all-`off` row (TensorFlow's behaviour).
    for (int64_t a = 0; a < outer; ++a)
      for (int64_t k = 0; k < depth; ++k)
        for (int64_t i = 0; i < inner; ++i)
          o[(a * depth + k) * inner + i] = ip[a * inner + i] == k ? on : off;
  });
}

namespace {
std::atomic<uint64_t> g_unseeded_counter{0};
}  // namespace

uint64_t random_seed(const OpAttrs& attrs) {
  return attrs.has_seed ? math::mix(attrs.seed ^ 0x5eed5eed5eedULL)
                        : math::mix(0xa076bc3d5f9c1e27ULL + g_unseeded_counter++);
}

void random(OpKind op, const OpAttrs& attrs, Tensor& out) {
  const uint64_t seed = random_seed(attrs);
  const double a = attrs.value_a, b = attrs.value_b;
  const int64_t n = out.num_elements();
  const bool uniform = op == OpKind::RandomUniform;
  dispatch_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      T* o = out.data<T>();
      parallel_for(n, kParallelThreshold / 4, [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) o[i] = math::random_float<T>(uniform, seed, i, a, b);
      });
    } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      // random_uniform only (infer() checks).
      const int64_t lo = static_cast<int64_t>(a);
      const uint64_t span =
          static_cast<uint64_t>(static_cast<int64_t>(b)) - static_cast<uint64_t>(lo);
      T* o = out.data<T>();
      parallel_for(n, kParallelThreshold / 4, [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) o[i] = math::random_int<T>(seed, i, lo, span);
      });
    }
  });
}

}  // namespace xag::rt::cpu
