// The scalar fast path: 0-d int/float/bool ops computed straight on the slots' inline bytes,
// bypassing run()'s inference and dispatch. Semantics match the CPU kernels (ints wrap, Python
// floor division and modulo); anything unusual (division by zero) goes through the generic op,
// which raises its canonical error.
#include <cmath>
#include <type_traits>

#include "runtime/core/convert.h"
#include "runtime/exec/program.h"

namespace xag::rt::exec {

namespace {

template <class T>
inline T& R(char* base, int32_t i) {
  return scalar_at<T>(base, i);
}

template <class T>
constexpr bool kInt = std::is_integral_v<T> && !std::is_same_v<T, bool>;

template <class T>
using Wide = std::make_unsigned_t<std::conditional_t<kInt<T>, T, int>>;

// Runs the op generically: used where the fast path hits an error case, so the user sees the
// kernels' own message.
[[noreturn]] void fault(char* base, const Instr& in) {
  const Tensor* t = reinterpret_cast<const Tensor*>(base - kInlineOffset);
  std::vector<Tensor> args;
  for (int32_t s : in.ins) args.push_back(t[s]);
  run(in.op, args.data(), args.size(), OpAttrs{});
  throw InternalError(std::string("scalar fast path: ") + op_name(in.op) + " did not fail");
}

// ---- arithmetic, one functor per op ----
struct AddF {
  template <class T>
  static T ap(T a, T b) {
    if constexpr (kInt<T>)
      return static_cast<T>(Wide<T>(a) + Wide<T>(b));
    else
      return a + b;
  }
};
struct SubF {
  template <class T>
  static T ap(T a, T b) {
    if constexpr (kInt<T>)
      return static_cast<T>(Wide<T>(a) - Wide<T>(b));
    else
      return a - b;
  }
};
struct MulF {
  template <class T>
  static T ap(T a, T b) {
    if constexpr (kInt<T>)
      return static_cast<T>(Wide<T>(a) * Wide<T>(b));
    else
      return a * b;
  }
};
struct MaxF {
  template <class T>
  static T ap(T a, T b) {
    if constexpr (!kInt<T>) {
      if (a != a) return a;  // NaN propagates
      if (b != b) return b;
    }
    return a < b ? b : a;
  }
};
struct MinF {
  template <class T>
  static T ap(T a, T b) {
    if constexpr (!kInt<T>) {
      if (a != a) return a;
      if (b != b) return b;
    }
    return b < a ? b : a;
  }
};
struct TrueDivF {
  template <class T>
  static T ap(T a, T b) {
    return a / b;
  }
};

template <class T, class F>
void bin(char* t, const Instr& in) {
  R<T>(t, in.out) = F::template ap<T>(R<T>(t, in.a), R<T>(t, in.b));
}

// Python floor division and modulo on ints; b == 0 takes the generic path (it raises).
template <class T>
void floordiv_int(char* t, const Instr& in) {
  const T a = R<T>(t, in.a), b = R<T>(t, in.b);
  if (b == 0) fault(t, in);
  T q;
  if (b == -1) {
    q = static_cast<T>(Wide<T>(0) - Wide<T>(a));  // INT_MIN // -1 wraps
  } else {
    q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  }
  R<T>(t, in.out) = q;
}

// Python floor division / modulo by a constant power of two 2^k: an arithmetic shift and a mask
// (both floor toward negative infinity, as Python does). The shift count is in Instr::c.
template <class T>
void floordiv_pow2(char* t, const Instr& in) {
  R<T>(t, in.out) = static_cast<T>(R<T>(t, in.a) >> in.c);
}
template <class T>
void mod_pow2(char* t, const Instr& in) {
  R<T>(t, in.out) = static_cast<T>(R<T>(t, in.a) & static_cast<T>((T(1) << in.c) - 1));
}

template <class T>
void mod_int(char* t, const Instr& in) {
  const T a = R<T>(t, in.a), b = R<T>(t, in.b);
  if (b == 0) fault(t, in);
  T r = 0;
  if (b != -1) {
    r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(Wide<T>(r) + Wide<T>(b));
  }
  R<T>(t, in.out) = r;
}

// ---- comparisons and logic ----
// a K b for one of the six comparison ops (shared by the same-dtype and mixed-dtype kernels).
template <OpKind K, class T>
bool compare(T a, T b) {
  if constexpr (K == OpKind::Equal)
    return a == b;
  else if constexpr (K == OpKind::NotEqual)
    return a != b;
  else if constexpr (K == OpKind::Less)
    return a < b;
  else if constexpr (K == OpKind::LessEqual)
    return a <= b;
  else if constexpr (K == OpKind::Greater)
    return a > b;
  else
    return a >= b;
}

template <class T, OpKind K>
void cmp(char* t, const Instr& in) {
  R<bool>(t, in.out) = compare<K>(R<T>(t, in.a), R<T>(t, in.b));
}

template <OpKind K>
void logic(char* t, const Instr& in) {
  const bool a = R<bool>(t, in.a), b = R<bool>(t, in.b);
  R<bool>(t, in.out) = K == OpKind::LogicalAnd  ? (a && b)
                       : K == OpKind::LogicalOr ? (a || b)
                                                : (a != b);
}

void logical_not(char* t, const Instr& in) {
  R<bool>(t, in.out) = !R<bool>(t, in.a);
}

// ---- unary ----
template <class T>
void neg(char* t, const Instr& in) {
  if constexpr (kInt<T>)
    R<T>(t, in.out) = static_cast<T>(Wide<T>(0) - Wide<T>(R<T>(t, in.a)));
  else
    R<T>(t, in.out) = -R<T>(t, in.a);
}
template <class T>
void abs_(char* t, const Instr& in) {
  const T a = R<T>(t, in.a);
  if constexpr (kInt<T>)
    R<T>(t, in.out) = a < 0 ? static_cast<T>(Wide<T>(0) - Wide<T>(a)) : a;
  else
    R<T>(t, in.out) = std::fabs(a);
}
template <class T>
void square(char* t, const Instr& in) {
  const T a = R<T>(t, in.a);
  R<T>(t, in.out) = MulF::ap<T>(a, a);
}
template <class T>
void identity(char* t, const Instr& in) {
  R<T>(t, in.out) = R<T>(t, in.a);
}
template <class From, class To>
void cast(char* t, const Instr& in) {
  R<To>(t, in.out) = convert<To>(R<From>(t, in.a));
}
template <class T>
void where(char* t, const Instr& in) {
  R<T>(t, in.out) = R<bool>(t, in.a) ? R<T>(t, in.b) : R<T>(t, in.c);
}

// x[i] for a vector x and an int scalar i (b >= 0: slot of i; else the constant in c): the hot
// op of loops that walk a tensor one element per iteration.
template <class T, class I>
void getitem_vec(char* t, const Instr& in) {
  const Tensor& x = reinterpret_cast<const Tensor*>(t - kInlineOffset)[in.a];
  const int64_t n = x.num_elements();
  const int64_t i0 = in.b >= 0 ? static_cast<int64_t>(R<I>(t, in.b)) : in.c;
  const int64_t i = i0 < 0 ? i0 + n : i0;
  if (i < 0 || i >= n) {
    throw InvalidArgumentError("getitem: index " + std::to_string(i0) +
                               " is out of bounds for axis 0 with size " + std::to_string(n));
  }
  if (!x.on_host()) {  // a graph placed on a device: the element is copied to the host
    R<T>(t, in.out) = x.view(Shape{}, i).item<T>();
    return;
  }
  R<T>(t, in.out) = static_cast<const T*>(x.raw_data())[i];
}

// Operands of different dtypes: both converted to the promoted dtype T first (NumPy rules, as
// the kernels do), then the same-dtype functor.
template <class A, class B, class T, class F>
void bin_mixed(char* t, const Instr& in) {
  R<T>(t, in.out) = F::template ap<T>(static_cast<T>(R<A>(t, in.a)), static_cast<T>(R<B>(t, in.b)));
}
template <class A, class B, class T, OpKind K>
void cmp_mixed(char* t, const Instr& in) {
  R<bool>(t, in.out) = compare<K>(static_cast<T>(R<A>(t, in.a)), static_cast<T>(R<B>(t, in.b)));
}

template <class A, class B, class T>
ScalarFn pick_mixed(OpKind op) {
  switch (op) {
    case OpKind::Add:
      return bin_mixed<A, B, T, AddF>;
    case OpKind::Sub:
      return bin_mixed<A, B, T, SubF>;
    case OpKind::Mul:
      return bin_mixed<A, B, T, MulF>;
    case OpKind::Maximum:
      return bin_mixed<A, B, T, MaxF>;
    case OpKind::Minimum:
      return bin_mixed<A, B, T, MinF>;
    case OpKind::TrueDiv:
      if constexpr (!kInt<T>) return bin_mixed<A, B, T, TrueDivF>;
      return nullptr;
    case OpKind::Equal:
      return cmp_mixed<A, B, T, OpKind::Equal>;
    case OpKind::NotEqual:
      return cmp_mixed<A, B, T, OpKind::NotEqual>;
    case OpKind::Less:
      return cmp_mixed<A, B, T, OpKind::Less>;
    case OpKind::LessEqual:
      return cmp_mixed<A, B, T, OpKind::LessEqual>;
    case OpKind::Greater:
      return cmp_mixed<A, B, T, OpKind::Greater>;
    case OpKind::GreaterEqual:
      return cmp_mixed<A, B, T, OpKind::GreaterEqual>;
    default:
      return nullptr;  // floordiv/mod/pow of mixed dtypes: generic path
  }
}

template <class T>
ScalarFn pick_binary(OpKind op) {
  switch (op) {
    case OpKind::Add:
      return bin<T, AddF>;
    case OpKind::Sub:
      return bin<T, SubF>;
    case OpKind::Mul:
      return bin<T, MulF>;
    case OpKind::Maximum:
      return bin<T, MaxF>;
    case OpKind::Minimum:
      return bin<T, MinF>;
    case OpKind::TrueDiv:
      if constexpr (!kInt<T>) return bin<T, TrueDivF>;
      return nullptr;
    case OpKind::FloorDiv:
      if constexpr (kInt<T>) return floordiv_int<T>;
      return nullptr;  // float floor division has NumPy's subtle rounding: generic path
    case OpKind::Mod:
      if constexpr (kInt<T>) return mod_int<T>;
      return nullptr;
    case OpKind::Equal:
      return cmp<T, OpKind::Equal>;
    case OpKind::NotEqual:
      return cmp<T, OpKind::NotEqual>;
    case OpKind::Less:
      return cmp<T, OpKind::Less>;
    case OpKind::LessEqual:
      return cmp<T, OpKind::LessEqual>;
    case OpKind::Greater:
      return cmp<T, OpKind::Greater>;
    case OpKind::GreaterEqual:
      return cmp<T, OpKind::GreaterEqual>;
    default:
      return nullptr;
  }
}

template <class T>
ScalarFn pick_unary(OpKind op) {
  switch (op) {
    case OpKind::Neg:
      return neg<T>;
    case OpKind::Abs:
      return abs_<T>;
    case OpKind::Square:
      return square<T>;
    default:
      return nullptr;
  }
}

template <class From>
ScalarFn pick_cast(DType to) {
  return dispatch_dtype(to, [](auto tag) -> ScalarFn {
    using To = decltype(tag);
    // Float -> int casts have range checks (convert<> handles them), still cheap.
    return cast<From, To>;
  });
}

// log2 of a positive power-of-two integer constant, or -1.
int pow2_shift(const Tensor* rhs) {
  if (!rhs || rhs->rank() != 0 || !is_integer(rhs->dtype())) return -1;
  const int64_t v = rhs->item<int64_t>();
  if (v <= 0 || (v & (v - 1)) != 0) return -1;
  int k = 0;
  while ((int64_t{1} << k) != v) ++k;
  return k;
}

}  // namespace

int scalar_shift_of(OpKind op, const std::vector<DType>& in, DType out, const Tensor* rhs) {
  if ((op != OpKind::FloorDiv && op != OpKind::Mod) || in.size() != 2 || in[0] != in[1] ||
      in[0] != out || !is_integer(out)) {
    return -1;
  }
  return pow2_shift(rhs);
}

ScalarFn pick_getitem_fn(DType x, DType index, bool constant_index) {
  return dispatch_dtype(x, [&](auto tag) -> ScalarFn {
    using T = decltype(tag);
    if (constant_index || index == DType::Int32) return getitem_vec<T, int32_t>;
    if (index == DType::Int64) return getitem_vec<T, int64_t>;
    return nullptr;
  });
}

ScalarFn pick_scalar_fn(OpKind op, const std::vector<DType>& in, DType out, const Tensor* rhs) {
  if (scalar_shift_of(op, in, out, rhs) >= 0) {
    const bool div = op == OpKind::FloorDiv;
    if (out == DType::Int32) return div ? floordiv_pow2<int32_t> : mod_pow2<int32_t>;
    return div ? floordiv_pow2<int64_t> : mod_pow2<int64_t>;
  }
  if (op == OpKind::Identity && in.size() == 1 && in[0] == out) {
    return dispatch_dtype(out, [](auto tag) -> ScalarFn { return identity<decltype(tag)>; });
  }
  if (op == OpKind::Cast && in.size() == 1) {
    return dispatch_dtype(in[0],
                          [&](auto tag) -> ScalarFn { return pick_cast<decltype(tag)>(out); });
  }
  if (op == OpKind::LogicalNot && in.size() == 1 && in[0] == DType::Bool) return logical_not;
  if (in.size() == 2 && in[0] == DType::Bool && in[1] == DType::Bool && out == DType::Bool) {
    switch (op) {
      case OpKind::LogicalAnd:
      case OpKind::BitwiseAnd:
        return logic<OpKind::LogicalAnd>;
      case OpKind::LogicalOr:
      case OpKind::BitwiseOr:
        return logic<OpKind::LogicalOr>;
      case OpKind::LogicalXor:
      case OpKind::BitwiseXor:
      case OpKind::NotEqual:
        return logic<OpKind::LogicalXor>;
      case OpKind::Equal:
        return cmp<bool, OpKind::Equal>;
      default:
        return nullptr;
    }
  }
  if (op == OpKind::Where && in.size() == 3 && in[0] == DType::Bool && in[1] == out &&
      in[2] == out) {
    return dispatch_dtype(out, [](auto tag) -> ScalarFn { return where<decltype(tag)>; });
  }
  if (in.empty() || in[0] == DType::Bool) return nullptr;
  if (in.size() == 1 && out == in[0] && op_category(op) == OpCategory::Unary) {
    return dispatch_dtype(out, [&](auto tag) -> ScalarFn {
      using T = decltype(tag);
      if constexpr (std::is_same_v<T, bool>)
        return nullptr;
      else
        return pick_unary<T>(op);
    });
  }
  if (in.size() == 2 && in[0] != in[1]) {
    const DType pt = promote(in[0], in[1]);
    const OpCategory cat = op_category(op);
    if (!((cat == OpCategory::Compare && out == DType::Bool) ||
          (cat == OpCategory::Binary && out == pt)) ||
        in[1] == DType::Bool) {
      return nullptr;
    }
    return dispatch_dtype(in[0], [&](auto ta) -> ScalarFn {
      using A = decltype(ta);
      return dispatch_dtype(in[1], [&](auto tb) -> ScalarFn {
        using B = decltype(tb);
        return dispatch_dtype(pt, [&](auto tt) -> ScalarFn {
          using T = decltype(tt);
          if constexpr (std::is_same_v<A, bool> || std::is_same_v<B, bool> ||
                        std::is_same_v<T, bool>) {
            return nullptr;
          } else {
            return pick_mixed<A, B, T>(op);
          }
        });
      });
    });
  }
  if (in.size() == 2 && in[0] == in[1]) {
    const OpCategory cat = op_category(op);
    const bool cmp_ok = cat == OpCategory::Compare && out == DType::Bool;
    const bool bin_ok = cat == OpCategory::Binary && out == in[0];
    if (!cmp_ok && !bin_ok) return nullptr;
    return dispatch_dtype(in[0], [&](auto tag) -> ScalarFn {
      using T = decltype(tag);
      if constexpr (std::is_same_v<T, bool>)
        return nullptr;
      else
        return pick_binary<T>(op);
    });
  }
  return nullptr;
}

}  // namespace xag::rt::exec
