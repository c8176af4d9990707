// Element-wise unary kernels: every Unary row and logical_not/invert, one generic loop around
// the op's functor (runtime/ops/scalar_math.h). Operands of another dtype than the compute dtype
// (int -> float64 for exp) are first converted into the output buffer and transformed in place,
// so no temporary is allocated. Functors with an array form (transcendentals) run over blocks
// through Eigen's vectorized functions (array_math.h); the rest are plain loops the compiler
// vectorizes.
#include <type_traits>

#include "runtime/core/convert.h"
#include "runtime/core/parallel.h"
#include "runtime/cpu/array_math.h"
#include "runtime/cpu/kernels.h"
#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/elementwise.h"

namespace xag::rt::cpu {

namespace {

// out[i] = f(in[i]) for i < n, split across the pool when large. `in` may equal `out`.
template <class F, class T, class R>
void map_unary(const F& f, const T* in, R* out, int64_t n) {
  if constexpr (F::kArrayMath && std::is_floating_point_v<T> && std::is_same_v<T, R>) {
    parallel_for(n, kParallelThreshold / 4,
                 [&](int64_t b, int64_t e) { array_map<F, T>(in + b, out + b, e - b); });
  } else {
    parallel_for_balanced(n, kParallelThreshold / 2, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) out[i] = f(in[i]);
    });
  }
}

// Runs element-wise op E on x into out (out has the op's result dtype and x's shape).
template <class E>
void unary_op(const Tensor& x, Tensor& out) {
  using F = typename E::Fn;
  const DType ct = compute_dtype(E::kOp, x.dtype());
  dispatch_dtype(ct, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (E::template kComputes<T>) {
      using R = decltype(F{}(T{}));
      const void* in = x.raw_data();
      if (x.dtype() != ct) {  // convert into the output (which then has dtype ct) first
        convert_buffer(x.dtype(), x.raw_data(), ct, out.raw_data(), x.num_elements());
        in = out.raw_data();
      }
      map_unary(F{}, static_cast<const T*>(in), out.data<R>(), x.num_elements());
    }
  });
}

void unary_any(OpKind op, const Tensor& x, Tensor& out) {
  const bool found = visit_elementwise(op, [&](auto e) {
    using E = decltype(e);
    if constexpr (E::Fn::kArity == 1) unary_op<E>(x, out);
  });
  if (!found || op_arity(op) != 1) {
    throw InternalError(std::string("unary: not a unary element-wise op: ") + op_name(op));
  }
}

}  // namespace

bool unary_scalar(OpKind op, const Tensor& x, const OpAttrs& attrs, Tensor& out) {
  if (x.rank() != 0 || x.dtype() == DType::String) return false;
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
  // Bool operands may need errors or change dtype: the general path.
  if (op_category(op) != OpCategory::Unary || dt == DType::Bool) return false;
  bool done = false;
  visit_elementwise(op, [&](auto e) {
    using E = decltype(e);
    using F = typename E::Fn;
    dispatch_dtype(dt, [&](auto tag) {
      using T = decltype(tag);
      const T v = *static_cast<const T*>(x.raw_data());
      if constexpr (F::kArity != 1) {
        return;
      } else if constexpr (E::template kComputes<T>) {
        out.set_scalar(F{}(v));
        done = true;
      } else if constexpr (E::template kComputes<double> && !std::is_same_v<T, bool>) {
        out.set_scalar(F{}(static_cast<double>(v)));  // ints -> float64
        done = true;
      }
    });
  });
  return done;
}

void unary(OpKind op, const Tensor& x, Tensor& out) {
  unary_any(op, x, out);
}

void logical_unary(OpKind op, const Tensor& x, Tensor& out) {
  unary_any(op, x, out);
}

void cast(const Tensor& x, Tensor& out) {
  convert_buffer(x.dtype(), x.raw_data(), out.dtype(), out.raw_data(), x.num_elements());
}

}  // namespace xag::rt::cpu
