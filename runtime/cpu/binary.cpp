// Element-wise binary kernels with NumPy broadcasting: arithmetic, comparisons, logical and
// bitwise ops. Operands are converted to the compute dtype first (dtype_rules.h); integer
// arithmetic is done in unsigned types so overflow wraps without undefined behaviour.
#include <atomic>
#include <cmath>
#include <type_traits>

#include "runtime/cpu/kernels.h"
#include "runtime/cpu/loops.h"
#include "runtime/ops/dtype_rules.h"

namespace xag::rt::cpu {

namespace {

template <class T>
constexpr bool kIsInt = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// Errors found inside a loop are recorded here (loops may run on pool threads) and raised after.
enum Fault : int { kNoFault = 0, kDivByZero = 1, kNegativePower = 2 };

template <class T>
struct Arith {
  OpKind op;
  std::atomic<int>* fault;

  using U = std::make_unsigned_t<std::conditional_t<kIsInt<T>, T, int>>;

  T floordiv(T a, T b) const {
    if constexpr (kIsInt<T>) {
      if (b == 0) {
        fault->store(kDivByZero, std::memory_order_relaxed);
        return 0;
      }
      if (b == -1) return static_cast<T>(U(0) - U(a));  // INT_MIN // -1 wraps, as in NumPy
      T q = a / b;
      if (a % b != 0 && ((a < 0) != (b < 0))) --q;
      return q;
    } else {
      // NumPy's npy_divmod: floor of the exact quotient, consistent with mod below.
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

  T mod(T a, T b) const {
    if constexpr (kIsInt<T>) {
      if (b == 0) {
        fault->store(kDivByZero, std::memory_order_relaxed);
        return 0;
      }
      if (b == -1) return 0;
      T r = a % b;
      if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(U(r) + U(b));
      return r;
    } else {
      if (b == 0) return std::fmod(a, b);  // NaN
      T m = std::fmod(a, b);
      if (m != 0) {
        if ((b < 0) != (m < 0)) m += b;  // the result takes the divisor's sign
      } else {
        m = std::copysign(T(0), b);
      }
      return m;
    }
  }

  T power(T a, T b) const {
    if constexpr (kIsInt<T>) {
      if (b < 0) {
        fault->store(kNegativePower, std::memory_order_relaxed);
        return 0;
      }
      U base = U(a), result = 1;
      for (auto e = static_cast<std::make_unsigned_t<T>>(b); e; e >>= 1) {
        if (e & 1) result *= base;
        base *= base;
      }
      return static_cast<T>(result);
    } else {
      return std::pow(a, b);
    }
  }

  T operator()(T a, T b) const {
    if constexpr (std::is_same_v<T, bool>) {
      switch (op) {
        case OpKind::Add:
        case OpKind::Maximum:
          return a || b;
        default:  // multiply, minimum
          return a && b;
      }
    } else {
      switch (op) {
        case OpKind::Add:
          if constexpr (kIsInt<T>)
            return static_cast<T>(U(a) + U(b));
          else
            return a + b;
        case OpKind::Sub:
          if constexpr (kIsInt<T>)
            return static_cast<T>(U(a) - U(b));
          else
            return a - b;
        case OpKind::Mul:
          if constexpr (kIsInt<T>)
            return static_cast<T>(U(a) * U(b));
          else
            return a * b;
        case OpKind::TrueDiv:
          return a / b;  // only reached for floats (ints are converted to float64)
        case OpKind::FloorDiv:
          return floordiv(a, b);
        case OpKind::Mod:
          return mod(a, b);
        case OpKind::Pow:
          return power(a, b);
        case OpKind::Maximum:
          if constexpr (kIsInt<T>)
            return a > b ? a : b;
          else
            return (a > b || std::isnan(a)) ? a : b;  // NaN propagates
        case OpKind::Minimum:
          if constexpr (kIsInt<T>)
            return a < b ? a : b;
          else
            return (a < b || std::isnan(a)) ? a : b;
        default:
          return T{};
      }
    }
  }
};

// Runs z = f(x, y) over the broadcast iteration space with vectorizable inner loops.
template <class T, class R, class F>
void apply(const Tensor& a, const Tensor& b, Tensor& out, F f) {
  const T* pa = static_cast<const T*>(a.raw_data());
  const T* pb = static_cast<const T*>(b.raw_data());
  R* po = static_cast<R*>(out.raw_data());
  if (a.shape() == b.shape()) {
    parallel_for_balanced(out.num_elements(), kParallelThreshold / 2, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) po[i] = f(pa[i], pb[i]);
    });
    return;
  }
  const Shape* ins[2] = {&a.shape(), &b.shape()};
  Broadcast<2> bc(out.shape(), ins);
  const int64_t sa = bc.strides[0][bc.rank - 1], sb = bc.strides[1][bc.rank - 1];
  bc.parallel_runs([&](const int64_t* off, int64_t o, int64_t n) {
    const T* x = pa + off[0];
    const T* y = pb + off[1];
    R* z = po + o;
    if (sa && sb) {
      for (int64_t i = 0; i < n; ++i) z[i] = f(x[i], y[i]);
    } else if (sb) {
      const T xv = *x;
      for (int64_t i = 0; i < n; ++i) z[i] = f(xv, y[i]);
    } else if (sa) {
      const T yv = *y;
      for (int64_t i = 0; i < n; ++i) z[i] = f(x[i], yv);
    } else {
      const R v = f(*x, *y);
      for (int64_t i = 0; i < n; ++i) z[i] = v;
    }
  });
}

// The per-op switch sits outside the element loop: each op gets its own loop instantiation.
template <class T>
void arith(OpKind op, const Tensor& a, const Tensor& b, Tensor& out, std::atomic<int>* fault) {
  // Constant op in each lambda instance lets the compiler fold the switch in Arith.
  switch (op) {
#define XAG_CASE(K)                                                                         \
  case OpKind::K:                                                                           \
    apply<T, T>(a, b, out, [fault](T x, T y) { return Arith<T>{OpKind::K, fault}(x, y); }); \
    break;
    XAG_CASE(Add)
    XAG_CASE(Sub)
    XAG_CASE(Mul)
    XAG_CASE(TrueDiv)
    XAG_CASE(FloorDiv)
    XAG_CASE(Mod)
    XAG_CASE(Pow)
    XAG_CASE(Maximum)
    XAG_CASE(Minimum)
#undef XAG_CASE
    default:
      throw InternalError(std::string("binary: not an arithmetic op: ") + op_name(op));
  }
}

template <class T>
void compare(OpKind op, const Tensor& a, const Tensor& b, Tensor& out) {
  switch (op) {
    case OpKind::Equal:
      return apply<T, bool>(a, b, out, [](T x, T y) { return x == y; });
    case OpKind::NotEqual:
      return apply<T, bool>(a, b, out, [](T x, T y) { return x != y; });
    case OpKind::Less:
      return apply<T, bool>(a, b, out, [](T x, T y) { return x < y; });
    case OpKind::LessEqual:
      return apply<T, bool>(a, b, out, [](T x, T y) { return x <= y; });
    case OpKind::Greater:
      return apply<T, bool>(a, b, out, [](T x, T y) { return x > y; });
    case OpKind::GreaterEqual:
      return apply<T, bool>(a, b, out, [](T x, T y) { return x >= y; });
    default:
      break;
  }
}

template <class T>
void bitwise(OpKind op, const Tensor& a, const Tensor& b, Tensor& out) {
  if constexpr (std::is_integral_v<T>) {
    switch (op) {
      case OpKind::BitwiseAnd:
      case OpKind::LogicalAnd:
        return apply<T, T>(a, b, out, [](T x, T y) { return static_cast<T>(x & y); });
      case OpKind::BitwiseOr:
      case OpKind::LogicalOr:
        return apply<T, T>(a, b, out, [](T x, T y) { return static_cast<T>(x | y); });
      case OpKind::BitwiseXor:
      case OpKind::LogicalXor:
        return apply<T, T>(a, b, out, [](T x, T y) { return static_cast<T>(x ^ y); });
      default:
        break;
    }
  }
}

template <class T>
bool scalar_op(OpKind op, T x, T y, Tensor& out) {
  switch (op_category(op)) {
    case OpCategory::Compare: {
      bool r;
      switch (op) {
        case OpKind::Equal:
          r = x == y;
          break;
        case OpKind::NotEqual:
          r = x != y;
          break;
        case OpKind::Less:
          r = x < y;
          break;
        case OpKind::LessEqual:
          r = x <= y;
          break;
        case OpKind::Greater:
          r = x > y;
          break;
        default:
          r = x >= y;
          break;
      }
      out.set_scalar(r);
      return true;
    }
    case OpCategory::Binary: {
      std::atomic<int> fault{kNoFault};
      const T r = Arith<T>{op, &fault}(x, y);
      if (fault.load(std::memory_order_relaxed) != kNoFault) return false;  // general path raises
      out.set_scalar(r);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

bool binary_scalar(OpKind op, const Tensor& a, const Tensor& b, Tensor& out) {
  const DType dt = a.dtype();
  if (dt != b.dtype() || a.rank() != 0 || b.rank() != 0) return false;
  const OpCategory cat = op_category(op);
  if (cat != OpCategory::Binary && cat != OpCategory::Compare) return false;
  if (cat == OpCategory::Binary &&
      (dt == DType::Bool || (op == OpKind::TrueDiv && !is_floating(dt))))
    return false;  // those change dtype or raise: general path
  return dispatch_dtype(dt, [&](auto tag) {
    using T = decltype(tag);
    return scalar_op<T>(op, *static_cast<const T*>(a.raw_data()),
                        *static_cast<const T*>(b.raw_data()), out);
  });
}

void binary(OpKind op, const Tensor& a0, const Tensor& b0, Tensor& out) {
  const DType ct = binary_compute_dtype(op, a0.dtype(), b0.dtype());
  // Conversions are no-ops (shared handles) when the dtype already matches.
  const Tensor a = a0.cast(ct), b = b0.cast(ct);
  const OpCategory cat = op_category(op);
  std::atomic<int> fault{kNoFault};
  dispatch_dtype(ct, [&](auto tag) {
    using T = decltype(tag);
    if (cat == OpCategory::Compare)
      compare<T>(op, a, b, out);
    else if (cat == OpCategory::Logical)
      bitwise<T>(op, a, b, out);
    else
      arith<T>(op, a, b, out, &fault);
  });
  if (const int f = fault.load()) {
    const std::string operands = std::string(" (") + dtype_name(ct) + " operands of shapes " +
                                 a0.shape().to_string() + " and " + b0.shape().to_string() + ")";
    if (f == kDivByZero) {
      op_error(op, std::string(op == OpKind::Mod ? "integer modulo by zero"
                                                 : "integer division by zero") +
                       operands);
    }
    op_error(op, "integers to negative integer powers are not allowed" + operands +
                     "; cast the base to a float dtype");
  }
}

}  // namespace xag::rt::cpu
