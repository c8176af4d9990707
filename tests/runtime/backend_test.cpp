// The backend interface through the test backend ("test:0"), whose buffers the host cannot read:
// placement by DeviceScope, the implicit copies where devices meet, device-aware Tensor methods,
// and graphs run on the device they are placed on (fused programs included).
#include <catch2/catch.hpp>

#include <vector>

#include "graph_test_util.h"
#include "helpers.h"
#include "runtime/backend/placement.h"
#include "runtime/backend/registry.h"
#include "runtime/backend/test_backend.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

// Lists test:0 while a test runs (and hides it again: other tests expect only the CPU).
struct TestDevice {
  DeviceId id;
  TestDevice() {
    enable_test_backend(true);
    id = test_backend().id();
    test_backend().reset_stats();
  }
  ~TestDevice() { enable_test_backend(false); }
};

TestBackendStats stats() {
  return test_backend().stats();
}

}  // namespace

TEST_CASE("the registry lists the cpu first and test:0 only when enabled", "[backend]") {
  CHECK(device_names() == std::vector<std::string>{"cpu"});
  CHECK(find_backend("test:0") == nullptr);
  CHECK(find_backend("cpu") == &cpu_backend());
  CHECK(cpu_backend().id() == kCpuDevice);
  {
    TestDevice dev;
    CHECK(device_names() == std::vector<std::string>{"cpu", "test:0"});
    REQUIRE(find_backend("test:0") == &test_backend());
    CHECK(device_name(dev.id) == "test:0");
  }
  CHECK(device_names() == std::vector<std::string>{"cpu"});
}

TEST_CASE("the device id costs Tensor no space and scalars stay inline", "[backend]") {
  // Shape, numel, the shared owner and data pointer, 8 inline bytes, and the 1-byte fields.
  CHECK(sizeof(Tensor) == sizeof(Shape) + 8 + 16 + 8 + 8 + 8);
  const Tensor s = Tensor::scalar<float>(2.5f);
  CHECK(s.device() == kCpuDevice);
  const char* handle = reinterpret_cast<const char*>(&s);
  CHECK(static_cast<const char*>(s.raw_data()) >= handle);
  CHECK(static_cast<const char*>(s.raw_data()) < handle + sizeof(Tensor));
}

TEST_CASE("tensors on test:0 live outside host memory and copy back exactly", "[backend]") {
  TestDevice dev;
  const Tensor h = vec<float>({1.5f, -2.0f, 3.25f});
  const Tensor d = h.to(dev.id);
  CHECK(d.device() == dev.id);
  CHECK_FALSE(d.on_host());
  CHECK(test_backend().owns(d.raw_data()));  // an address the host cannot dereference
  CHECK_THROWS_AS(d.data<float>(), InternalError);
  CHECK(stats().to_device == 1);
  const Tensor back = d.host();
  CHECK(back.on_host());
  CHECK(values<float>(back) == std::vector<float>{1.5f, -2.0f, 3.25f});
  CHECK(stats().to_host == 1);
  // Device-aware conveniences: a copy stays on the device; item/to_string/equals/cast read it.
  const Tensor c = d.copy();
  CHECK(c.device() == dev.id);
  CHECK_FALSE(c.shares_buffer_with(d));
  CHECK(stats().on_device == 1);
  CHECK(d.to_string() == h.to_string());
  CHECK(d.equals(h));
  CHECK(d.cast(DType::Int32).device() == dev.id);
  CHECK(values<int32_t>(d.cast(DType::Int32).host()) == std::vector<int32_t>{1, -2, 3});
  const Tensor one = Tensor::scalar<int64_t>(7).to(dev.id);  // a 0-d tensor on the device
  CHECK(one.device() == dev.id);
  CHECK(one.item<int64_t>() == 7);
  // Buffers are freed through the backend.
  const int64_t live = stats().live_buffers;
  {
    const Tensor tmp = h.to(dev.id);
    CHECK(stats().live_buffers == live + 1);
  }
  CHECK(stats().live_buffers == live);
}

TEST_CASE("a DeviceScope places eager ops; inputs are copied where devices meet", "[backend]") {
  TestDevice dev;
  const Tensor a = vec<float>({1, 2, 3});
  const Tensor b = vec<float>({10, 20, 30});
  Tensor on_dev;
  {
    DeviceScope scope(dev.id);
    CHECK(placed_device() == dev.id);
    on_dev = run(OpKind::Add, {a, b});  // two host inputs: two copies in, one op there
    CHECK(on_dev.device() == dev.id);
    CHECK(stats().to_device == 2);
    CHECK(stats().ops == 1);
    const Tensor mixed = run(OpKind::Mul, {on_dev, b});  // only the host input moves
    CHECK(mixed.device() == dev.id);
    CHECK(stats().to_device == 3);
    CHECK(values<float>(mixed.host()) == std::vector<float>{110, 440, 990});
    {
      DeviceScope cpu(kCpuDevice);  // an inner scope back on the CPU copies device inputs out
      const Tensor h = run(OpKind::Sub, {on_dev, a});
      CHECK(h.on_host());
      CHECK(values<float>(h) == std::vector<float>{10, 20, 30});
    }
  }
  CHECK(placed_device() == kCpuDevice);
  // No scope: the CPU, the device input copied to the host, no op on the device.
  const int64_t ops = stats().ops;
  const Tensor h = run(OpKind::Neg, {on_dev});
  CHECK(h.on_host());
  CHECK(values<float>(h) == std::vector<float>{-11, -22, -33});
  CHECK(stats().ops == ops);
}

TEST_CASE("ops on test:0 give the CPU's results", "[backend]") {
  TestDevice dev;
  const Tensor m = mat<float>({1, 2, 3, 4, 5, 6}, Shape{2, 3});
  const Tensor idx = vec<int32_t>({2, 0});
  OpAttrs slice;  // x[:, 1:] (strided: the backend's getitem)
  SliceItem from1;
  from1.has_start = true;
  from1.start = 1;
  slice.slices = {SliceItem::all(), from1};
  OpAttrs row;  // x[t] with a tensor index (a contiguous block: a view into the buffer)
  row.slices = {SliceItem::index_input(1)};
  struct Case {
    OpKind op;
    std::vector<Tensor> in;
    OpAttrs attrs;
  };
  const std::vector<Case> cases = {
      {OpKind::MatMul, {m, mat<float>({1, 0, 0, 1, 1, 1}, Shape{3, 2})}, {}},
      {OpKind::ReduceSum, {m}, OpAttrs::with_axes({1})},
      {OpKind::ReduceMax, {m}, {}},
      {OpKind::Transpose, {m}, {}},
      {OpKind::Gather, {m, idx}, OpAttrs::with_axis(1)},
      {OpKind::Softmax, {m}, {}},
      {OpKind::Where, {vec<bool>({true, false}), vec<float>({1, 2}), vec<float>({3, 4})}, {}},
      {OpKind::ClipByValue, {m, Tensor::scalar<float>(2), Tensor::scalar<float>(5)}, {}},
      {OpKind::Concat, {m, m}, OpAttrs::with_axis(0)},
      {OpKind::Reshape, {m, vec<int32_t>({3, -1})}, {}},
      {OpKind::Range,
       {Tensor::scalar<int32_t>(1), Tensor::scalar<int32_t>(9), Tensor::scalar<int32_t>(3)},
       {}},
      {OpKind::Zeros, {vec<int32_t>({2, 2})}, {}},
      {OpKind::GetItem, {m}, slice},
      {OpKind::GetItem, {m, Tensor::scalar<int32_t>(1)}, row},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    CAPTURE(i, op_name(cases[i].op));
    const OpAttrs& attrs = cases[i].attrs;
    const Tensor want = run(cases[i].op, cases[i].in.data(), cases[i].in.size(), attrs);
    Tensor got;
    {
      DeviceScope scope(dev.id);
      got = run(cases[i].op, cases[i].in.data(), cases[i].in.size(), attrs);
    }
    CHECK(got.device() == dev.id);
    CHECK(got.equals(want));
  }
}

TEST_CASE("the test backend refuses inputs that were not copied to it", "[backend]") {
  TestDevice dev;
  const Tensor h = vec<float>({1, 2});
  Tensor out = test_backend().empty(DType::Float32, Shape{2});
  const Tensor in[2] = {h, h};
  OpAttrs none;
  const TensorSpec spec{DType::Float32, Shape{2}};
  OpCall call{OpKind::Add, in, 2, &none, &spec, nullptr};
  CHECK_THROWS_AS(test_backend().run_op(call, out), InternalError);
}

namespace {

// x <- x * 2 + 1 three times (a While with an int32 counter), then (x, max(x), sum(x)).
void loop_graph(Graph& g) {
  GraphBuilder b(g);
  const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{4}}, "x");
  const auto r = b.while_loop(
      {i32(b, 0), x},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[0], i32(b, 3)});
      },
      [&](const std::vector<Value>& v) {
        const Value y = b.op(OpKind::Add, {b.op(OpKind::Mul, {v[1], f32(b, 2)}), f32(b, 1)});
        return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)}), y};
      });
  b.set_outputs({r[1], b.op(OpKind::ReduceMax, {b.op(OpKind::Abs, {r[1]})}),
                 b.op(OpKind::ReduceSum, {r[1]})});
}

}  // namespace

TEST_CASE("a graph runs on the device it is placed on", "[backend][exec]") {
  TestDevice dev;
  for (const bool fused : {false, true}) {
    CAPTURE(fused);
    Graph g;
    loop_graph(g);
    if (fused) {
      run_passes(g, {{"fuse", fuse_elementwise}}, /*verify_each=*/true);
      REQUIRE(g.dump().find("fused_elementwise") != std::string::npos);
    }
    const Tensor x = vec<float>({1, -2, 0.5f, 3});
    const auto want = run_graph(g, {x});
    test_backend().reset_stats();
    RunOptions opts;
    opts.device = dev.id;
    const auto got = run_graph(g, {x}, opts);
    CHECK(got[0].device() == dev.id);  // arrays stay on the device
    CHECK(got[1].on_host());           // 0-d results come back to the host (scalar path)
    CHECK(got[2].on_host());
    for (size_t i = 0; i < 3; ++i) CHECK(got[i].equals(want[i]));
    CHECK(stats().to_device == 1);  // the argument moved once; scalars travel by value
    CHECK(stats().ops >= 6);        // the loop body ran there: 3 x (mul, add) at least
    // An argument already on the device is not copied again.
    const Tensor xd = x.to(dev.id);
    test_backend().reset_stats();
    const auto again = run_graph(g, {xd}, opts);
    CHECK(again[0].equals(want[0]));
    CHECK(stats().to_device == 0);
    // A CPU graph given a device argument copies it to the host and runs nothing there.
    test_backend().reset_stats();
    const auto on_cpu = run_graph(g, {xd});
    CHECK(on_cpu[0].on_host());
    CHECK(on_cpu[0].equals(want[0]));
    CHECK(stats().ops == 0);
    CHECK(stats().to_host == 1);
  }
}
