// Loop machinery shared by the CPU kernels: broadcasting iteration over up to three inputs and
// strided copies. Dims are collapsed first so that same-shape operands become one flat run and
// the innermost run always has input strides 0 or 1, which compilers vectorize.
#pragma once

#include <cstdint>
#include <cstring>

#include "runtime/core/parallel.h"
#include "runtime/core/shape.h"

namespace xag::rt::cpu {

// Iteration space of an element-wise op whose K inputs broadcast to `out`.
template <int K>
struct Broadcast {
  int rank = 0;  // after collapsing; at least 1
  int64_t dims[Shape::kMaxRank];
  int64_t strides[K][Shape::kMaxRank];  // element strides; 0 where the input broadcasts
  int64_t numel = 1;

  Broadcast(const Shape& out, const Shape* const* ins) {
    // Strides of each input aligned to out's dims (NumPy: align from the right).
    int64_t raw[K][Shape::kMaxRank];
    for (int k = 0; k < K; ++k) {
      const Shape& s = *ins[k];
      int64_t stride = 1;
      for (int d = out.rank() - 1; d >= 0; --d) {
        const int sd = d - (out.rank() - s.rank());
        if (sd < 0 || s[sd] == 1) {
          raw[k][d] = 0;
        } else {
          raw[k][d] = stride;
        }
        if (sd >= 0) stride *= s[sd];
      }
    }
    // Drop size-1 dims, merge neighbours that stay contiguous for every operand.
    for (int d = 0; d < out.rank(); ++d) {
      numel *= out[d];
      if (out[d] == 1) continue;
      bool merge = rank > 0;
      for (int k = 0; k < K && merge; ++k) merge = strides[k][rank - 1] == raw[k][d] * out[d];
      if (merge) {
        dims[rank - 1] *= out[d];
        for (int k = 0; k < K; ++k) strides[k][rank - 1] = raw[k][d];
      } else {
        dims[rank] = out[d];
        for (int k = 0; k < K; ++k) strides[k][rank] = raw[k][d];
        ++rank;
      }
    }
    if (rank == 0) {
      rank = 1;
      dims[0] = 1;
      for (int k = 0; k < K; ++k) strides[k][0] = 0;
    }
  }

  // Calls fn(off, out_off, n) for consecutive runs covering flat output range [begin, end):
  // off[k] is input k's element offset, the run's inner strides are strides[k][rank-1].
  template <class Fn>
  void for_each_run(int64_t begin, int64_t end, Fn&& fn) const {
    const int last = rank - 1;
    int64_t idx[Shape::kMaxRank];
    int64_t off[K] = {};
    int64_t rem = begin;
    for (int d = last; d >= 0; --d) {
      idx[d] = rem % dims[d];
      rem /= dims[d];
      for (int k = 0; k < K; ++k) off[k] += idx[d] * strides[k][d];
    }
    int64_t pos = begin;
    while (pos < end) {
      int64_t n = dims[last] - idx[last];
      if (n > end - pos) n = end - pos;
      fn(static_cast<const int64_t*>(off), pos, n);
      pos += n;
      if (pos >= end) break;
      // Advance the odometer past this run.
      for (int k = 0; k < K; ++k) off[k] += n * strides[k][last];
      idx[last] += n;
      for (int d = last; d > 0 && idx[d] == dims[d]; --d) {
        for (int k = 0; k < K; ++k) off[k] -= dims[d] * strides[k][d] - strides[k][d - 1];
        idx[d] = 0;
        ++idx[d - 1];
      }
    }
  }

  // for_each_run over everything, split across the pool when large (element-wise: any split
  // gives the same result, so chunks are balanced dynamically).
  template <class Fn>
  void parallel_runs(Fn&& fn) const {
    parallel_for_balanced(numel, kParallelThreshold / 2,
                          [&](int64_t b, int64_t e) { for_each_run(b, e, fn); });
  }
};

// Copies a strided view into contiguous `dst`: `shape` is the view's shape, `strides` its element
// strides (any sign), `src` points at the view's first element.
void strided_copy(const void* src, const int64_t* strides, const Shape& shape, void* dst,
                  size_t elem_size);

// Element strides of a contiguous (row-major) tensor of shape `s`, into st[0..rank).
inline void contiguous_strides(const Shape& s, int64_t* st) {
  int64_t acc = 1;
  for (int d = s.rank() - 1; d >= 0; --d) {
    st[d] = acc;
    acc *= s[d];
  }
}

}  // namespace xag::rt::cpu
