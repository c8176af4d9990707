// Element-wise binary kernels with NumPy broadcasting: arithmetic, comparisons, logical and
// bitwise ops, one generic loop around each op's functor (runtime/ops/scalar_math.h). Operands
// are converted to the compute dtype first (dtype_rules.h); each op and dtype gets its own loop
// instantiation, so the functor inlines and the inner loops vectorize.
#include <type_traits>

#include "runtime/cpu/kernels.h"
#include "runtime/cpu/loops.h"
#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/elementwise.h"

namespace xag::rt::cpu {

namespace {

using math::FaultFlag;

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

// z = E's functor on a and b (both of compute dtype ct) into out.
template <class E>
void binary_op(DType ct, const Tensor& a, const Tensor& b, Tensor& out, FaultFlag fault) {
  using F = typename E::Fn;
  dispatch_dtype(ct, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (E::template kComputes<T>) {
      using R = decltype(math::call(F{}, fault, T{}, T{}));
      apply<T, R>(a, b, out, [fault](T x, T y) { return math::call(F{}, fault, x, y); });
    }
  });
}

[[noreturn]] void raise_fault(OpKind op, int fault, DType ct, const Tensor& a, const Tensor& b) {
  const std::string operands = std::string(" (") + dtype_name(ct) + " operands of shapes " +
                               a.shape().to_string() + " and " + b.shape().to_string() + ")";
  switch (fault) {
    case math::kDivByZero:
      op_error(op, "integer division by zero" + operands);
    case math::kModByZero:
      op_error(op, "integer modulo by zero" + operands);
    default:
      op_error(op, "integers to negative integer powers are not allowed" + operands +
                       "; cast the base to a float dtype");
  }
}

}  // namespace

bool binary_scalar(OpKind op, const Tensor& a, const Tensor& b, Tensor& out) {
  const DType dt = a.dtype();
  if (dt != b.dtype() || a.rank() != 0 || b.rank() != 0 || dt == DType::String) return false;
  const OpCategory cat = op_category(op);
  if (cat != OpCategory::Binary && cat != OpCategory::Compare) return false;
  // Bool arithmetic and int truediv change dtype or raise: general path.
  if (cat == OpCategory::Binary && dt == DType::Bool) return false;
  bool done = false;
  visit_elementwise(op, [&](auto e) {
    using E = decltype(e);
    using F = typename E::Fn;
    dispatch_dtype(dt, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (E::template kComputes<T> && F::kArity == 2) {
        int fault = math::kNoFault;
        const auto r = math::call(F{}, FaultFlag{&fault}, *static_cast<const T*>(a.raw_data()),
                                  *static_cast<const T*>(b.raw_data()));
        if (fault != math::kNoFault) return;  // the general path raises
        out.set_scalar(r);
        done = true;
      }
    });
  });
  return done;
}

void binary(OpKind op, const Tensor& a0, const Tensor& b0, Tensor& out) {
  const DType ct = compute_dtype(op, a0.dtype(), b0.dtype());
  // Conversions are no-ops (shared handles) when the dtype already matches.
  const Tensor a = a0.cast(ct), b = b0.cast(ct);
  int fault = math::kNoFault;
  const bool found = visit_elementwise(op, [&](auto e) {
    using E = decltype(e);
    if constexpr (E::Fn::kArity == 2) binary_op<E>(ct, a, b, out, FaultFlag{&fault});
  });
  if (!found || op_arity(op) != 2) {
    throw InternalError(std::string("binary: not a binary element-wise op: ") + op_name(op));
  }
  if (fault != math::kNoFault) raise_fault(op, fault, ct, a0, b0);
}

}  // namespace xag::rt::cpu
