// The math of every element-wise op, written once: one functor per Unary, Binary, Compare and
// Logical row of op_kinds.def, named like the row. The eager CPU kernels (runtime/cpu/unary.cpp,
// binary.cpp), the fused evaluator (runtime/exec/fused_eval.cpp) and the executor's scalar fast
// path (runtime/exec/scalar_kernels.cpp) all run these bodies, so their results cannot drift.
//
// A functor is called with elements of its compute dtype (dtype_rules.h picks it; the caller has
// converted the operands) and is only instantiated for the dtypes its row's rule computes in
// (computes_in). Bodies are plain expressions with no library state, marked XAG_HOST_DEVICE so
// that the same source compiles as CUDA device code.
//
// Traits, from the base structs and overridden where needed:
//   kArity      1 or 2 operands.
//   kFusable    the fusion pass may put the op in a FusedElementwise program (float dtypes).
//   kArrayMath  the body is also written for whole Eigen arrays (the *_of helpers below): the CPU
//               evaluates it over blocks with Eigen's vectorized transcendentals, far faster than
//               one libm call per element.
//   kCanFault   integer error cases (division by zero, negative powers): operator() takes a
//               FaultFlag last, sets it and returns 0; the caller raises after its loop.
//   kBoolError  where the dtype rule rejects bool operands: what to say instead (NumPy's hint).
//
// Adding an element-wise op: a row in op_kinds.def (its dtype rule, shape rule and gradient),
// a functor here, and a test of its values. Inference, the CPU kernels, the fused evaluator, the
// executor's scalar path, the fusion pass and the Python binding (_core.ops) follow from those;
// tests/runtime/op_table_test.cpp checks the new row on every path and dtype.
#pragma once

#include <cmath>
#include <type_traits>

#include "runtime/core/host_device.h"

namespace xag::rt::math {

template <class T>
inline constexpr bool kIsInt = std::is_integral_v<T> && !std::is_same_v<T, bool>;
template <class T>
inline constexpr bool kIsBool = std::is_same_v<T, bool>;

// Integer arithmetic wraps: it is done in the unsigned type (no undefined behaviour on overflow).
template <class T>
using Unsigned = std::make_unsigned_t<std::conditional_t<kIsInt<T>, T, int>>;

// Fault codes, set by kCanFault functors; the caller turns them into errors after the loop.
enum Fault : int { kNoFault = 0, kDivByZero = 1, kModByZero = 2, kNegativePower = 3 };

// Where a functor records a fault. Several threads may set it at once (same value either way).
struct FaultFlag {
  int* flag;
  XAG_HOST_DEVICE void set(Fault f) const {
#if defined(__CUDA_ARCH__)
    *flag = f;
#else
    __atomic_store_n(flag, static_cast<int>(f), __ATOMIC_RELAXED);
#endif
  }
};

// Calls a functor with or without the fault flag, as it declares.
template <class F, class... T>
XAG_HOST_DEVICE inline auto call(const F& f, FaultFlag fault, T... x) {
  if constexpr (F::kCanFault)
    return f(x..., fault);
  else
    return f(x...);
}

// Math that takes either one element or a whole Eigen array expression (kArrayMath bodies): a
// scalar goes to <cmath>, an array to Eigen's vectorized member of the same name. This header
// does not include Eigen; only callers that pass arrays do.
#define XAG_EITHER_FN(fn)                           \
  template <class X>                                \
  XAG_HOST_DEVICE inline auto fn##_of(const X& x) { \
    if constexpr (std::is_arithmetic_v<X>)          \
      return std::fn(x);                            \
    else                                            \
      return x.fn();                                \
  }
XAG_EITHER_FN(exp)
XAG_EITHER_FN(log)
XAG_EITHER_FN(sqrt)
XAG_EITHER_FN(sin)
XAG_EITHER_FN(cos)
XAG_EITHER_FN(tanh)
XAG_EITHER_FN(floor)
XAG_EITHER_FN(ceil)
#undef XAG_EITHER_FN

// The element type of a scalar or of an Eigen expression.
template <class X, class = void>
struct ScalarOf {
  using type = X;
};
template <class X>
struct ScalarOf<X, std::void_t<typename X::Scalar>> {
  using type = typename X::Scalar;
};

struct UnaryFn {
  static constexpr int kArity = 1;
  static constexpr bool kFusable = false;
  static constexpr bool kArrayMath = false;
  static constexpr bool kCanFault = false;
  static constexpr const char* kBoolError = nullptr;
};
struct BinaryFn : UnaryFn {
  static constexpr int kArity = 2;
};

// Float functions (dtype rule Float: ints were converted to float64 first).
#define XAG_FLOAT_FN(Name, fn)                          \
  struct Name : UnaryFn {                               \
    static constexpr bool kFusable = true;              \
    static constexpr bool kArrayMath = true;            \
    template <class X>                                  \
    XAG_HOST_DEVICE auto operator()(const X& x) const { \
      return fn##_of(x);                                \
    }                                                   \
  };
XAG_FLOAT_FN(Exp, exp)
XAG_FLOAT_FN(Log, log)
XAG_FLOAT_FN(Sqrt, sqrt)
XAG_FLOAT_FN(Sin, sin)
XAG_FLOAT_FN(Cos, cos)
XAG_FLOAT_FN(Tanh, tanh)

struct Sigmoid : UnaryFn {
  static constexpr bool kFusable = true;
  static constexpr bool kArrayMath = true;
  template <class X>
  XAG_HOST_DEVICE auto operator()(const X& x) const {
    using S = typename ScalarOf<X>::type;
    return S(1) / (S(1) + exp_of(-x));
  }
};

// floor and ceil: GCC leaves std::floor loops scalar; Eigen's array forms use SSE4.1 rounding.
XAG_FLOAT_FN(Floor, floor)
XAG_FLOAT_FN(Ceil, ceil)
#undef XAG_FLOAT_FN
// Half to even (nearbyint in the default rounding mode), like NumPy; integers are already round.
struct Round : UnaryFn {
  template <class T>
  XAG_HOST_DEVICE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>)
      return std::nearbyint(x);
    else
      return x;
  }
};

struct Abs : UnaryFn {
  static constexpr bool kFusable = true;
  template <class T>
  XAG_HOST_DEVICE T operator()(T x) const {
    if constexpr (kIsBool<T>)
      return x;
    else if constexpr (kIsInt<T>)  // abs(INT_MIN) wraps to INT_MIN, as NumPy
      return x < 0 ? static_cast<T>(Unsigned<T>(0) - Unsigned<T>(x)) : x;
    else
      return std::fabs(x);
  }
};
struct Neg : UnaryFn {
  static constexpr bool kFusable = true;
  static constexpr const char* kBoolError =
      "the - operator is not supported for bool tensors; use logical_not or ~";
  template <class T>
  XAG_HOST_DEVICE T operator()(T x) const {
    if constexpr (kIsInt<T>)
      return static_cast<T>(Unsigned<T>(0) - Unsigned<T>(x));
    else
      return -x;
  }
};
struct Square : UnaryFn {
  static constexpr bool kFusable = true;
  template <class T>
  XAG_HOST_DEVICE T operator()(T x) const {
    if constexpr (kIsInt<T>)
      return static_cast<T>(Unsigned<T>(x) * Unsigned<T>(x));
    else
      return x * x;
  }
};
struct Sign : UnaryFn {
  static constexpr const char* kBoolError = "not supported for bool tensors; cast to int32 first";
  template <class T>
  XAG_HOST_DEVICE T operator()(T v) const {
    // NaN compares false both ways and falls through to itself.
    return v > T(0) ? T(1) : v < T(0) ? T(-1) : v == T(0) ? T(0) : v;
  }
};
// max(x, 0): NaN stays NaN (NumPy's maximum propagates it); the identity on bools.
struct Relu : UnaryFn {
  static constexpr bool kFusable = true;
  template <class T>
  XAG_HOST_DEVICE T operator()(T x) const {
    if constexpr (kIsBool<T>)
      return x;
    else
      return x < T(0) ? T(0) : x;
  }
};

// Arithmetic. On bools (dtype rule Promote) add and maximum are `or`, multiply and minimum `and`.
struct Add : BinaryFn {
  static constexpr bool kFusable = true;
  template <class T>
  XAG_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kIsBool<T>)
      return a || b;
    else if constexpr (kIsInt<T>)
      return static_cast<T>(Unsigned<T>(a) + Unsigned<T>(b));
    else
      return a + b;
  }
};
struct Sub : BinaryFn {
  static constexpr bool kFusable = true;
  static constexpr const char* kBoolError =
      "the - operator is not supported for bool tensors; use ^ or logical_xor";
  template <class T>
  XAG_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kIsInt<T>)
      return static_cast<T>(Unsigned<T>(a) - Unsigned<T>(b));
    else
      return a - b;
  }
};
struct Mul : BinaryFn {
  static constexpr bool kFusable = true;
  template <class T>
  XAG_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kIsBool<T>)
      return a && b;
    else if constexpr (kIsInt<T>)
      return static_cast<T>(Unsigned<T>(a) * Unsigned<T>(b));
    else
      return a * b;
  }
};
struct TrueDiv : BinaryFn {  // floats only: ints compute in float64
  static constexpr bool kFusable = true;
  template <class T>
  XAG_HOST_DEVICE T operator()(T a, T b) const {
    return a / b;
  }
};
// Python floor division. Floats: NumPy's npy_divmod (floor of the exact quotient, consistent
// with Mod); INT_MIN // -1 wraps, as in NumPy.
struct FloorDiv : BinaryFn {
  static constexpr bool kCanFault = true;
  template <class T>
  XAG_HOST_DEVICE T operator()(T a, T b, FaultFlag fault) const {
    if constexpr (kIsInt<T>) {
      if (b == 0) {
        fault.set(kDivByZero);
        return 0;
      }
      if (b == -1) return static_cast<T>(Unsigned<T>(0) - Unsigned<T>(a));
      T q = a / b;
      if (a % b != 0 && ((a < 0) != (b < 0))) --q;
      return q;
    } else {
      if (b == 0) return a / b;
      const T m = std::fmod(a, b);
      T div = (a - m) / b;
      if (m != 0 && ((b < 0) != (m < 0))) div -= T(1);
      if (div == 0) return std::copysign(T(0), a / b);
      T fl = std::floor(div);
      if (div - fl > T(0.5)) fl += T(1);
      return fl;
    }
  }
};
// Python modulo: the result takes the divisor's sign.
struct Mod : BinaryFn {
  static constexpr bool kCanFault = true;
  template <class T>
  XAG_HOST_DEVICE T operator()(T a, T b, FaultFlag fault) const {
    if constexpr (kIsInt<T>) {
      if (b == 0) {
        fault.set(kModByZero);
        return 0;
      }
      if (b == -1) return 0;
      T r = a % b;
      if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(Unsigned<T>(r) + Unsigned<T>(b));
      return r;
    } else {
      if (b == 0) return std::fmod(a, b);  // NaN
      T m = std::fmod(a, b);
      if (m != 0) {
        if ((b < 0) != (m < 0)) m += b;
      } else {
        m = std::copysign(T(0), b);
      }
      return m;
    }
  }
};
// Integer powers by squaring (wrapping); a negative integer exponent is an error, as in NumPy.
struct Pow : BinaryFn {
  static constexpr bool kCanFault = true;
  template <class T>
  XAG_HOST_DEVICE T operator()(T a, T b, FaultFlag fault) const {
    if constexpr (kIsInt<T>) {
      if (b < 0) {
        fault.set(kNegativePower);
        return 0;
      }
      Unsigned<T> base = Unsigned<T>(a), result = 1;
      for (auto e = static_cast<std::make_unsigned_t<T>>(b); e; e >>= 1) {
        if (e & 1) result *= base;
        base *= base;
      }
      return static_cast<T>(result);
    } else {
      return std::pow(a, b);
    }
  }
};
// NaN propagates; between equal values (+0 and -0) the second operand wins, as NumPy's.
struct Maximum : BinaryFn {
  static constexpr bool kFusable = true;
  template <class T>
  XAG_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kIsBool<T>)
      return a || b;
    else if constexpr (kIsInt<T>)
      return a > b ? a : b;
    else
      return (a > b || a != a) ? a : b;
  }
};
struct Minimum : BinaryFn {
  static constexpr bool kFusable = true;
  template <class T>
  XAG_HOST_DEVICE T operator()(T a, T b) const {
    if constexpr (kIsBool<T>)
      return a && b;
    else if constexpr (kIsInt<T>)
      return a < b ? a : b;
    else
      return (a < b || a != a) ? a : b;
  }
};

// Comparisons: IEEE (NaN is unequal to everything, itself included).
#define XAG_COMPARE_FN(Name, expr)                    \
  struct Name : BinaryFn {                            \
    template <class T>                                \
    XAG_HOST_DEVICE bool operator()(T a, T b) const { \
      return expr;                                    \
    }                                                 \
  };
XAG_COMPARE_FN(Equal, a == b)
XAG_COMPARE_FN(NotEqual, a != b)
XAG_COMPARE_FN(Less, a < b)
XAG_COMPARE_FN(LessEqual, a <= b)
XAG_COMPARE_FN(Greater, a > b)
XAG_COMPARE_FN(GreaterEqual, a >= b)
#undef XAG_COMPARE_FN

// Logical ops compute on bools (operands converted by truthiness); bools are 0 or 1, so the
// bitwise forms are the logical ones without a branch. Bitwise ops take bools and ints.
#define XAG_BITWISE_FN(Name, op)                   \
  struct Name : BinaryFn {                         \
    template <class T>                             \
    XAG_HOST_DEVICE T operator()(T a, T b) const { \
      return static_cast<T>(a op b);               \
    }                                              \
  };
XAG_BITWISE_FN(LogicalAnd, &)
XAG_BITWISE_FN(LogicalOr, |)
XAG_BITWISE_FN(LogicalXor, ^)
XAG_BITWISE_FN(BitwiseAnd, &)
XAG_BITWISE_FN(BitwiseOr, |)
XAG_BITWISE_FN(BitwiseXor, ^)
#undef XAG_BITWISE_FN

// Truthiness of any dtype (NaN is true, as in Python).
struct LogicalNot : UnaryFn {
  template <class T>
  XAG_HOST_DEVICE bool operator()(T x) const {
    return !(x != T(0));
  }
};
// ~ : bitwise complement of ints, `not` of bools (NumPy).
struct BitwiseNot : UnaryFn {
  template <class T>
  XAG_HOST_DEVICE T operator()(T x) const {
    if constexpr (kIsBool<T>)
      return !x;
    else
      return static_cast<T>(~x);
  }
};

}  // namespace xag::rt::math
