// Runtime pieces the Python bindings call instead of holding rules themselves: print batching,
// device lookup by name, variable creation and assign modes, and stats as (name, value) pairs.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "helpers.h"
#include "runtime/backend/registry.h"
#include "runtime/backend/test_backend.h"
#include "runtime/exec/executor.h"
#include "runtime/exec/print_buffer.h"
#include "runtime/graph/tracer.h"

using namespace xag::rt;
using namespace xag::rt::test;

TEST_CASE("PrintBuffer hands out text in batches once the interval passed", "[print_buffer]") {
  PrintBuffer prints(std::chrono::milliseconds(20));
  prints.append("a");
  prints.append("b\n");
  CHECK(prints.take_if_due().empty());  // too soon: the text stays
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  CHECK(prints.take_if_due() == "ab\n");
  CHECK(prints.take_if_due().empty());  // nothing new
  prints.append("c");
  CHECK(prints.take() == "c");  // the end of a run takes everything
  CHECK(prints.take().empty());
}

TEST_CASE("device_id finds listed devices and names them when it cannot", "[backend]") {
  CHECK(device_id("cpu") == kCpuDevice);
  CHECK_THROWS_WITH(device_id("gpu:7"),
                    Catch::Contains("device 'gpu:7' is not available (devices: 'cpu')"));
  enable_test_backend(true);
  CHECK(device_id("test:0") == test_backend().id());
  enable_test_backend(false);
  CHECK_THROWS_AS(device_id("test:0"), InvalidArgumentError);
}

TEST_CASE("variables need an eager initial value; assign modes by name", "[variables]") {
  auto var = new_variable(Operand(vec<float>({1, 2})), "v");
  CHECK(var->name() == "v");
  CHECK(assign_mode("set") == AssignMode::Set);
  CHECK(assign_mode("add") == AssignMode::Add);
  CHECK(assign_mode("sub") == AssignMode::Sub);
  CHECK_THROWS_WITH(assign_mode("mul"), Catch::Contains("got 'mul'"));
  assign_variable(var, Operand(vec<float>({1, 1})), assign_mode("sub"));
  CHECK(var->read().data<float>()[1] == 1.0f);

  auto trace = Trace::create();
  TraceScope scope(trace);
  const Operand x = trace->placeholder(TensorSpec{DType::Float32, Shape{2}}, "x");
  CHECK_THROWS_AS(new_variable(x, "w"), StagingError);
}

TEST_CASE("stats structs list their counters by name", "[stats]") {
  RunStats s;
  s.polls = 3;
  s.native_helper_calls = 7;
  s.device_loops = 2;
  const auto fields = s.fields();
  REQUIRE(fields.size() == 6);
  CHECK(std::string(fields[3].first) == "polls");
  CHECK(fields[3].second == 3);
  CHECK(std::string(fields[4].first) == "native_helper_calls");
  CHECK(fields[4].second == 7);
  CHECK(std::string(fields[5].first) == "device_loops");
  CHECK(fields[5].second == 2);
  TestBackendStats t;
  t.ops = 5;
  CHECK(std::string(t.fields().back().first) == "ops");
  CHECK(t.fields().back().second == 5);
}

TEST_CASE("frames of the host package are recognised by their directory", "[tracer]") {
  CHECK_FALSE(in_package("/usr/lib/autograph/ops.py"));  // no package directory set
  set_package_dir("/usr/lib/autograph/");
  CHECK(in_package("/usr/lib/autograph/ops.py"));
  CHECK_FALSE(in_package("/home/user/cell.py"));
  CHECK_FALSE(in_package("/usr/lib/"));
  set_package_dir("");
  CHECK_FALSE(in_package("/usr/lib/autograph/ops.py"));
}
