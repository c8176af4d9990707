// Helpers for graph and executor tests: small builders and a verify-compile-run shortcut.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "runtime/core/interrupt.h"
#include "runtime/core/parallel.h"
#include "runtime/exec/executor.h"
#include "runtime/graph/builder.h"
#include "runtime/graph/passes.h"

namespace xag::rt::test {

// Sets the pool's thread count for a test and restores it when the test ends.
struct ThreadCount {
  int saved = num_threads();
  explicit ThreadCount(int n) { set_num_threads(n); }
  ~ThreadCount() { set_num_threads(saved); }
};

inline Value i32(GraphBuilder& b, int32_t v) {
  return b.constant(Tensor::scalar<int32_t>(v));
}
inline Value f32(GraphBuilder& b, float v) {
  return b.constant(Tensor::scalar<float>(v));
}
inline Value boolean(GraphBuilder& b, bool v) {
  return b.constant(Tensor::scalar<bool>(v));
}

inline TensorSpec scalar_spec(DType d) {
  return TensorSpec{d, Shape{}};
}

// Verifies, compiles and runs `g`.
inline std::vector<Tensor> run_graph(const Graph& g, const std::vector<Tensor>& args = {},
                                     const RunOptions& opts = {}) {
  g.verify();
  return compile(g).run(args, opts);
}

inline int64_t as_int(const Tensor& t) {
  return t.item<int64_t>();
}

// The message of the InvalidArgumentError `fn` throws ("<no error>" when it does not).
template <class Fn>
std::string error_message(Fn&& fn) {
  try {
    fn();
  } catch (const InvalidArgumentError& e) {
    return e.what();
  }
  return "<no error>";
}

// while keep_going or i < 5: i += 1, keep_going a graph argument (true: an endless loop).
inline void build_endless_loop(Graph& g) {
  GraphBuilder b(g);
  const Value go = b.placeholder(scalar_spec(DType::Bool), "keep_going");
  const auto r = b.while_loop(
      {i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::LogicalOr, {go, b.op(OpKind::Less, {v[0], i32(b, 5)})});
      },
      [&](const std::vector<Value>& v) {
        return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)})};
      });
  b.set_outputs({r[0]});
}

// Runs `exe` (build_endless_loop's graph) endlessly on a thread of its own, sets the interrupt
// flag 50 ms in, and returns the milliseconds from the request until the run threw
// CancelledError (-1 when it did not). The flag is clear before and after. `opts` places the
// run (the GPU tests run it on gpu:0).
inline double interrupt_latency_ms(const Executable& exe, const RunOptions& opts = {}) {
  using Clock = std::chrono::steady_clock;
  clear_interrupt();
  std::atomic<bool> started{false};
  Clock::time_point requested;
  double latency_ms = -1;
  std::thread runner([&] {
    started = true;
    try {
      exe.run({Tensor::scalar<bool>(true)}, opts);
    } catch (const CancelledError&) {
      latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - requested).count();
    }
  });
  while (!started) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  requested = Clock::now();
  request_interrupt();
  runner.join();
  clear_interrupt();
  return latency_ms;
}

// Collatz stopping time of the graph argument: nested Cond in While on int32 scalars.
inline Value collatz_steps(GraphBuilder& b, Value n) {
  const auto r = b.while_loop(
      {n, i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::NotEqual, {v[0], i32(b, 1)});
      },
      [&](const std::vector<Value>& v) {
        const Value even = b.op(OpKind::Equal, {b.op(OpKind::Mod, {v[0], i32(b, 2)}), i32(b, 0)});
        const auto next = b.cond(
            even, {v[0]},
            [&](const std::vector<Value>& p) {
              return std::vector<Value>{b.op(OpKind::FloorDiv, {p[0], i32(b, 2)})};
            },
            [&](const std::vector<Value>& p) {
              return std::vector<Value>{
                  b.op(OpKind::Add, {b.op(OpKind::Mul, {i32(b, 3), p[0]}), i32(b, 1)})};
            });
        return std::vector<Value>{next[0], b.op(OpKind::Add, {v[1], i32(b, 1)})};
      });
  return r[1];
}

}  // namespace xag::rt::test
