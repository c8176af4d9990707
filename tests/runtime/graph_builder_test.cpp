// GraphBuilder: typing, errors with source locations, captures, control dependencies, dumps.
#include <catch2/catch.hpp>

#include "graph_test_util.h"

using namespace xag::rt;
using namespace xag::rt::test;

TEST_CASE("builder types nodes with infer()", "[graph]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{2, 3}}, "x");
  const Value y = b.op(OpKind::Add, {x, f32(b, 1.0f)});
  CHECK(y.spec() == (TensorSpec{DType::Float32, Shape{2, 3}}));
  const Value s = b.op(OpKind::ReduceSum, {y}, OpAttrs::with_axes({1}));
  CHECK(s.spec().shape == Shape{2});
  b.set_outputs({s});
  g.verify();
  CHECK(g.ops() == std::vector<std::string>{"placeholder", "const", "add", "reduce_sum"});
}

TEST_CASE("type errors name the op, the shapes and the source line", "[graph]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{2, 3}});
  const Value y = b.placeholder(TensorSpec{DType::Float32, Shape{4}});
  b.set_location(SourceLoc{"cell3.py", 7, 4, "z = x + y"});
  try {
    b.op(OpKind::Add, {x, y});
    FAIL("no error");
  } catch (const LocatedError& e) {
    const std::string what = e.what();
    CHECK(what.find("add") != std::string::npos);
    CHECK(what.find("(2, 3)") != std::string::npos);
    CHECK(what.find("(4,)") != std::string::npos);
    CHECK(what.find("cell3.py:7") != std::string::npos);
    CHECK(e.loc().source_line == "z = x + y");
  }
}

TEST_CASE("nodes carry the builder's current location", "[graph]") {
  Graph g;
  GraphBuilder b(g);
  b.set_location(SourceLoc{"f.py", 3, 0, ""});
  const Value a = i32(b, 1);
  b.set_location(SourceLoc{"f.py", 4, 0, ""});
  const Value c = b.op(OpKind::Neg, {a});
  CHECK(a.node->loc.line == 3);
  CHECK(c.node->loc.line == 4);
  CHECK(g.dump().find("# f.py:4") != std::string::npos);
}

TEST_CASE("outer values used in subgraphs are captured through every level", "[graph]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(scalar_spec(DType::Int32), "x");
  const Value k = b.placeholder(scalar_spec(DType::Int32), "k");
  const auto out = b.cond(
      b.op(OpKind::Greater, {x, i32(b, 0)}), {},
      [&](const std::vector<Value>&) {
        // k is used two levels down: captured by the cond, then by the while.
        const auto w = b.while_loop(
            {i32(b, 0)},
            [&](const std::vector<Value>& v) {
              return b.op(OpKind::Less, {v[0], x});
            },
            [&](const std::vector<Value>& v) {
              return std::vector<Value>{b.op(OpKind::Add, {v[0], k})};
            });
        return std::vector<Value>{w[0]};
      },
      [&](const std::vector<Value>&) { return std::vector<Value>{k}; });
  b.set_outputs(out);
  g.verify();
  const Node* cond = out[0].node;
  // pred + captures x and k (each once, shared by both branches).
  REQUIRE(cond->inputs.size() == 3);
  CHECK(cond->inputs[1] == x);
  CHECK(cond->inputs[2] == k);
  CHECK(cond->subgraphs[0]->params().size() == 2);
  CHECK(cond->subgraphs[1]->params().size() == 2);
  auto r = run_graph(g, {Tensor::scalar<int32_t>(10), Tensor::scalar<int32_t>(3)});
  CHECK(as_int(r[0]) == 12);
  r = run_graph(g, {Tensor::scalar<int32_t>(-1), Tensor::scalar<int32_t>(3)});
  CHECK(as_int(r[0]) == 3);
}

TEST_CASE("values of a finished branch cannot be used outside it", "[graph]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(scalar_spec(DType::Int32));
  Value leaked;
  b.cond(
      boolean(b, true), {x},
      [&](const std::vector<Value>& p) {
        leaked = b.op(OpKind::Neg, {p[0]});
        return std::vector<Value>{leaked};
      },
      [&](const std::vector<Value>& p) { return std::vector<Value>{p[0]}; });
  CHECK_THROWS_WITH(b.op(OpKind::Neg, {leaked}), Catch::Contains("is used outside it"));
}

TEST_CASE("cond and while reject inconsistent branch and loop types", "[graph]") {
  Graph g;
  GraphBuilder b(g);
  b.set_location(SourceLoc{"f.py", 9, 0, ""});
  const Value x = b.placeholder(scalar_spec(DType::Int32));
  CHECK_THROWS_WITH(b.cond(
                        boolean(b, true), {x}, [&](const std::vector<Value>& p) { return p; },
                        [&](const std::vector<Value>&) { return std::vector<Value>{f32(b, 1)}; }),
                    Catch::Contains("output 0 is int32() in the true branch but float32()") &&
                        Catch::Contains("f.py:9"));
  CHECK_THROWS_WITH(
      b.while_loop(
          {x}, [&](const std::vector<Value>&) { return boolean(b, true); },
          [&](const std::vector<Value>& v) {
            return std::vector<Value>{
                b.op(OpKind::Cast, {v[0]}, OpAttrs::with_dtype(DType::Int64))};
          }),
      Catch::Contains("loop variable 0 is int32() on entry but int64() after the body"));
  // The failed attempts left the builder usable at the top level.
  CHECK(&b.current() == &g);
}

TEST_CASE("side effects are chained by control dependencies", "[graph]") {
  Graph g;
  GraphBuilder b(g);
  auto var = std::make_shared<Variable>(Tensor::scalar<int32_t>(0), "v");
  Node* p1 = b.print({PrintArg::literal("a")});
  const Value w = b.var_assign(var, i32(b, 1));
  const Value r = b.var_read(var);
  Node* p2 = b.print({r});
  CHECK(p1->control_deps.empty());
  REQUIRE(w.node->control_deps.size() == 1);
  CHECK(w.node->control_deps[0] == p1);
  CHECK(r.node->control_deps[0] == w.node);
  CHECK(p2->control_deps[0] == r.node);
  g.verify();
}

TEST_CASE("dump, to_dot and ops show nested subgraphs", "[graph]") {
  Graph g;
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  b.set_outputs({collatz_steps(b, n)});
  const std::string text = g.dump();
  CHECK(text.find("while(") != std::string::npos);
  CHECK(text.find("\n    cond(") != std::string::npos);  // subgraph indented under its node
  CHECK(text.find("\n        then(") != std::string::npos);
  const std::string dot = g.to_dot();
  CHECK(dot.rfind("digraph", 0) == 0);
  CHECK(dot.find("subgraph cluster_0") != std::string::npos);
  const auto ops = g.ops();
  CHECK(std::find(ops.begin(), ops.end(), "while") != ops.end());
  CHECK(std::find(ops.begin(), ops.end(), "cond") != ops.end());
  CHECK(std::find(ops.begin(), ops.end(), "floordiv") != ops.end());
  CHECK(g.ops(false).size() < ops.size());
}

// An unrolled Python loop inside a loop body reading n outer values: n captures, each added in
// O(1) (params are appended and moved to the front when the body is finished).
TEST_CASE("a loop body capturing many outer values keeps its params first", "[graph]") {
  constexpr int kValues = 20000;
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(scalar_spec(DType::Int32), "x");
  std::vector<Value> outer;
  for (int i = 0; i < kValues; ++i) outer.push_back(b.op(OpKind::Add, {x, i32(b, i)}));
  const auto r = b.while_loop(
      {i32(b, 0), i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[0], i32(b, 2)});
      },
      [&](const std::vector<Value>& v) {
        Value acc = v[1];
        for (int i = 0; i < kValues; ++i) acc = b.op(OpKind::Add, {acc, outer[i % kValues]});
        acc = b.op(OpKind::Add, {acc, outer[0]});  // a second use: the same capture
        return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)}), acc};
      });
  b.set_outputs({r[1]});
  g.verify();  // every param precedes its uses
  const Node* loop = r[1].node;
  const Graph& body = *loop->subgraphs[1];
  REQUIRE(body.params().size() == 2 + kValues);
  REQUIRE(loop->inputs.size() == 2 + kValues);
  for (size_t i = 0; i < body.params().size(); ++i)
    CHECK(body.nodes()[i]->kind == NodeKind::Placeholder);
  for (int i = 0; i < kValues; ++i) CHECK(loop->inputs[2 + static_cast<size_t>(i)] == outer[i]);
  int64_t expect = 0;
  for (int i = 0; i < kValues; ++i) expect += 2 * (1 + i);
  expect += 2 * 1;
  CHECK(as_int(run_graph(g, {Tensor::scalar<int32_t>(1)})[0]) == expect);
}
