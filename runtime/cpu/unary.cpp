// Element-wise unary kernels. Transcendentals go through Eigen's vectorized array functions;
// the input is first converted into the output buffer when the dtypes differ (int -> float64),
// then transformed in place, so no temporary is allocated.
#include <cmath>
#include <type_traits>

#include <Eigen/Core>

#include "runtime/core/convert.h"
#include "runtime/core/parallel.h"
#include "runtime/cpu/kernels.h"
#include "runtime/ops/dtype_rules.h"

namespace xag::rt::cpu {

namespace {

template <class T>
using ArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;

// Applies fn(ArrayMap chunk) over chunks of `out` in parallel.
template <class T, class Fn>
void chunked(Tensor& out, Fn fn) {
  T* p = out.data<T>();
  parallel_for(out.num_elements(), kParallelThreshold / 4, [&](int64_t b, int64_t e) {
    ArrayMap<T> a(p + b, e - b);
    fn(a);
  });
}

template <class T>
T wrap_neg(T v) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(-static_cast<std::make_unsigned_t<T>>(v));
  } else {
    return -v;
  }
}

template <class T>
void apply_float(OpKind op, Tensor& out) {
  chunked<T>(out, [op](ArrayMap<T>& a) {
    switch (op) {
      case OpKind::Exp:
        a = a.exp();
        break;
      case OpKind::Log:
        a = a.log();
        break;
      case OpKind::Sqrt:
        a = a.sqrt();
        break;
      case OpKind::Sin:
        a = a.sin();
        break;
      case OpKind::Cos:
        a = a.cos();
        break;
      case OpKind::Tanh:
        a = a.tanh();
        break;
      case OpKind::Sigmoid:
        a = T(1) / (T(1) + (-a).exp());
        break;
      case OpKind::Floor:
        a = a.floor();
        break;
      case OpKind::Ceil:
        a = a.ceil();
        break;
      // rint rounds half to even in the default rounding mode, like NumPy.
      case OpKind::Round:
        for (auto& v : a) v = std::nearbyint(v);
        break;
      default:
        break;
    }
  });
}

template <class T>
void apply_keep_dtype(OpKind op, const T* in, T* out, int64_t n) {
  parallel_for_balanced(n, kParallelThreshold / 2, [&](int64_t b, int64_t e) {
    switch (op) {
      case OpKind::Abs:
        if constexpr (std::is_same_v<T, bool>) {
          for (int64_t i = b; i < e; ++i) out[i] = in[i];
        } else if constexpr (std::is_integral_v<T>) {
          for (int64_t i = b; i < e; ++i) out[i] = in[i] < 0 ? wrap_neg(in[i]) : in[i];
        } else {
          for (int64_t i = b; i < e; ++i) out[i] = std::fabs(in[i]);
        }
        break;
      case OpKind::Neg:
        if constexpr (!std::is_same_v<T, bool>)
          for (int64_t i = b; i < e; ++i) out[i] = wrap_neg(in[i]);
        break;
      case OpKind::Square:
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
          using U = std::make_unsigned_t<T>;
          for (int64_t i = b; i < e; ++i) out[i] = static_cast<T>(U(in[i]) * U(in[i]));
        } else if constexpr (!std::is_same_v<T, bool>) {
          for (int64_t i = b; i < e; ++i) out[i] = in[i] * in[i];
        }
        break;
      case OpKind::Sign:
        if constexpr (!std::is_same_v<T, bool>) {
          for (int64_t i = b; i < e; ++i) {
            const T v = in[i];
            // NaN compares false both ways and falls through to itself.
            out[i] = v > T(0) ? T(1) : v < T(0) ? T(-1) : v == T(0) ? T(0) : v;
          }
        }
        break;
      case OpKind::Relu:
        if constexpr (!std::is_same_v<T, bool>) {
          // NaN stays NaN (NumPy maximum(x, 0) propagates it).
          for (int64_t i = b; i < e; ++i) out[i] = in[i] < T(0) ? T(0) : in[i];
        } else {
          for (int64_t i = b; i < e; ++i) out[i] = in[i];
        }
        break;
      case OpKind::Round:  // integers are already round
        for (int64_t i = b; i < e; ++i) out[i] = in[i];
        break;
      default:
        break;
    }
  });
}

template <class T>
T scalar_float_fn(OpKind op, T v) {
  switch (op) {
    case OpKind::Exp:
      return std::exp(v);
    case OpKind::Log:
      return std::log(v);
    case OpKind::Sqrt:
      return std::sqrt(v);
    case OpKind::Sin:
      return std::sin(v);
    case OpKind::Cos:
      return std::cos(v);
    case OpKind::Tanh:
      return std::tanh(v);
    case OpKind::Sigmoid:
      return T(1) / (T(1) + std::exp(-v));
    case OpKind::Floor:
      return std::floor(v);
    case OpKind::Ceil:
      return std::ceil(v);
    case OpKind::Round:
      return std::nearbyint(v);
    default:
      return v;
  }
}

}  // namespace

bool unary_scalar(OpKind op, const Tensor& x, const OpAttrs& attrs, Tensor& out) {
  if (x.rank() != 0) return false;
  const DType dt = x.dtype();
  if (op == OpKind::Cast) {
    return dispatch_dtype(dt, [&](auto tag) {
      using T = decltype(tag);
      const T v = *static_cast<const T*>(x.raw_data());
      dispatch_dtype(attrs.dtype, [&](auto otag) {
        using O = decltype(otag);
        out.set_scalar(convert<O>(v));
      });
      return true;
    });
  }
  if (op_category(op) != OpCategory::Unary || dt == DType::Bool) return false;
  return dispatch_dtype(dt, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) {
      return false;
    } else {
      const T v = *static_cast<const T*>(x.raw_data());
      switch (op) {
        case OpKind::Abs:
        case OpKind::Neg:
        case OpKind::Square:
        case OpKind::Sign:
        case OpKind::Relu: {
          T r = v;
          apply_keep_dtype<T>(op, &v, &r, 1);
          out.set_scalar(r);
          return true;
        }
        default:
          if constexpr (std::is_floating_point_v<T>) {
            out.set_scalar(scalar_float_fn<T>(op, v));
          } else if (op == OpKind::Round) {
            out.set_scalar(v);
          } else {  // ints -> float64
            out.set_scalar(scalar_float_fn<double>(op, static_cast<double>(v)));
          }
          return true;
      }
    }
  });
}

void unary(OpKind op, const Tensor& x, Tensor& out) {
  const bool float_fn = op != OpKind::Abs && op != OpKind::Neg && op != OpKind::Square &&
                        op != OpKind::Sign && op != OpKind::Relu &&
                        !(op == OpKind::Round && !is_floating(out.dtype()));
  if (float_fn) {
    if (x.dtype() != out.dtype() || x.raw_data() != out.raw_data()) {
      convert_buffer(x.dtype(), x.raw_data(), out.dtype(), out.raw_data(), x.num_elements());
    }
    if (out.dtype() == DType::Float32)
      apply_float<float>(op, out);
    else
      apply_float<double>(op, out);
    return;
  }
  if (x.dtype() != out.dtype()) {  // square of bool computes in int32
    Tensor xc = x.cast(out.dtype());
    return unary(op, xc, out);
  }
  dispatch_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    apply_keep_dtype<T>(op, x.data<T>(), out.data<T>(), x.num_elements());
  });
}

void cast(const Tensor& x, Tensor& out) {
  convert_buffer(x.dtype(), x.raw_data(), out.dtype(), out.raw_data(), x.num_elements());
}

void logical_unary(OpKind op, const Tensor& x, Tensor& out) {
  const int64_t n = x.num_elements();
  if (op == OpKind::LogicalNot) {
    bool* o = out.data<bool>();
    dispatch_dtype(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* p = x.data<T>();
      for (int64_t i = 0; i < n; ++i) o[i] = !(p[i] != T(0));
    });
    return;
  }
  dispatch_dtype(x.dtype(), [&](auto tag) {  // invert: ~ on ints, not on bools
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) {
      const bool* p = x.data<bool>();
      bool* o = out.data<bool>();
      for (int64_t i = 0; i < n; ++i) o[i] = !p[i];
    } else if constexpr (std::is_integral_v<T>) {
      const T* p = x.data<T>();
      T* o = out.data<T>();
      for (int64_t i = 0; i < n; ++i) o[i] = static_cast<T>(~p[i]);
    }
  });
}

}  // namespace xag::rt::cpu
