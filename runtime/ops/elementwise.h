// Compile-time access to the element-wise rows of op_kinds.def: visit_elementwise() turns a
// runtime OpKind into its functor type (scalar_math.h) and dtype rule, so each consumer writes
// its loop once as a generic lambda and gets one instantiation per op.
#pragma once

#include <optional>

#include "runtime/core/dtype.h"
#include "runtime/ops/ops.h"
#include "runtime/ops/scalar_math.h"

#if defined(__GNUC__)
#define XAG_VISIT_INLINE inline __attribute__((always_inline))
#else
#define XAG_VISIT_INLINE inline
#endif

namespace xag::rt {

// Whether an element-wise op with dtype rule `r` runs its functor on elements of dtype `t`
// (t is then a possible compute dtype). Loops instantiate functors only for these dtypes.
constexpr bool computes_in(DTypeRule r, DType t) noexcept {
  const bool is_bool = t == DType::Bool;
  switch (r) {
    case DTypeRule::Same:
    case DTypeRule::Promote:
    case DTypeRule::Compare:
    case DTypeRule::Truth:
      return true;
    case DTypeRule::NoBool:
    case DTypeRule::BoolAsInt:
    case DTypeRule::BoolAsFloat:
    case DTypeRule::PromoteNoBool:
    case DTypeRule::PromoteBoolAsInt:
      return !is_bool;
    case DTypeRule::Float:
    case DTypeRule::PromoteFloat:
      return is_floating(t);
    case DTypeRule::Logical:
      return is_bool;
    case DTypeRule::Bitwise:
      return !is_floating(t);
    default:
      return false;
  }
}

// One element-wise row as a type: its OpKind, dtype rule and functor.
template <OpKind K, DTypeRule R, class F>
struct Elementwise {
  static constexpr OpKind kOp = K;
  static constexpr DTypeRule kRule = R;
  using Fn = F;
  template <class T>
  static constexpr bool kComputes = computes_in(R, dtype_of<T>);
};

// Calls visitor(Elementwise<...>{}) when `op` is element-wise and returns true; returns false
// for every other op. A Unary/Binary/Compare/Logical row without a functor is a compile error.
// Always inlined: the visitor's loops must be compiled for the caller's ISA (the fused
// evaluator has an AVX2 clone), and the switch is what callers would write by hand.
template <class Visitor>
XAG_VISIT_INLINE bool visit_elementwise(OpKind op, Visitor&& visitor) {
  switch (op) {
#define XAG_VISIT_ROW(name, rule)                                      \
  case OpKind::name:                                                   \
    visitor(Elementwise<OpKind::name, DTypeRule::rule, math::name>{}); \
    return true;
#define XAG_VISIT_NONE(name, rule)
#define XAG_VISIT_Unary XAG_VISIT_ROW
#define XAG_VISIT_Binary XAG_VISIT_ROW
#define XAG_VISIT_Compare XAG_VISIT_ROW
#define XAG_VISIT_Logical XAG_VISIT_ROW
#define XAG_VISIT_Select XAG_VISIT_NONE
#define XAG_VISIT_Reduce XAG_VISIT_NONE
#define XAG_VISIT_Linalg XAG_VISIT_NONE
#define XAG_VISIT_Shape XAG_VISIT_NONE
#define XAG_VISIT_Construct XAG_VISIT_NONE
#define XAG_VISIT_Random XAG_VISIT_NONE
#define XAG_VISIT_Nn XAG_VISIT_NONE
#define XAG_VISIT_Misc XAG_VISIT_NONE
#define XAG_OP_ROW(name, py_name, arity, category, dtype_rule, shape_rule, gradient) \
  XAG_VISIT_##category(name, dtype_rule)
#include "runtime/ops/op_kinds.def"
#undef XAG_OP_ROW
#undef XAG_VISIT_ROW
#undef XAG_VISIT_NONE
#undef XAG_VISIT_Unary
#undef XAG_VISIT_Binary
#undef XAG_VISIT_Compare
#undef XAG_VISIT_Logical
#undef XAG_VISIT_Select
#undef XAG_VISIT_Reduce
#undef XAG_VISIT_Linalg
#undef XAG_VISIT_Shape
#undef XAG_VISIT_Construct
#undef XAG_VISIT_Random
#undef XAG_VISIT_Nn
#undef XAG_VISIT_Misc
    default:
      return false;
  }
}

// An element-wise functor's traits at run time (see scalar_math.h).
struct ElementwiseTraits {
  int arity;
  bool fusable;
  bool array_math;
  bool can_fault;
  const char* bool_error;  // null unless the dtype rule rejects bools
};

// The traits of `op`'s functor; nullopt for ops that are not element-wise.
inline std::optional<ElementwiseTraits> elementwise_traits(OpKind op) {
  std::optional<ElementwiseTraits> t;
  visit_elementwise(op, [&](auto e) {
    using F = typename decltype(e)::Fn;
    t = ElementwiseTraits{F::kArity, F::kFusable, F::kArrayMath, F::kCanFault, F::kBoolError};
  });
  return t;
}

}  // namespace xag::rt
