// Staged loops on the GPU: a capturable While runs as a CUDA graph with a conditional node
// (RunStats::device_loops), a loop that cannot be captured runs host-driven, both give the
// CPU's result, and an endless GPU loop stops within the SPEC's 100 ms of an interrupt.
#include <catch2/catch.hpp>

#include "../runtime/graph_test_util.h"
#include "gpu_util.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

// while i < n: x = x * 0.5 + 1 (x: f32[1000]); with `print`, a print in the body.
void halving_loop(Graph& g, bool print) {
  GraphBuilder b(g);
  const Value x0 = b.placeholder(TensorSpec{DType::Float32, Shape{1000}}, "x");
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  const auto r = b.while_loop(
      {x0, i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[1], n});
      },
      [&](const std::vector<Value>& v) {
        if (print) b.print({v[1]});
        const Value y = b.op(OpKind::Add, {b.op(OpKind::Mul, {v[0], f32(b, 0.5f)}), f32(b, 1.0f)});
        return std::vector<Value>{y, b.op(OpKind::Add, {v[1], i32(b, 1)})};
      });
  b.set_outputs({r[0], r[1]});
}

std::vector<Tensor> args(int32_t n) {
  return {gpu_test::sample(DType::Float32, Shape{1000}), Tensor::scalar<int32_t>(n)};
}

void same_as_cpu(const Graph& g, int32_t n, int64_t want_device_loops) {
  const Executable exe = compile(g);
  RunStats stats;
  RunOptions opts;
  opts.stats = &stats;
  opts.device = gpu_test::gpu();
  opts.print_sink = [](std::string_view) {};
  const auto got = exe.run(args(n), opts);
  RunOptions cpu;
  cpu.print_sink = opts.print_sink;
  const auto want = exe.run(args(n), cpu);
  CHECK(stats.device_loops == want_device_loops);
  std::string why;
  CHECK(gpu_test::close(want[0], got[0].host(), &why));
  INFO(why);
  CHECK(got[1].item<int64_t>() == n);
}

}  // namespace

TEST_CASE("gpu loop: a capturable while runs as a CUDA graph with the CPU's result", "[gpu]") {
  Graph g;
  halving_loop(g, false);
  same_as_cpu(g, 50, 1);
  same_as_cpu(g, 0, 1);  // a loop that does not start: nothing launched, the state unchanged
  same_as_cpu(g, 7, 1);  // the cached graph again
}

TEST_CASE("gpu loop: a body with a print runs host-driven with the CPU's result", "[gpu]") {
  Graph g;
  halving_loop(g, true);
  same_as_cpu(g, 20, 0);
}

TEST_CASE("gpu loop: an endless while on the GPU stops within 100 ms of an interrupt", "[gpu]") {
  Graph g;
  build_endless_loop(g);
  RunOptions opts;
  opts.device = gpu_test::gpu();
  const double ms = interrupt_latency_ms(compile(g), opts);
  INFO("latency " << ms << " ms");
  CHECK(ms >= 0);
  CHECK(ms < 100);
}
