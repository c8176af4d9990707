// Device loops on the CPU (no GPU needed): the decision "capturable or not, and why" over a
// While node (runtime/backend/cuda/loop_plan.h), the plan's steps computing what the executor
// computes, and the executor's hand-off of a whole loop to its device backend (the test backend
// standing in for the GPU, with a reference runner that drives the plan from the host).
#include <catch2/catch.hpp>

#include <memory>

#include "graph_test_util.h"
#include "runtime/backend/cuda/loop_plan.h"
#include "runtime/backend/registry.h"
#include "runtime/backend/test_backend.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

const Node& while_node(const std::vector<Value>& results) {
  return *results.at(0).node;
}

// while i < 10: x = x * 0.5 + c; i += 1  (x: f32[4], c: a capture)
struct HalvingLoop {
  Graph g;
  std::vector<Value> r;
  HalvingLoop() {
    GraphBuilder b(g);
    const Value x0 = b.placeholder(TensorSpec{DType::Float32, Shape{4}}, "x");
    const Value c = b.placeholder(TensorSpec{DType::Float32, Shape{4}}, "c");
    b.set_location(SourceLoc{"cell.py", 7, 0, "while i < 10:"});
    r = b.while_loop(
        {x0, i32(b, 0)},
        [&](const std::vector<Value>& v) {
          return b.op(OpKind::Less, {v[1], i32(b, 10)});
        },
        [&](const std::vector<Value>& v) {
          const Value y = b.op(OpKind::Add, {b.op(OpKind::Mul, {v[0], f32(b, 0.5f)}), c});
          return std::vector<Value>{y, b.op(OpKind::Add, {v[1], i32(b, 1)})};
        });
    b.set_outputs({r[0], r[1]});
  }
  static std::vector<Tensor> args() {
    return {Tensor::from_vector<float>({1, 2, 3, 4}, Shape{4}),
            Tensor::from_vector<float>({0.5f, -1, 2, 0}, Shape{4})};
  }
};

// The reference runner: the plan's steps driven from the host, one predicate read per
// iteration, `stop` polled per iteration (what the CUDA graph does on the device).
bool reference_loop(const LoopPlan& plan, std::vector<Tensor>& state,
                    const std::function<bool()>& stop) {
  std::vector<Tensor> values(static_cast<size_t>(plan.num_values()));
  std::copy(state.begin(), state.end(), values.begin());
  for (;;) {
    run_loop_steps(plan, 0, plan.num_cond_steps, values);
    if (!values[static_cast<size_t>(plan.pred)].host().item<bool>()) break;
    if (stop()) throw CancelledError("interrupted");
    run_loop_steps(plan, plan.num_cond_steps, plan.steps.size(), values);
    std::vector<Tensor> next;
    for (int32_t r : plan.results) next.push_back(values[static_cast<size_t>(r)]);
    std::copy(next.begin(), next.end(), values.begin());
  }
  std::copy(values.begin(), values.begin() + plan.num_vars, state.begin());
  return true;
}

// Enables test:0 with `runner` for whole loops while alive.
struct LoopDevice {
  explicit LoopDevice(decltype(TestBackend::loop_runner) runner) {
    enable_test_backend(true);
    test_backend().loop_runner = std::move(runner);
  }
  ~LoopDevice() {
    test_backend().loop_runner = nullptr;
    enable_test_backend(false);
  }
  DeviceId id() const { return device_id("test:0"); }
};

std::string reason_of(const std::function<void(GraphBuilder&, const std::vector<Value>&,
                                               std::vector<Value>&)>& body_extra,
                      Value (*max_iter)(GraphBuilder&) = nullptr) {
  Graph g;
  GraphBuilder b(g);
  const Value x0 = b.placeholder(TensorSpec{DType::Int32, Shape{3}}, "x");
  const auto r = b.while_loop(
      {x0, i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[1], i32(b, 3)});
      },
      [&](const std::vector<Value>& v) {
        std::vector<Value> out{v[0], b.op(OpKind::Add, {v[1], i32(b, 1)})};
        body_extra(b, v, out);
        return out;
      },
      max_iter ? max_iter(b) : Value{});
  b.set_outputs({r[0]});
  const LoopPlanResult p = plan_device_loop(while_node(r));
  CHECK(!p.plan);
  return p.reason;
}

}  // namespace

TEST_CASE("device loop plan: plain ops are capturable, and the steps compute the loop", "[cuda]") {
  HalvingLoop l;
  const LoopPlanResult p = plan_device_loop(while_node(l.r));
  REQUIRE(p.plan);
  CHECK(p.reason.empty());
  CHECK(p.plan->num_vars == 2);
  CHECK(p.plan->num_captures == 1);
  CHECK(p.plan->loc.line == 7);
  std::vector<Tensor> state = {HalvingLoop::args()[0], Tensor::scalar<int32_t>(0),
                               HalvingLoop::args()[1]};
  REQUIRE(reference_loop(*p.plan, state, [] { return false; }));
  const auto want = run_graph(l.g, HalvingLoop::args());
  CHECK(state[0].equals(want[0]));
  CHECK(state[1].item<int64_t>() == 10);
}

TEST_CASE("device loop plan: each part a CUDA graph cannot hold says why", "[cuda]") {
  using V = std::vector<Value>;
  CHECK_THAT(reason_of([](GraphBuilder& b, const V& v, V&) { b.print({v[1]}); }),
             Catch::Contains("print() runs on the host"));
  CHECK_THAT(reason_of([](GraphBuilder& b, const V& v, V&) {
               b.assert_true(b.op(OpKind::Less, {v[1], i32(b, 9)}), "m");
             }),
             Catch::Contains("assert"));
  CHECK_THAT(reason_of([](GraphBuilder& b, const V& v, V& out) {
               const Value l = b.list_new(TensorSpec{DType::Int32, Shape{}});
               out[1] = b.op(OpKind::Add, {out[1], b.list_size(b.list_push_back(l, v[1]))});
             }),
             Catch::Contains("list/TensorArray"));
  CHECK_THAT(
      reason_of([](GraphBuilder& b, const V& v, V& out) { out[1] = b.op(OpKind::Size, {v[0]}); }),
      Catch::Contains("op size runs on the host"));
  CHECK_THAT(reason_of([](GraphBuilder& b, const V& v, V& out) {
               out[0] = b.op(OpKind::FloorDiv, {v[0], b.op(OpKind::Add, {v[1], i32(b, 1)})});
             }),
             Catch::Contains("integer op floordiv checks for faults"));
  CHECK_THAT(reason_of([](GraphBuilder& b, const V& v, V& out) {
               OpAttrs at;  // x[i]: the element read depends on i's value
               at.slices = {SliceItem::index_input(1)};
               out[1] = b.op(OpKind::Add, {out[1], b.op(OpKind::GetItem, {v[0], v[1]}, at)});
             }),
             Catch::Contains("depends on a tensor's value"));
  CHECK_THAT(reason_of([](GraphBuilder& b, const V& v, V& out) {
               out[1] = b.while_loop(
                   {v[1]},
                   [&](const V& u) {
                     return b.op(OpKind::Less, {u[0], i32(b, 0)});
                   },
                   [&](const V& u) { return V{u[0]}; })[0];
             }),
             Catch::Contains("nested while"));
  CHECK_THAT(
      reason_of([](GraphBuilder&, const V&, V&) {}, [](GraphBuilder& b) { return i32(b, 5); }),
      Catch::Contains("maximum_iterations"));
}

TEST_CASE("device loop: the executor hands the loop to the device and reads results back",
          "[cuda]") {
  int launches = 0;
  LoopDevice dev([&](const LoopPlan& p, std::vector<Tensor>& s, const std::function<bool()>& stop) {
    ++launches;
    return reference_loop(p, s, stop);
  });
  HalvingLoop l;
  const Executable exe = compile(l.g);
  RunStats stats;
  RunOptions opts;
  opts.stats = &stats;
  opts.device = dev.id();
  const auto got = exe.run(HalvingLoop::args(), opts);
  const auto want = run_graph(l.g, HalvingLoop::args());
  CHECK(launches == 1);
  CHECK(stats.device_loops == 1);
  CHECK(stats.loop_iterations == 0);  // the host-driven loop after it found its condition false
  CHECK(got[0].device() == dev.id());
  CHECK(got[0].host().equals(want[0]));
  CHECK(got[1].item<int64_t>() == 10);
  // On the CPU the instruction does nothing: the host-driven loop runs every iteration.
  RunStats cpu;
  RunOptions cpu_opts;
  cpu_opts.stats = &cpu;
  exe.run(HalvingLoop::args(), cpu_opts);
  CHECK(cpu.device_loops == 0);
  CHECK(cpu.loop_iterations == 10);
}

TEST_CASE("device loop: a backend that declines leaves the loop to the host", "[cuda]") {
  LoopDevice dev(
      [](const LoopPlan&, std::vector<Tensor>&, const std::function<bool()>&) { return false; });
  HalvingLoop l;
  RunStats stats;
  RunOptions opts;
  opts.stats = &stats;
  opts.device = dev.id();
  const auto got = compile(l.g).run(HalvingLoop::args(), opts);
  CHECK(stats.device_loops == 0);
  CHECK(stats.loop_iterations == 10);
  CHECK(got[0].host().equals(run_graph(l.g, HalvingLoop::args())[0]));
}

TEST_CASE("device loop: an interrupt while the device runs the loop names the loop", "[cuda]") {
  LoopDevice dev([](const LoopPlan& p, std::vector<Tensor>& s, const std::function<bool()>& stop) {
    request_interrupt();  // as a signal arriving while the graph runs
    return reference_loop(p, s, stop);
  });
  HalvingLoop l;
  RunOptions opts;
  opts.device = dev.id();
  try {
    compile(l.g).run(HalvingLoop::args(), opts);
    FAIL("the loop was not interrupted");
  } catch (const LocatedCancelledError& e) {
    CHECK(e.loc().line == 7);
  }
  clear_interrupt();
}

TEST_CASE("device loop: a CPU-only process compiles its loops without the instruction", "[cuda]") {
  HalvingLoop l;
  const bool cpu_only = device_names() == std::vector<std::string>{"cpu"};
  CHECK((compile(l.g).dump().find("device_loop") == std::string::npos) == cpu_only);
  LoopDevice dev(nullptr);
  CHECK(compile(l.g).dump().find("device_loop") != std::string::npos);
}
