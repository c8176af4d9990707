// The scalar fast path: 0-d int/float/bool ops computed straight on the slots' inline bytes,
// bypassing run()'s inference and dispatch. Element-wise ops run the same functors as the CPU
// kernels (runtime/ops/scalar_math.h); anything unusual (division by zero) goes through the
// generic op, which raises its canonical error.
#include <type_traits>

#include "runtime/core/convert.h"
#include "runtime/exec/program.h"
#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/elementwise.h"

namespace xag::rt::exec {

namespace {

template <class T>
inline T& R(char* base, int32_t i) {
  return scalar_at<T>(base, i);
}

// Runs the op generically: used where the fast path hits an error case, so the user sees the
// kernels' own message.
[[noreturn]] void fault(char* base, const Instr& in) {
  const Tensor* t = reinterpret_cast<const Tensor*>(base - kInlineOffset);
  std::vector<Tensor> args;
  for (int32_t s : in.ins) args.push_back(t[s]);
  run(in.op, args.data(), args.size(), OpAttrs{});
  throw InternalError(std::string("scalar fast path: ") + op_name(in.op) + " did not fail");
}

// ---- element-wise ops: the functors of runtime/ops/scalar_math.h on inline scalars ----
// t[out] = F(t[a], t[b]); a functor's fault (integer division by zero, negative power) takes
// the generic path, which raises the kernels' error.
template <class T, class F>
void bin(char* t, const Instr& in) {
  if constexpr (F::kCanFault) {
    int f = math::kNoFault;
    const T r = F{}(R<T>(t, in.a), R<T>(t, in.b), math::FaultFlag{&f});
    if (f != math::kNoFault) fault(t, in);
    R<T>(t, in.out) = r;
  } else {
    R<decltype(F{}(T{}, T{}))>(t, in.out) = F{}(R<T>(t, in.a), R<T>(t, in.b));
  }
}
template <class T, class F>
void un(char* t, const Instr& in) {
  R<decltype(F{}(T{}))>(t, in.out) = F{}(R<T>(t, in.a));
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

// ---- data movement ----
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
  const T a = static_cast<T>(R<A>(t, in.a)), b = static_cast<T>(R<B>(t, in.b));
  if constexpr (F::kCanFault) {
    int f = math::kNoFault;
    const T r = F{}(a, b, math::FaultFlag{&f});
    if (f != math::kNoFault) fault(t, in);
    R<T>(t, in.out) = r;
  } else {
    R<decltype(F{}(a, b))>(t, in.out) = F{}(a, b);
  }
}

// The scalar function of element-wise op `op` whose operands of dtypes A and B compute in T
// (T is A and B's promoted dtype and the op computes in it), or null.
template <class A, class B, class T>
ScalarFn pick_elementwise(OpKind op) {
  ScalarFn fn = nullptr;
  visit_elementwise(op, [&](auto e) {
    using E = decltype(e);
    using F = typename E::Fn;
    if constexpr (E::template kComputes<T>) {
      if constexpr (F::kArity == 1 && std::is_same_v<A, T>)
        fn = un<T, F>;
      else if constexpr (F::kArity == 2 && std::is_same_v<A, T> && std::is_same_v<B, T>)
        fn = bin<T, F>;
      else if constexpr (F::kArity == 2)
        fn = bin_mixed<A, B, T, F>;
    }
  });
  return fn;
}

// An element-wise op on 0-d operands whose dtypes promote to the op's compute dtype (no other
// conversion: int truediv, bool floordiv and logical ops on non-bools take the generic path).
ScalarFn pick_elementwise_fn(OpKind op, const std::vector<DType>& in, DType out) {
  if (!is_elementwise(op_category(op)) || in.empty() || in.size() > 2 ||
      static_cast<int>(in.size()) != op_arity(op)) {
    return nullptr;
  }
  const DType pt = promote(in[0], in.back());
  const TensorSpec specs[2] = {{in[0], Shape{}}, {in.back(), Shape{}}};
  if (compute_dtype(op, in[0], in.back()) != pt ||
      result_dtype(op, specs, in.size(), OpAttrs{}) != out) {
    return nullptr;
  }
  return dispatch_dtype(in[0], [&](auto ta) -> ScalarFn {
    using A = decltype(ta);
    return dispatch_dtype(in.back(), [&](auto tb) -> ScalarFn {
      using B = decltype(tb);
      using T = cpp_type_t<promote(dtype_of<A>, dtype_of<B>)>;
      return pick_elementwise<A, B, T>(op);
    });
  });
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
  if (x == DType::String) return nullptr;  // string elements: the generic op path
  return dispatch_dtype(x, [&](auto tag) -> ScalarFn {
    using T = decltype(tag);
    if (constant_index || index == DType::Int32) return getitem_vec<T, int32_t>;
    if (index == DType::Int64) return getitem_vec<T, int64_t>;
    return nullptr;
  });
}

ScalarFn pick_scalar_fn(OpKind op, const std::vector<DType>& in, DType out, const Tensor* rhs) {
  // String ops (and strings through identity, cast, where) take the generic op path.
  if (out == DType::String) return nullptr;
  for (DType d : in)
    if (d == DType::String) return nullptr;
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
  if (op == OpKind::Where && in.size() == 3 && in[0] == DType::Bool && in[1] == out &&
      in[2] == out) {
    return dispatch_dtype(out, [](auto tag) -> ScalarFn { return where<decltype(tag)>; });
  }
  return pick_elementwise_fn(op, in, out);
}

}  // namespace xag::rt::exec
