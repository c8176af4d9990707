// Micro-benchmark of the graph executor on the `collatz` workload (SPEC §6): the sum of the
// Collatz stopping times of 1..N as a staged nested While + Cond on int32 scalars, built with
// GraphBuilder the way the tracer builds it. Prints the result and ns per inner iteration.
//
// Usage: collatz_graph [N=20000] [repeats=5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "runtime/exec/executor.h"
#include "runtime/graph/builder.h"
#include "runtime/graph/passes.h"

using namespace xag::rt;

namespace {

// CPU time of this thread: stable when other processes share the cores.
double thread_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

Value c32(GraphBuilder& b, int32_t v) {
  return b.constant(Tensor::scalar<int32_t>(v));
}

// total = 0; i = 1
// while i <= n:
//   m = i; steps = 0
//   while m != 1:
//     if m % 2 == 0: m = m // 2
//     else: m = 3 * m + 1
//     steps += 1
//   total += steps; i += 1
void build(Graph& g) {
  GraphBuilder b(g);
  const Value n = b.placeholder(TensorSpec{DType::Int32, Shape{}}, "n");
  const auto outer = b.while_loop(
      {c32(b, 0), c32(b, 1)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::LessEqual, {v[1], n});
      },
      [&](const std::vector<Value>& v) {
        const auto inner = b.while_loop(
            {v[1], c32(b, 0)},
            [&](const std::vector<Value>& w) {
              return b.op(OpKind::NotEqual, {w[0], c32(b, 1)});
            },
            [&](const std::vector<Value>& w) {
              const Value m = w[0];
              const Value even =
                  b.op(OpKind::Equal, {b.op(OpKind::Mod, {m, c32(b, 2)}), c32(b, 0)});
              const auto next = b.cond(
                  even, {m},
                  [&](const std::vector<Value>& p) {
                    return std::vector<Value>{b.op(OpKind::FloorDiv, {p[0], c32(b, 2)})};
                  },
                  [&](const std::vector<Value>& p) {
                    return std::vector<Value>{
                        b.op(OpKind::Add, {b.op(OpKind::Mul, {c32(b, 3), p[0]}), c32(b, 1)})};
                  });
              return std::vector<Value>{next[0], b.op(OpKind::Add, {w[1], c32(b, 1)})};
            });
        return std::vector<Value>{b.op(OpKind::Add, {v[0], inner[1]}),
                                  b.op(OpKind::Add, {v[1], c32(b, 1)})};
      });
  b.set_outputs({outer[0]});
}

}  // namespace

int main(int argc, char** argv) {
  const int32_t n = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  Graph g;
  build(g);
  run_passes(g);
  const Executable exe = compile(g);
  const std::vector<Tensor> args = {Tensor::scalar<int32_t>(n)};
  double best = 1e30, best_cpu = 1e30;
  int64_t total = 0, iterations = 0;
  for (int r = 0; r < repeats; ++r) {
    RunStats stats;
    RunOptions opts;
    opts.stats = &stats;
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = thread_cpu_seconds();
    total = exe.run(args, opts)[0].item<int64_t>();
    const double c1 = thread_cpu_seconds();
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
    best_cpu = std::min(best_cpu, c1 - c0);
    iterations = stats.loop_iterations - n;  // inner iterations only
  }
  std::printf("collatz N=%d: sum of stopping times = %lld\n", n, static_cast<long long>(total));
  std::printf(
      "best of %d: %.3f ms wall, %lld inner iterations, %.2f ns/iteration wall, %.2f "
      "ns/iteration CPU\n",
      repeats, best * 1e3, static_cast<long long>(iterations), best * 1e9 / iterations,
      best_cpu * 1e9 / iterations);
  return 0;
}
