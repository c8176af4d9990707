// FusedElementwise evaluation. Instead of one pass over memory per op (what separate kernels
// cost), each block of kFusedBlock elements runs the whole program through L1-resident stack
// buffers; simple loops over a block vectorize. Blocks are split across the thread pool.
#include "runtime/exec/fused_eval.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <type_traits>

#include "runtime/core/interrupt.h"
#include "runtime/core/parallel.h"
#include "runtime/cpu/array_math.h"
#include "runtime/ops/elementwise.h"
#include "runtime/ops/reduce_math.h"

namespace xag::rt::exec {

namespace {

constexpr int kMaxSteps = 32;  // the fusion pass never builds longer programs
// Smallest chunk handed to a thread: 2^14 elements, some microseconds of work, far above what
// handing it over costs; programs under twice this size run on the caller alone.
constexpr int64_t kMinChunkBlocks = (int64_t{1} << 14) / kFusedBlock;

// The block loops below are compiled twice: for the portable baseline ISA and, where the CPU has
// it, AVX2 (see run_chunk). Forcing them inline puts a copy in each of the two callers, compiled
// for that caller's ISA. No FMA: a contracted a*b+c would round differently from the unfused ops.
// (An AVX-512 clone was tried: GCC 12 scalarizes the 64-byte compare-selects of Extreme, and the
// condition program of newton ran 3x slower.)
#if defined(__GNUC__) && (defined(__x86_64__) || defined(_M_X64))
#define XAG_FUSED_INLINE inline __attribute__((always_inline))
#define XAG_FUSED_AVX2 1
#else
#define XAG_FUSED_INLINE inline
#define XAG_FUSED_AVX2 0
#endif

// One binary op over a block; `sa`/`sb` say the operand is a broadcast scalar (read once, so the
// loop streams one array and vectorizes without a splat buffer).
template <class T, class F>
XAG_FUSED_INLINE void binary(const T* __restrict a, bool sa, const T* __restrict b, bool sb,
                             T* __restrict o, int n, F f) {
  if (sa) {
    const T x = a[0];
    for (int j = 0; j < n; ++j) o[j] = f(x, b[j]);
  } else if (sb) {
    const T y = b[0];
    for (int j = 0; j < n; ++j) o[j] = f(a[j], y);
  } else {
    for (int j = 0; j < n; ++j) o[j] = f(a[j], b[j]);
  }
}

template <class T, class F>
XAG_FUSED_INLINE void unary(const T* __restrict a, bool sa, T* __restrict o, int n, F f) {
  if (sa) {
    const T v = f(a[0]);
    for (int j = 0; j < n; ++j) o[j] = v;
  } else {
    for (int j = 0; j < n; ++j) o[j] = f(a[j]);
  }
}

// One step of the program over a block: the op's functor (runtime/ops/scalar_math.h) in a loop.
// The fusion pass only emits ops whose functor is kFusable; others do nothing here. A struct
// rather than a lambda so that the loops can be forced inline into each ISA's clone.
template <class T>
struct Step {
  const T* a;
  bool sa;
  const T* b;
  bool sb;
  T* o;
  int n;

  template <class E>
  XAG_FUSED_INLINE void operator()(E) const {
    using F = typename E::Fn;
    if constexpr (F::kFusable && F::kArity == 2) {
      binary(a, sa, b, sb, o, n, F{});
    } else if constexpr (F::kFusable && F::kArrayMath) {
      if (sa)
        unary(a, sa, o, n, F{});  // one scalar: no array to vectorize over
      else
        cpu::array_map<F, T>(a, o, n);  // the unfused kernels' code: equal results
    } else if constexpr (F::kFusable) {
      unary(a, sa, o, n, F{});
    }
  }
};

template <class T>
XAG_FUSED_INLINE void step(OpKind op, const T* a, bool sa, const T* b, bool sb, T* o, int n) {
  visit_elementwise(op, Step<T>{a, sa, b, sb, o, n});
}

// Running max/min over one chunk, NaN-propagating like the unfused reduction
// (runtime/cpu/reduce.cpp): the functors' ordered compare-select (runtime/ops/reduce_math.h)
// over independent lanes (they vectorize) with NaN tracked on the side. The lanes live across all
// blocks of the chunk and are folded once at the end: folding them after every 256-element block
// cost as much as the block's comparisons.
template <class T>
struct Extreme {
#if defined(__GNUC__) && !defined(__clang__)
  // Explicit vectors (GCC's vector extension): the auto-vectorizer leaves a compare-select
  // reduction scalar. 32 bytes: one AVX register in the AVX2 clone, two SSE ones otherwise.
  typedef T V __attribute__((vector_size(32)));
  // x != x per lane (true only for NaN) as an integer mask of the same width; OR-ing masks is a
  // 1-cycle dependency, where accumulating floats would serialize the loop on the add latency.
  using I = std::conditional_t<sizeof(T) == 4, int32_t, int64_t>;
  typedef I M __attribute__((vector_size(32)));
  static constexpr int kL = static_cast<int>(sizeof(V) / sizeof(T));
  // Four independent accumulators: a max/min is a 4-cycle dependency, so one would stall.
  V lane[4];
  M bad;
#endif
  bool is_max;
  bool any_nan;
  T r;  // elements outside the lanes (block tails)

  XAG_FUSED_INLINE Extreme(bool max, T start) : is_max(max), any_nan(false), r(start) {
#if defined(__GNUC__) && !defined(__clang__)
    T init[kL];
    for (int j = 0; j < kL; ++j) init[j] = start;
    std::memcpy(&lane[0], init, sizeof(V));
    lane[1] = lane[2] = lane[3] = lane[0];
    bad = M{};
#endif
  }

  XAG_FUSED_INLINE void add(const T* p, int n) {
    int i = 0;
#if defined(__GNUC__) && !defined(__clang__)
    if (is_max) {
      for (; i + 4 * kL <= n; i += 4 * kL) {
        for (int u = 0; u < 4; ++u) {
          V x;
          std::memcpy(&x, p + i + u * kL, sizeof(V));
          bad |= x != x;
          math::ReduceMax::ordered(lane[u], x);
        }
      }
    } else {
      for (; i + 4 * kL <= n; i += 4 * kL) {
        for (int u = 0; u < 4; ++u) {
          V x;
          std::memcpy(&x, p + i + u * kL, sizeof(V));
          bad |= x != x;
          math::ReduceMin::ordered(lane[u], x);
        }
      }
    }
#endif
    for (; i < n; ++i) {
      any_nan |= p[i] != p[i];
      if (is_max)
        math::ReduceMax::ordered(r, p[i]);
      else
        math::ReduceMin::ordered(r, p[i]);
    }
  }

  XAG_FUSED_INLINE T result() {
#if defined(__GNUC__) && !defined(__clang__)
    for (int j = 0; j < kL; ++j) any_nan |= bad[j] != 0;
    for (int u = 0; u < 4; ++u)
      for (int j = 0; j < kL; ++j)
        if (is_max)
          math::ReduceMax::ordered(r, T(lane[u][j]));
        else
          math::ReduceMin::ordered(r, T(lane[u][j]));
#endif
    return any_nan ? std::numeric_limits<T>::quiet_NaN() : r;  // NaN sticks, as unfused
  }
};

// How a block reads one input (see is_fused_row): element i of the output reads element
// i % period of the input; period 0 means the input has the output's shape (no modulo), 1 a
// scalar (read once).
struct InputPlan {
  int64_t period;
  int row_slot;  // rows: which block buffer a wrapped block is copied into
};

// What every chunk of one fused evaluation reads.
template <class T>
struct Chunk {
  const FusedProgram* prog;
  int ni, ns;
  const T* const* base;
  const InputPlan* plan;
  T* dst;  // null when reducing
  bool reduce, is_max;
  T start;  // the reduction's identity
};

// The block [i0, i0 + len) of a row input: a pointer into the row when the block does not wrap
// around its end (always when the row's length is a multiple of the block), else a copy.
template <class T>
XAG_FUSED_INLINE const T* row_block(const T* row, int64_t period, int64_t i0, int len, T* buf) {
  const int64_t off = i0 % period;
  if (off + len <= period) return row + off;
  for (int j = 0; j < len;) {
    const int64_t o = (i0 + j) % period;
    const int take = static_cast<int>(std::min<int64_t>(len - j, period - o));
    std::memcpy(buf + j, row + o, sizeof(T) * static_cast<size_t>(take));
    j += take;
  }
  return buf;
}

// Elements [begin, end) block by block; returns the chunk's max/min when reducing.
template <class T>
XAG_FUSED_INLINE T chunk_body(const Chunk<T>& c, int64_t begin, int64_t end) {
  const int ni = c.ni, ns = c.ns;
  Extreme<T> acc(c.is_max, c.start);
  alignas(64) T buf[kMaxSteps][kFusedBlock];
  alignas(64) T rows[kMaxFusedRows][kFusedBlock];
  const T* reg[kMaxSteps + 64];
  bool sreg[kMaxSteps + 64];
  for (int i = 0; i < ni; ++i) sreg[i] = c.plan[i].period == 1;
  for (int s = 0; s < ns; ++s) sreg[ni + s] = false;
  for (int64_t i0 = begin; i0 < end; i0 += kFusedBlock) {
    const int len = static_cast<int>(std::min<int64_t>(kFusedBlock, end - i0));
    for (int i = 0; i < ni; ++i) {
      const InputPlan& p = c.plan[i];
      if (p.period == 0)
        reg[i] = c.base[i] + i0;
      else if (p.period == 1)
        reg[i] = c.base[i];
      else
        reg[i] = row_block(c.base[i], p.period, i0, len, rows[p.row_slot]);
    }
    for (int s = 0; s < ns; ++s) {
      const FusedStep& st = c.prog->steps[static_cast<size_t>(s)];
      T* o = s + 1 == ns && !c.reduce ? c.dst + i0 : buf[s];
      const bool has_b = st.b >= 0;
      step<T>(st.op, reg[st.a], sreg[st.a], has_b ? reg[st.b] : nullptr, has_b && sreg[st.b], o,
              len);
      reg[ni + s] = o;
    }
    if (c.reduce) acc.add(buf[ns - 1], len);
  }
  return c.reduce ? acc.result() : c.start;
}

template <class T>
T chunk_baseline(const Chunk<T>& c, int64_t begin, int64_t end) {
  return chunk_body(c, begin, end);
}

#if XAG_FUSED_AVX2
template <class T>
__attribute__((target("avx2"))) T chunk_avx2(const Chunk<T>& c, int64_t begin, int64_t end) {
  return chunk_body(c, begin, end);
}
#endif

template <class T>
T run_chunk(const Chunk<T>& c, int64_t begin, int64_t end) {
#if XAG_FUSED_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return chunk_avx2(c, begin, end);
#endif
  return chunk_baseline(c, begin, end);
}

template <class T>
void run_typed(const FusedProgram& prog, const Tensor* inputs, const InputPlan* plan, Tensor& out,
               int64_t numel) {
  const bool reduce = prog.reduce != OpKind::Identity;
  const bool is_max = prog.reduce == OpKind::ReduceMax;
  const T start = is_max ? math::ReduceMax::identity<T>() : math::ReduceMin::identity<T>();
  T total = start;
  std::mutex mu;
  const int ni = prog.num_inputs;
  const int ns = static_cast<int>(prog.steps.size());
  const T* base[64];
  for (int i = 0; i < ni; ++i) base[i] = inputs[i].data<T>();
  const Chunk<T> c{&prog,  ni,     ns,   base, plan, reduce ? nullptr : out.data<T>(),
                   reduce, is_max, start};
  // Chunks are whole blocks, so every chunk but the last starts vector-aligned; the result does
  // not depend on the split (element-wise, or max/min), so chunks are claimed dynamically.
  const int64_t blocks = (numel + kFusedBlock - 1) / kFusedBlock;
  parallel_for_balanced(blocks, kMinChunkBlocks, [&](int64_t b0, int64_t b1) {
    const T acc = run_chunk(c, b0 * kFusedBlock, std::min(numel, b1 * kFusedBlock));
    if (reduce) {
      std::lock_guard<std::mutex> lk(mu);
      // The functor's combine: NaN sticks, as in the unfused reduction.
      total = is_max ? math::ReduceMax{}(total, acc) : math::ReduceMin{}(total, acc);
    }
  });
  if (reduce) *out.data<T>() = total;
}

}  // namespace

void run_fused(const FusedProgram& prog, const Tensor* inputs, size_t n, Tensor& out) {
  if (prog.steps.empty() || static_cast<int>(prog.steps.size()) > kMaxSteps ||
      prog.num_inputs > 64 || static_cast<size_t>(prog.num_inputs) != n) {
    throw InternalError("fused_elementwise: malformed program");
  }
  // Result shape: the largest input's (the highest rank among equals); every other input has
  // it, is 0-d, or is a row of it.
  const Tensor* widest = nullptr;
  for (size_t i = 0; i < n; ++i) {
    const Tensor& x = inputs[i];
    if (x.dtype() != prog.dtype) {
      throw InternalError("fused_elementwise: input dtype differs from the program's");
    }
    if (x.rank() > 0 &&
        (!widest || x.num_elements() > widest->num_elements() ||
         (x.num_elements() == widest->num_elements() && x.rank() > widest->rank()))) {
      widest = &x;
    }
  }
  const Shape shape = widest ? widest->shape() : Shape{};
  InputPlan plan[64];
  int rows = 0;
  for (size_t i = 0; i < n; ++i) {
    const Tensor& x = inputs[i];
    if (x.shape() == shape) {
      plan[i] = {shape.rank() == 0 ? 1 : 0, -1};
    } else if (x.rank() == 0 || (is_fused_row(x.shape(), shape) && x.num_elements() == 1)) {
      plan[i] = {1, -1};
    } else if (is_fused_row(x.shape(), shape) && rows < kMaxFusedRows) {
      plan[i] = {x.num_elements(), rows++};
    } else {
      throw InvalidArgumentError("fused_elementwise: operand shapes " + shape.to_string() +
                                 " and " + x.shape().to_string() + " differ");
    }
  }
  const int64_t numel = shape.num_elements();
  // A reduction's output is a 0-d scalar (inline: never shares an input's buffer).
  const Shape out_shape = prog.reduce != OpKind::Identity ? Shape{} : shape;
  if (prog.reduce != OpKind::Identity && numel == 0) {
    throw InvalidArgumentError(std::string(op_name(prog.reduce)) +
                               ": zero-size array has no identity for max/min");
  }
  bool reuse = out.defined() && out.dtype() == prog.dtype && out.shape() == out_shape &&
               out.is_exclusively_owned();
  for (size_t i = 0; i < n && reuse; ++i) reuse = !out.shares_buffer_with(inputs[i]);
  if (!reuse) out = Tensor::empty(prog.dtype, out_shape);
  check_interrupt();
  if (prog.dtype == DType::Float32) {
    run_typed<float>(prog, inputs, plan, out, numel);
  } else if (prog.dtype == DType::Float64) {
    run_typed<double>(prog, inputs, plan, out, numel);
  } else {
    throw InternalError(std::string("fused_elementwise: unsupported dtype ") +
                        dtype_name(prog.dtype));
  }
}

}  // namespace xag::rt::exec
