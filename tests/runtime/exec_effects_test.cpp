// Executor side effects: print order through the sink, assertions with source locations,
// variables in program order, run-time errors naming the user's line.
#include <catch2/catch.hpp>

#include "graph_test_util.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

RunOptions capture_prints(std::string& out) {
  RunOptions o;
  o.print_sink = [&out](std::string_view s) { out.append(s); };
  return o;
}

}  // namespace

TEST_CASE("print writes through the sink in program order", "[exec]") {
  Graph g;
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  b.print({PrintArg::literal("start"), n}, ", ");
  b.while_loop(
      {i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[0], n});
      },
      [&](const std::vector<Value>& v) {
        b.print({PrintArg::literal("i ="), v[0]}, " ", ";");
        return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)})};
      });
  b.print({b.constant(Tensor::from_vector<float>({1.5f, 2}, Shape{2}))});
  b.set_outputs({});
  std::string out;
  run_graph(g, {Tensor::scalar<int32_t>(3)}, capture_prints(out));
  CHECK(out == "start, 3\ni = 0;i = 1;i = 2;" +
                   Tensor::from_vector<float>({1.5f, 2}, Shape{2}).to_string() + "\n");
}

TEST_CASE("a failed assert names the message and file:line", "[exec]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(scalar_spec(DType::Int32), "x");
  b.set_location(SourceLoc{"cell.py", 12, 4, "assert x > 0, 'x must be positive'"});
  b.assert_true(b.op(OpKind::Greater, {x, i32(b, 0)}), "x must be positive");
  b.set_location({});
  b.set_outputs({b.op(OpKind::Neg, {x})});
  const Executable exe = compile(g);
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(5)})[0]) == -5);
  try {
    exe.run({Tensor::scalar<int32_t>(-1)});
    FAIL("no error");
  } catch (const LocatedError& e) {
    CHECK(std::string(e.what()) == "assertion failed: x must be positive (cell.py:12)");
    CHECK(e.loc().line == 12);
    CHECK(e.loc().source_line.find("assert x > 0") != std::string::npos);
  }
}

TEST_CASE("an assert inside a loop stops it at the failing iteration", "[exec]") {
  Graph g;
  GraphBuilder b(g);
  std::string out;
  b.while_loop(
      {i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[0], i32(b, 10)});
      },
      [&](const std::vector<Value>& v) {
        b.print({v[0]}, " ", " ");
        b.set_location(SourceLoc{"loop.py", 3, 0, ""});
        b.assert_true(b.op(OpKind::Less, {v[0], i32(b, 3)}), "i < 3");
        return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)})};
      });
  b.set_outputs({});
  CHECK_THROWS_WITH(run_graph(g, {}, capture_prints(out)), "assertion failed: i < 3 (loop.py:3)");
  CHECK(out == "0 1 2 3 ");
}

TEST_CASE("run-time op errors name the node's line", "[exec]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(scalar_spec(DType::Int32));
  b.set_location(SourceLoc{"div.py", 2, 0, "y = 10 // x"});
  b.set_outputs({b.op(OpKind::FloorDiv, {i32(b, 10), x})});
  CHECK_THROWS_WITH(run_graph(g, {Tensor::scalar<int32_t>(0)}),
                    Catch::Contains("division by zero") && Catch::Contains("div.py:2"));
}

TEST_CASE("variable assigns and reads keep program order", "[exec]") {
  auto v = std::make_shared<Variable>(Tensor::scalar<int32_t>(0), "v");
  Graph g;
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  b.var_assign(v, i32(b, 10));
  const Value r1 = b.var_read(v);
  b.while_loop(
      {i32(b, 0)},
      [&](const std::vector<Value>& w) {
        return b.op(OpKind::Less, {w[0], n});
      },
      [&](const std::vector<Value>& w) {
        b.var_assign_add(v, w[0]);
        return std::vector<Value>{b.op(OpKind::Add, {w[0], i32(b, 1)})};
      });
  const Value r2 = b.var_read(v);
  const Value r3 = b.var_assign_sub(v, i32(b, 1));
  b.set_outputs({r1, r2, r3});
  const Executable exe = compile(g);
  auto out = exe.run({Tensor::scalar<int32_t>(4)});
  CHECK(as_int(out[0]) == 10);
  CHECK(as_int(out[1]) == 16);  // 10 + 0 + 1 + 2 + 3
  CHECK(as_int(out[2]) == 15);
  CHECK(as_int(v->read()) == 15);
  // The variable is shared state: a second run starts from its current value.
  v->assign(Tensor::scalar<int32_t>(100));
  out = exe.run({Tensor::scalar<int32_t>(0)});
  CHECK(as_int(out[1]) == 10);
}

TEST_CASE("variable assign checks shapes and casts dtypes", "[exec]") {
  auto v = std::make_shared<Variable>(Tensor::zeros(DType::Float32, Shape{2}), "w");
  Graph g;
  GraphBuilder b(g);
  CHECK_THROWS_WITH(b.var_assign(v, b.constant(Tensor::zeros(DType::Float32, Shape{3}))),
                    Catch::Contains("assign"));
  b.var_assign_add(v, f32(b, 1.5f));
  b.set_outputs({b.var_read(v)});
  const auto out = run_graph(g);
  CHECK(out[0].equals(Tensor::from_vector<float>({1.5f, 1.5f}, Shape{2})));
}
