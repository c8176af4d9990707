// Executor: Call nodes run graph functions re-entrantly (a recursive function calls itself),
// bounded at kMaxCallDepth with a located RecursionError; optimizing keeps them; the native
// tier runs them through its helper path.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>
#include <string>

#include "graph_test_util.h"
#include "runtime/graph/passes.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

// fact(n) = 1 if n <= 1 else n * fact(n - 1), as a graph function calling itself; `main`
// calls it once.
std::shared_ptr<Graph> factorial_function() {
  auto fn = std::make_shared<Graph>("fact");
  GraphBuilder b(*fn);
  SourceLoc loc;
  loc.file = "fact.py";
  loc.line = 4;
  b.set_location(loc);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  const Value stop = b.op(OpKind::LessEqual, {n, i32(b, 1)});
  const auto r = b.cond(
      stop, {n}, [&](const std::vector<Value>&) { return std::vector<Value>{i32(b, 1)}; },
      [&](const std::vector<Value>& p) {
        const Value down = b.op(OpKind::Sub, {p[0], i32(b, 1)});
        const Value rec = b.call(fn.get(), {down}, {Type::tensor(scalar_spec(DType::Int32))})[0];
        return std::vector<Value>{b.op(OpKind::Mul, {p[0], rec})};
      });
  b.set_outputs(r);
  return fn;
}

void build_main(Graph& g, const std::shared_ptr<Graph>& fn) {
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  g.add_function(fn);
  b.set_outputs(b.call(fn.get(), {n}, {Type::tensor(scalar_spec(DType::Int32))}));
}

}  // namespace

TEST_CASE("a graph function calls itself: factorial", "[exec][call]") {
  Graph g;
  build_main(g, factorial_function());
  g.verify();
  const Executable exe = compile(g);
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(5)})[0]) == 120);
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(1)})[0]) == 1);
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(12)})[0]) == 479001600);
  CHECK(g.dump().find("call @fact") != std::string::npos);
  CHECK(g.to_dot().find("call fact") != std::string::npos);
}

TEST_CASE("calls are re-entrant up to the depth limit, then a located RecursionError",
          "[exec][call]") {
  Graph g;
  build_main(g, factorial_function());
  const Executable exe = compile(g);
  // kMaxCallDepth nested calls run (the product wraps; only the depth matters here).
  CHECK_NOTHROW(exe.run({Tensor::scalar<int32_t>(kMaxCallDepth)}));
  try {
    exe.run({Tensor::scalar<int32_t>(kMaxCallDepth + 1)});
    FAIL("expected a RecursionError");
  } catch (const LocatedError& e) {
    CHECK(e.kind() == ErrorKind::Recursion);
    CHECK(e.loc().line == 4);
    CHECK(std::string(e.what()).find("maximum recursion depth exceeded: 'fact'") !=
          std::string::npos);
  }
  // The executable stays usable after the error.
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(4)})[0]) == 24);
}

TEST_CASE("optimizing keeps calls and optimizes the function", "[exec][call]") {
  Graph g;
  auto fn = factorial_function();
  build_main(g, fn);
  run_passes(g, default_passes(), true);
  CHECK(g.ops(true).size() >= 2);
  CHECK(compile(g).run({Tensor::scalar<int32_t>(6)})[0].item<int32_t>() == 720);
}

TEST_CASE("the native tier runs calls through the interpreter", "[exec][call][jit]") {
  ::setenv("XAG_JIT", "sync", 1);
  Graph g;
  {
    // A loop around the call, so the JIT compiles the caller: sum of fact(i) for i < n.
    GraphBuilder b(g);
    auto fn = factorial_function();
    g.add_function(fn);
    const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
    const auto out = b.while_loop(
        {i32(b, 0), i32(b, 0)},
        [&](const std::vector<Value>& v) {
          return b.op(OpKind::Less, {v[0], n});
        },
        [&](const std::vector<Value>& v) {
          const Value f = b.call(fn.get(), {v[0]}, {Type::tensor(scalar_spec(DType::Int32))})[0];
          return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)}),
                                    b.op(OpKind::Add, {v[1], f})};
        });
    b.set_outputs({out[1]});
  }
  const Executable exe = compile(g);
  ::unsetenv("XAG_JIT");
  // 0! + 1! + ... + 6! = 1 + 1 + 2 + 6 + 24 + 120 + 720
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(7)})[0]) == 874);
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(7)})[0]) == 874);
}

TEST_CASE("verify checks a call against its function", "[graph][call]") {
  Graph g;
  auto fn = factorial_function();
  GraphBuilder b(g);
  const Value x = b.placeholder(scalar_spec(DType::Float32), "x");
  g.add_function(fn);
  b.set_outputs(b.call(fn.get(), {x}, {Type::tensor(scalar_spec(DType::Int32))}));
  CHECK_THROWS_WITH(g.verify(), Catch::Contains("takes int32"));
}

TEST_CASE("a finished call's frame keeps none of its values alive", "[exec][call]") {
  // Call frames are pooled per thread for the next call (call.cpp): the pool must drop the
  // frame's values, or an argument (and every buffer the callee made) would stay referenced
  // until some later call on this thread reused the frame.
  auto fn = std::make_shared<Graph>("twice");
  {
    GraphBuilder b(*fn);
    const Value v = b.placeholder(TensorSpec{DType::Float32, Shape{1000}}, "v");
    b.set_outputs({b.op(OpKind::Add, {v, v})});
  }
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{1000}}, "x");
  g.add_function(fn);
  b.set_outputs(b.call(fn.get(), {x}, {Type::tensor(TensorSpec{DType::Float32, Shape{1000}})}));
  const Executable exe = compile(g);
  Tensor input = Tensor::full(DType::Float32, Shape{1000}, 1.5);
  for (int run = 0; run < 2; ++run) {  // the second call takes the pooled frame
    std::vector<Tensor> out = exe.run({input});
    CHECK(out[0].data<float>()[999] == 3.0f);
    CHECK(input.is_exclusively_owned());
  }
}
