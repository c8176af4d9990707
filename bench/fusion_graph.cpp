// Micro-benchmark of elementwise fusion: a chain of 5 float32 ops over 10^7 elements,
// ((x * 2 + 1) * x - 3) / 4, run unfused (one kernel and one temporary per op) and fused (one
// pass over memory). Compare with NumPy on the same expression.
//
// Usage: fusion_graph [n=10000000] [repeats=5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "runtime/exec/executor.h"
#include "runtime/graph/builder.h"
#include "runtime/graph/passes.h"

using namespace xag::rt;

namespace {

void build(Graph& g, int64_t n) {
  GraphBuilder b(g);
  const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{n}}, "x");
  auto c = [&](float v) { return b.constant(Tensor::scalar<float>(v)); };
  const Value t1 = b.op(OpKind::Mul, {x, c(2)});
  const Value t2 = b.op(OpKind::Add, {t1, c(1)});
  const Value t3 = b.op(OpKind::Mul, {t2, x});
  const Value t4 = b.op(OpKind::Sub, {t3, c(3)});
  b.set_outputs({b.op(OpKind::TrueDiv, {t4, c(4)})});
}

double best_ms(const Executable& exe, const Tensor& x, int repeats) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto out = exe.run({x});
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = argc > 1 ? std::atoll(argv[1]) : 10000000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  const Tensor x = Tensor::full(DType::Float32, Shape{n}, 1.5);
  Graph plain, fused;
  build(plain, n);
  build(fused, n);
  run_passes(fused, {{"fuse_elementwise", fuse_elementwise}});
  const double a = best_ms(compile(plain), x, repeats);
  const double b = best_ms(compile(fused), x, repeats);
  std::printf("5-op float32 chain over %lld elements: unfused %.2f ms, fused %.2f ms\n",
              static_cast<long long>(n), a, b);
  return 0;
}
