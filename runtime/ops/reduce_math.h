// The math of every reduction, written once: one functor per Reduce row of op_kinds.def, named
// like the row. The CPU kernels (runtime/cpu/reduce.cpp) and the fused evaluator's max/min
// (runtime/exec/fused_eval.cpp) fold with these, so their results cannot drift; visit_reduce
// (reduce_visit.h) turns a runtime OpKind into the functor type.
//
// A reduction folds elements of dtype T into an accumulator of type Acc<T>:
//   identity<A>()       the fold's start (the value of an empty reduction before finalize).
//   lift<A>(v)          an element as an accumulator (a conversion, or truthiness for any/all);
//                       lifting an accumulator is the identity, so partial results combine.
//   operator()(acc, x)  combines two accumulators. Associative and commutative up to float
//                       rounding: kernels split the fold into lanes and threads.
//   finalize(acc, n)    the result from the fold of n elements (mean divides).
//   kHasIdentity        false for max/min: an empty reduction is an error, not identity<A>().
//   kOrderedLanes       max/min: ordered(acc, x) combines x into acc when x is not NaN. It is a
//   plain
//                       compare-select that vectorizes (also on GCC vector types); a kernel using
//                       it tracks NaN on the side and returns NaN if any element was.
// Bodies build on the element-wise functors (scalar_math.h): sums wrap like Add, max/min
// propagate NaN like Maximum/Minimum.
//
// ArgMax and ArgMin are Reduce rows too, with a different shape: operator()(v, best) says whether
// element v displaces the best so far (kArg).
//
// Adding a reduction: a row in op_kinds.def and a functor here; tests/runtime/op_table_test.cpp
// checks the kernel and the fused evaluator against the functor on every dtype.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "runtime/ops/scalar_math.h"

namespace xag::rt::math {

struct ReduceFn {
  static constexpr bool kArg = false;
  static constexpr bool kHasIdentity = true;
  static constexpr bool kOrderedLanes = false;
  template <class A, class T>
  XAG_HOST_DEVICE static A lift(T v) {
    return static_cast<A>(v);
  }
  template <class A>
  XAG_HOST_DEVICE static A finalize(A acc, int64_t) {
    return acc;
  }
};

// Float sums and products accumulate in double (NumPy sums float32 pairwise in float32; ours is
// at least as accurate); int and bool ones in int64, wrapping like NumPy's int64 accumulation.
template <class T>
using WideAcc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;

struct ReduceSum : ReduceFn {
  template <class T>
  using Acc = WideAcc<T>;
  template <class A>
  XAG_HOST_DEVICE static constexpr A identity() {
    return A(0);
  }
  template <class A>
  XAG_HOST_DEVICE A operator()(A acc, A x) const {
    return Add{}(acc, x);
  }
};
struct ReduceProd : ReduceFn {
  template <class T>
  using Acc = WideAcc<T>;
  template <class A>
  XAG_HOST_DEVICE static constexpr A identity() {
    return A(1);
  }
  template <class A>
  XAG_HOST_DEVICE A operator()(A acc, A x) const {
    return Mul{}(acc, x);
  }
};
// The sum in double (ints too, as NumPy), times 1/n: the mean of nothing is 0 * inf = NaN.
struct ReduceMean : ReduceSum {
  template <class T>
  using Acc = double;
  template <class A>
  XAG_HOST_DEVICE static A finalize(A acc, int64_t n) {
    return acc * (1.0 / static_cast<double>(n));
  }
};

// Max/min in the element dtype. NaN sticks (NumPy's max); on bools they are any/all.
template <class Pick, bool kMax>
struct Extremum : ReduceFn {
  static constexpr bool kHasIdentity = false;
  static constexpr bool kOrderedLanes = true;
  template <class T>
  using Acc = T;
  template <class A>
  XAG_HOST_DEVICE static constexpr A identity() {
    if constexpr (std::is_floating_point_v<A>)
      return kMax ? -std::numeric_limits<A>::infinity() : std::numeric_limits<A>::infinity();
    else
      return kMax ? std::numeric_limits<A>::lowest() : std::numeric_limits<A>::max();
  }
  // The element first: Maximum/Minimum propagate a NaN first operand.
  template <class A>
  XAG_HOST_DEVICE A operator()(A acc, A x) const {
    return Pick{}(x, acc);
  }
  // By reference: a GCC vector returned by value would change the ABI without AVX.
  template <class X>
  XAG_HOST_DEVICE static void ordered(X& acc, const X& x) {
    if constexpr (kMax)
      acc = x > acc ? x : acc;
    else
      acc = x < acc ? x : acc;
  }
};
struct ReduceMax : Extremum<Maximum, true> {};
struct ReduceMin : Extremum<Minimum, false> {};

// Truthiness (NaN is true), then or / and.
template <class Logic, bool kStart>
struct Truth : ReduceFn {
  template <class T>
  using Acc = bool;
  template <class A>
  XAG_HOST_DEVICE static constexpr A identity() {
    return kStart;
  }
  template <class A, class T>
  XAG_HOST_DEVICE static A lift(T v) {
    return v != T(0);
  }
  template <class A>
  XAG_HOST_DEVICE A operator()(A acc, A x) const {
    return Logic{}(acc, x);
  }
};
struct ReduceAny : Truth<LogicalOr, false> {};
struct ReduceAll : Truth<LogicalAnd, true> {};

// The index of the first maximum / minimum; the first NaN wins and stays (NumPy).
template <bool kMax>
struct ArgExtremum {
  static constexpr bool kArg = true;
  static constexpr bool kHasIdentity = false;
  template <class T>
  XAG_HOST_DEVICE bool operator()(T v, T best) const {
    const bool better = kMax ? v > best : v < best;
    if constexpr (std::is_floating_point_v<T>)
      return best == best && (better || v != v);
    else
      return better;
  }
};
struct ArgMax : ArgExtremum<true> {};
struct ArgMin : ArgExtremum<false> {};

}  // namespace xag::rt::math
