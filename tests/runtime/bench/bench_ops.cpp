// Micro-benchmarks of the eager op path (not a test): scalar overhead, element-wise throughput,
// matmul. Run: build/tests/runtime/xag_runtime_bench
#include <chrono>
#include <cstdio>

#include "runtime/ops/ops.h"

using namespace xag::rt;
using Clock = std::chrono::steady_clock;

template <class Fn>
double time_ns(int iters, Fn fn) {
  fn();
  auto t0 = Clock::now();
  for (int i = 0; i < iters; ++i) fn();
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / iters;
}

int main() {
  Tensor a = Tensor::scalar<int32_t>(7), b = Tensor::scalar<int32_t>(3);
  Tensor in2[2] = {a, b};
  OpAttrs none;
  Tensor out;
  std::printf("scalar add (run)        %8.1f ns\n",
              time_ns(1000000, [&] { out = run(OpKind::Add, in2, 2, none); }));
  std::printf("scalar add (run_into)   %8.1f ns\n",
              time_ns(1000000, [&] { run_into(OpKind::Add, in2, 2, none, out); }));
  std::printf("scalar floordiv         %8.1f ns\n",
              time_ns(1000000, [&] { run_into(OpKind::FloorDiv, in2, 2, none, out); }));
  std::printf("scalar less             %8.1f ns\n",
              time_ns(1000000, [&] { run_into(OpKind::Less, in2, 2, none, out); }));
  Tensor f2[2] = {Tensor::scalar(1.5f), Tensor::scalar<int32_t>(2)};
  std::printf("scalar f32*i32 (casts)  %8.1f ns\n",
              time_ns(1000000, [&] { run_into(OpKind::Mul, f2, 2, none, out); }));
  Tensor f1[1] = {Tensor::scalar(-1.5f)};
  std::printf("scalar abs f32          %8.1f ns\n",
              time_ns(1000000, [&] { run_into(OpKind::Abs, f1, 1, none, out); }));
  std::printf("scalar sqrt f32         %8.1f ns\n",
              time_ns(1000000, [&] { run_into(OpKind::Sqrt, f1, 1, none, out); }));
  OpAttrs to_f64 = OpAttrs::with_dtype(DType::Float64);
  std::printf("scalar cast f32->f64    %8.1f ns\n",
              time_ns(1000000, [&] { run_into(OpKind::Cast, f1, 1, to_f64, out); }));
  Tensor w3[3] = {Tensor::scalar(true), Tensor::scalar(1.0f), Tensor::scalar(2.0f)};
  std::printf("scalar where            %8.1f ns\n",
              time_ns(1000000, [&] { run_into(OpKind::Where, w3, 3, none, out); }));
  Tensor vec1k = Tensor::full(DType::Float32, {1000}, 1.0);
  OpAttrs gi;
  gi.slices = {SliceItem::index_input(1)};
  Tensor g2[2] = {vec1k, Tensor::scalar<int32_t>(7)};
  std::printf("x[i] on a 1000-vector   %8.1f ns\n",
              time_ns(1000000, [&] { run_into(OpKind::GetItem, g2, 2, gi, out); }));
  TensorSpec specs[2] = {{DType::Int32, {}}, {DType::Int32, {}}};
  std::printf("infer add scalar        %8.1f ns\n",
              time_ns(1000000, [&] { infer(OpKind::Add, specs, 2, none); }));

  for (int64_t n : {1000, 100000, 1000000}) {
    Tensor x[2] = {Tensor::full(DType::Float32, {n}, 1.5), Tensor::full(DType::Float32, {n}, 2.5)};
    Tensor o;
    double t = time_ns(200, [&] { run_into(OpKind::Add, x, 2, none, o); });
    std::printf("f32 add n=%-8lld       %8.1f us  (%.2f GB/s)\n", (long long)n, t / 1e3,
                3.0 * 4 * n / t);
    double te = time_ns(100, [&] { run_into(OpKind::Exp, x, 1, none, o); });
    std::printf("f32 exp n=%-8lld       %8.1f us\n", (long long)n, te / 1e3);
    double tr = time_ns(100, [&] { run_into(OpKind::ReduceSum, x, 1, none, o); });
    std::printf("f32 sum n=%-8lld       %8.1f us\n", (long long)n, tr / 1e3);
  }
  {
    Tensor x[2] = {Tensor::full(DType::Float32, {1000, 100}, 1.0),
                   Tensor::full(DType::Float32, {100}, 2.0)};
    Tensor o;
    std::printf("f32 (1000,100)+(100,)    %8.1f us\n",
                time_ns(200, [&] { run_into(OpKind::Add, x, 2, none, o); }) / 1e3);
  }
  {
    Tensor m[2] = {Tensor::full(DType::Float32, {64, 256}, 0.01),
                   Tensor::full(DType::Float32, {256, 256}, 0.01)};
    Tensor o;
    double t = time_ns(200, [&] { run_into(OpKind::MatMul, m, 2, none, o); });
    std::printf("matmul 64x256x256 f32   %8.1f us  (%.1f GFLOP/s)\n", t / 1e3,
                2.0 * 64 * 256 * 256 / t);
  }
  return 0;
}
