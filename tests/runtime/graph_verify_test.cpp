// The verifier rejects malformed graphs with a clear message.
#include <catch2/catch.hpp>

#include "graph_test_util.h"

using namespace xag::rt;
using namespace xag::rt::test;

TEST_CASE("verify accepts what the builder makes", "[graph][verify]") {
  Graph g;
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  b.set_outputs({collatz_steps(b, n)});
  CHECK_NOTHROW(g.verify());
}

TEST_CASE("verify rejects an output type that disagrees with infer", "[graph][verify]") {
  Graph g;
  GraphBuilder b(g);
  const Value s = b.op(OpKind::Add, {i32(b, 1), i32(b, 2)});
  s.node->outputs[0] = Type::tensor(scalar_spec(DType::Float32));
  CHECK_THROWS_AS(g.verify(), InternalError);
  CHECK_THROWS_WITH(g.verify(),
                    Catch::Contains("disagrees with infer()") && Catch::Contains("add"));
}

TEST_CASE("verify rejects a use before the definition (a cycle)", "[graph][verify]") {
  Graph g;
  GraphBuilder b(g);
  const Value a = b.op(OpKind::Neg, {i32(b, 1)});
  const Value c = b.op(OpKind::Neg, {a});
  a.node->inputs[0] = c;  // a <- c <- a
  CHECK_THROWS_WITH(g.verify(), Catch::Contains("used before it is defined"));
}

TEST_CASE("verify rejects a subgraph whose params do not match its node", "[graph][verify]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(scalar_spec(DType::Int32));
  const auto r = b.cond(
      boolean(b, true), {x}, [&](const std::vector<Value>& p) { return p; },
      [&](const std::vector<Value>& p) { return p; });
  r[0].node->inputs.pop_back();  // the branches still take one param
  CHECK_THROWS_WITH(g.verify(), Catch::Contains("takes 1 params but the node passes 0"));
}

TEST_CASE("verify rejects a loop variable whose type changes", "[graph][verify]") {
  Graph g;
  GraphBuilder b(g);
  const auto r = b.while_loop(
      {i32(b, 0)}, [&](const std::vector<Value>&) { return boolean(b, false); },
      [&](const std::vector<Value>& v) { return v; });
  Graph& body = *r[0].node->subgraphs[1];
  GraphBuilder bb(body);
  body.set_outputs({bb.constant(Tensor::scalar<float>(1))});
  CHECK_THROWS_WITH(g.verify(), Catch::Contains("loop-variable types must be invariant"));
}

TEST_CASE("verify rejects an uncaptured outer value inside a subgraph", "[graph][verify]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(scalar_spec(DType::Int32));
  const auto r = b.cond(
      boolean(b, true), {x}, [&](const std::vector<Value>& p) { return p; },
      [&](const std::vector<Value>& p) { return p; });
  Graph& then_g = *r[0].node->subgraphs[0];
  then_g.mutable_outputs()[0] = x;  // bypasses capture
  CHECK_THROWS_WITH(g.verify(), Catch::Contains("not a value of this graph"));
}

TEST_CASE("verify rejects a control dependency pointing forward", "[graph][verify]") {
  Graph g;
  GraphBuilder b(g);
  Node* p1 = b.print({PrintArg::literal("a")});
  Node* p2 = b.print({PrintArg::literal("b")});
  p1->control_deps.push_back(p2);
  CHECK_THROWS_WITH(g.verify(), Catch::Contains("control dependency"));
}
