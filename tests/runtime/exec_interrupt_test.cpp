// Executor cancellation: an endless While stops within 100 ms when the interrupt flag is set
// from another thread or when the poll hook asks, and the executable is reusable afterwards.
// Also: a long While does not allocate per iteration.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "graph_test_util.h"
#include "runtime/core/interrupt.h"

using namespace xag::rt;
using namespace xag::rt::test;
using Clock = std::chrono::steady_clock;

namespace {

Executable endless_loop() {
  Graph g;
  build_endless_loop(g);
  return compile(g);
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

}  // namespace

TEST_CASE("the interrupt flag stops an endless while within 100 ms", "[exec][interrupt]") {
  const Executable exe = endless_loop();
  const double latency_ms = interrupt_latency_ms(exe);
  CHECK(latency_ms >= 0);  // cancelled
  CHECK(latency_ms < 100);
  // Reusable afterwards.
  CHECK(as_int(exe.run({Tensor::scalar<bool>(false)})[0]) == 5);
}

TEST_CASE("the poll hook stops an endless while within 100 ms", "[exec][interrupt]") {
  const Executable exe = endless_loop();
  clear_interrupt();
  std::atomic<bool> stop{false};
  std::atomic<int> polls{0};
  RunOptions opts;
  opts.poll_interval_ms = 3;
  opts.poll = [&] {
    ++polls;
    return stop.load();
  };
  RunStats stats;
  opts.stats = &stats;
  Clock::time_point requested;
  double latency_ms = -1;
  std::thread runner([&] {
    try {
      exe.run({Tensor::scalar<bool>(true)}, opts);
    } catch (const CancelledError&) {
      latency_ms = ms_since(requested);
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  requested = Clock::now();
  stop = true;
  runner.join();
  CHECK(latency_ms >= 0);
  CHECK(latency_ms < 100);
  // Called every few ms, not every iteration (60 ms at 3 ms: roughly 20, allow slack).
  CHECK(polls.load() >= 3);
  CHECK(polls.load() < 200);
  RunStats after;
  RunOptions plain;
  plain.stats = &after;
  CHECK(as_int(exe.run({Tensor::scalar<bool>(false)}, plain)[0]) == 5);
  CHECK(after.loop_iterations == 5);
}

TEST_CASE("a long while reuses its buffers instead of allocating per iteration", "[exec]") {
  Graph g;
  GraphBuilder b(g);
  const Value x0 = b.placeholder(TensorSpec{DType::Float32, Shape{1000}}, "x");
  const auto r = b.while_loop(
      {x0, i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[1], i32(b, 2000)});
      },
      [&](const std::vector<Value>& v) {
        const Value y = b.op(OpKind::Sub, {b.op(OpKind::Mul, {v[0], f32(b, 0.5f)}), f32(b, 1.0f)});
        return std::vector<Value>{y, b.op(OpKind::Add, {v[1], i32(b, 1)})};
      });
  b.set_outputs({r[0]});
  RunStats stats;
  RunOptions opts;
  opts.stats = &stats;
  run_graph(g, {Tensor::zeros(DType::Float32, Shape{1000})}, opts);
  CHECK(stats.loop_iterations == 2000);
  CHECK(stats.instructions == 4000);
  // A few buffers warm up in the first iterations; then the slots are reused.
  CHECK(stats.buffer_allocations <= 4);
}
