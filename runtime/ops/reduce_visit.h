// Compile-time access to the Reduce rows of op_kinds.def: visit_reduce() turns a runtime OpKind
// into its functor type (reduce_math.h), as visit_elementwise does for element-wise rows.
#pragma once

#include "runtime/ops/elementwise.h"
#include "runtime/ops/ops.h"
#include "runtime/ops/reduce_math.h"

namespace xag::rt {

// One Reduce row as a type: its OpKind and functor.
template <OpKind K, class F>
struct Reduction {
  static constexpr OpKind kOp = K;
  using Fn = F;
};

// Calls visitor(Reduction<...>{}) when `op` is a Reduce row and returns true; returns false for
// every other op. A Reduce row without a functor is a compile error.
template <class Visitor>
XAG_VISIT_INLINE bool visit_reduce(OpKind op, Visitor&& visitor) {
  switch (op) {
#define XAG_VISIT_ROW(name)                         \
  case OpKind::name:                                \
    visitor(Reduction<OpKind::name, math::name>{}); \
    return true;
#define XAG_VISIT_Reduce(name) XAG_VISIT_ROW(name)
#define XAG_VISIT_Unary(name)
#define XAG_VISIT_Binary(name)
#define XAG_VISIT_Compare(name)
#define XAG_VISIT_Logical(name)
#define XAG_VISIT_Select(name)
#define XAG_VISIT_Linalg(name)
#define XAG_VISIT_Shape(name)
#define XAG_VISIT_Construct(name)
#define XAG_VISIT_Random(name)
#define XAG_VISIT_Nn(name)
#define XAG_VISIT_Misc(name)
#define XAG_OP_ROW(name, py_name, arity, category, dtype_rule, shape_rule, gradient) \
  XAG_VISIT_##category(name)
#include "runtime/ops/op_kinds.def"
#undef XAG_OP_ROW
#undef XAG_VISIT_ROW
#undef XAG_VISIT_Reduce
#undef XAG_VISIT_Unary
#undef XAG_VISIT_Binary
#undef XAG_VISIT_Compare
#undef XAG_VISIT_Logical
#undef XAG_VISIT_Select
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

}  // namespace xag::rt
