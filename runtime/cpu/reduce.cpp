// Reductions over an axis set. The input is walked once in memory order; dims are grouped into
// runs of reduced / kept axes so the innermost loop is contiguous either way (row sums or column
// accumulation). The math of each reduction (identity, combine, finalize; accumulator types) is
// its functor in runtime/ops/reduce_math.h; this file only walks memory and splits the work.
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

#include "runtime/core/convert.h"
#include "runtime/core/interrupt.h"
#include "runtime/cpu/kernels.h"
#include "runtime/cpu/loops.h"
#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/reduce_visit.h"

namespace xag::rt::cpu {

namespace {

// The fold of one element into an accumulator (reduce_math.h).
template <class F, class A, class T>
inline A combine(A acc, T v) {
  return F{}(acc, F::template lift<A>(v));
}

// Reduces a contiguous run with kLanes independent accumulators so the loop vectorizes without
// reassociating anything the compiler may not (no -ffast-math). For float max/min the lanes use
// the functor's ordered compare-select and NaN is tracked separately: once seen, the result is
// NaN (NumPy).
template <class F, class T, class A>
A reduce_run(A acc, const T* p, int64_t n) {
  constexpr int kLanes = 8;
  if (n < 2 * kLanes) {
    for (int64_t i = 0; i < n; ++i) acc = combine<F>(acc, p[i]);
    return acc;
  }
  constexpr bool kFloatMinMax = std::is_floating_point_v<A> && F::kOrderedLanes;
  A lane[kLanes];
  bool nan[kLanes] = {};
  for (int j = 0; j < kLanes; ++j) lane[j] = F::template identity<A>();
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int j = 0; j < kLanes; ++j) {
      if constexpr (kFloatMinMax) {
        const A x = static_cast<A>(p[i + j]);
        nan[j] |= x != x;
        F::ordered(lane[j], x);
      } else {
        lane[j] = combine<F>(lane[j], p[i + j]);
      }
    }
  }
  for (int j = 0; j < kLanes; ++j) {
    if constexpr (kFloatMinMax) {
      if (nan[j]) return std::numeric_limits<A>::quiet_NaN();
    }
    acc = combine<F>(acc, lane[j]);
  }
  for (; i < n; ++i) acc = combine<F>(acc, p[i]);
  return acc;
}

// Dims after dropping size-1 axes and merging neighbours with the same reduced flag.
struct Groups {
  int n = 0;
  int64_t dims[Shape::kMaxRank];
  bool reduced[Shape::kMaxRank];
};

Groups group_dims(const Shape& s, const bool* reduced) {
  Groups g;
  for (int d = 0; d < s.rank(); ++d) {
    if (s[d] == 1) continue;
    if (g.n > 0 && g.reduced[g.n - 1] == reduced[d]) {
      g.dims[g.n - 1] *= s[d];
    } else {
      g.dims[g.n] = s[d];
      g.reduced[g.n] = reduced[d];
      ++g.n;
    }
  }
  return g;
}

template <class F, class T, class A>
void reduce_into(const T* in, int64_t numel, const Groups& g, A* acc) {
  if (numel == 0) return;
  if (g.n == 0) {  // a single element
    acc[0] = combine<F>(acc[0], in[0]);
    return;
  }
  if (g.n == 1 && g.reduced[0]) {  // everything into one value: split across threads
    std::mutex mu;
    A total = acc[0];
    parallel_for(numel, kParallelThreshold, [&](int64_t b, int64_t e) {
      const A s = reduce_run<F, T, A>(F::template identity<A>(), in + b, e - b);
      std::lock_guard<std::mutex> lk(mu);
      total = combine<F>(total, s);  // NaN partials stick in max/min
    });
    acc[0] = total;
    return;
  }
  // Output strides of each group (0 for reduced groups).
  int64_t ostride[Shape::kMaxRank];
  int64_t st = 1;
  for (int d = g.n - 1; d >= 0; --d) {
    ostride[d] = g.reduced[d] ? 0 : st;
    if (!g.reduced[d]) st *= g.dims[d];
  }
  const int last = g.n - 1;
  const int64_t inner = g.dims[last];
  const bool inner_reduced = g.reduced[last];
  int64_t idx[Shape::kMaxRank] = {};
  int64_t off = 0;
  const int64_t rows = numel / inner;
  for (int64_t r = 0; r < rows; ++r) {
    const T* row = in + r * inner;
    if (inner_reduced) {
      acc[off] = reduce_run<F, T, A>(acc[off], row, inner);
    } else {
      A* o = acc + off;
      for (int64_t i = 0; i < inner; ++i) o[i] = combine<F>(o[i], row[i]);
    }
    for (int d = last - 1; d >= 0; --d) {
      off += ostride[d];
      if (++idx[d] < g.dims[d]) break;
      off -= g.dims[d] * ostride[d];
      idx[d] = 0;
    }
    if ((r & 0xfff) == 0xfff) check_interrupt();
  }
}

template <class F, class T>
void run_reduce(const Tensor& x, const Groups& g, Tensor& out, int64_t count) {
  using A = typename F::template Acc<T>;
  const int64_t on = out.num_elements();
  // Scalar results accumulate on the stack: reduce-all stays allocation-free.
  std::unique_ptr<A[]> heap;
  A small[1];
  A* acc = small;
  if (on > 1) {
    heap.reset(new A[on]);
    acc = heap.get();
  }
  for (int64_t i = 0; i < (on > 1 ? on : 1); ++i) acc[i] = F::template identity<A>();
  reduce_into<F>(x.data<T>(), x.num_elements(), g, acc);
  dispatch_dtype(out.dtype(), [&](auto otag) {
    using O = decltype(otag);
    O* o = out.data<O>();
    for (int64_t i = 0; i < on; ++i) o[i] = convert<O>(F::finalize(acc[i], count));
  });
}

}  // namespace

void reduce(OpKind op, const Tensor& x, const OpAttrs& attrs, Tensor& out) {
  const Shape& s = x.shape();
  bool reduced[Shape::kMaxRank];
  int64_t count = 1;
  for (int d = 0; d < s.rank(); ++d) reduced[d] = !attrs.has_axes;
  if (attrs.has_axes)
    for (int64_t ax : attrs.axes) reduced[normalize_axis(ax, s.rank(), op_name(op))] = true;
  for (int d = 0; d < s.rank(); ++d)
    if (reduced[d]) count *= s[d];
  const Groups g = group_dims(s, reduced);
  visit_reduce(op, [&](auto r) {
    using F = typename decltype(r)::Fn;
    if constexpr (!F::kArg) {
      if (!F::kHasIdentity && count == 0 && out.num_elements() > 0) {
        op_error(op, "zero-size reduction over " + describe(x.dtype(), s) +
                         ", which has no identity; reduce a non-empty axis");
      }
      dispatch_dtype(x.dtype(), [&](auto tag) { run_reduce<F, decltype(tag)>(x, g, out, count); });
    }
  });
}

void arg_reduce(OpKind op, const Tensor& x, const OpAttrs& attrs, Tensor& out) {
  const Shape& s = x.shape();
  int64_t outer = 1, n = x.num_elements(), inner = 1;
  if (attrs.has_axis) {
    const int axis = normalize_axis(attrs.axis, s.rank(), op_name(op));
    n = s[axis];
    for (int d = 0; d < axis; ++d) outer *= s[d];
    for (int d = axis + 1; d < s.rank(); ++d) inner *= s[d];
  }
  if (n == 0 && outer * inner > 0) {
    op_error(op, std::string("attempt to get ") + op_name(op) + " of an empty sequence (" +
                     describe(x.dtype(), s) + ")");
  }
  int64_t* o = out.data<int64_t>();
  visit_reduce(op, [&](auto r) {
    using F = typename decltype(r)::Fn;
    if constexpr (F::kArg) {
      dispatch_dtype(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = x.data<T>();
        for (int64_t a = 0; a < outer; ++a) {
          for (int64_t i = 0; i < inner; ++i) {
            const T* col = p + a * n * inner + i;
            T best = col[0];
            int64_t at = 0;
            for (int64_t k = 1; k < n; ++k) {
              const T v = col[k * inner];
              if (F{}(v, best)) best = v, at = k;
            }
            o[a * inner + i] = at;
          }
        }
      });
    }
  });
}

}  // namespace xag::rt::cpu
