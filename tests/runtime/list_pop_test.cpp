// Tensor-list pop (NodeKind::ListPop): types from the list's element spec, Python's pop semantics
// for every index, packed and unpacked lists, located errors, O(1) pops of a carried list.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "graph_test_util.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

// A list of the int32 scalars `items`, built with push_back.
Value int_list(GraphBuilder& b, const std::vector<int32_t>& items) {
  Value l = b.list_new(scalar_spec(DType::Int32));
  for (int32_t v : items) l = b.list_push_back(l, i32(b, v));
  return l;
}

// Pops `index` from [10, 20, 30, 40]: {popped, stacked rest}.
std::vector<Tensor> pop_at(int32_t index) {
  Graph g;
  GraphBuilder b(g);
  const Value i = b.placeholder(scalar_spec(DType::Int32), "i");
  const auto [rest, item] = b.list_pop(int_list(b, {10, 20, 30, 40}), i);
  b.set_outputs({item, b.list_stack(rest)});
  return run_graph(g, {Tensor::scalar<int32_t>(index)});
}

}  // namespace

TEST_CASE("list_pop: types come from the list's element spec", "[list_pop]") {
  Graph g;
  GraphBuilder b(g);
  const TensorSpec elem{DType::Float32, Shape{2, 3}};
  const Value l = b.list_new(elem);
  const auto [rest, item] = b.list_pop(l, i32(b, -1));
  CHECK(rest.type() == Type::list(elem));
  CHECK(item.type() == Type::tensor(elem));
  CHECK(std::string(item.node->op_name()) == "tensor_list_pop");
  g.set_outputs({item});
  g.verify();

  // The index must be an integer scalar; popping a tensor is not a list op.
  b.set_location(SourceLoc{"pop.py", 7, 0, ""});
  CHECK_THROWS_WITH(b.list_pop(l, f32(b, 1.0f)),
                    Catch::Contains("tensor_list_pop: the index must be an integer scalar") &&
                        Catch::Contains("pop.py:7"));
  CHECK_THROWS_WITH(b.list_pop(i32(b, 1), i32(b, -1)), Catch::Contains("tensor_list_pop"));
}

TEST_CASE("list_pop: any index, as Python's list.pop", "[list_pop]") {
  auto check = [](int32_t index, int32_t popped, std::vector<int32_t> rest) {
    const auto out = pop_at(index);
    CHECK(as_int(out[0]) == popped);
    CHECK(out[1].equals(
        Tensor::from_vector<int32_t>(rest, Shape{static_cast<int64_t>(rest.size())})));
  };
  check(-1, 40, {10, 20, 30});
  check(3, 40, {10, 20, 30});
  check(0, 10, {20, 30, 40});
  check(1, 20, {10, 30, 40});
  check(-4, 10, {20, 30, 40});
  CHECK_THROWS_WITH(pop_at(4), Catch::Contains("tensor_list_pop: index 4 is out of range for a "
                                               "list of size 4"));
  CHECK_THROWS_WITH(pop_at(-5), Catch::Contains("index -5 is out of range"));
}

TEST_CASE("list_pop: popping an empty list fails at run time, naming the line", "[list_pop]") {
  Graph g;
  GraphBuilder b(g);
  const Value l = int_list(b, {1});
  const auto first = b.list_pop(l, i32(b, -1));
  b.set_location(SourceLoc{"stack.py", 12, 4, "    x = s.pop()"});
  const auto second = b.list_pop(first.first, i32(b, -1));
  b.set_outputs({first.second, second.second});
  const std::string msg = error_message([&] { run_graph(g); });
  CHECK(msg == "tensor_list_pop: pop from empty list (stack.py:12)");
  try {
    run_graph(g);
  } catch (const LocatedError& e) {
    CHECK(e.loc().line == 12);
    CHECK(e.message() == "tensor_list_pop: pop from empty list");
  }
}

TEST_CASE("list_pop: the pop is kept even when its results are unused", "[list_pop]") {
  // Its empty-list error is the point of running it: DCE must not drop it.
  Graph g;
  GraphBuilder b(g);
  b.list_pop(b.list_new(scalar_spec(DType::Int32)), i32(b, -1));
  b.set_outputs({i32(b, 1)});
  run_passes(g);
  CHECK_THROWS_WITH(run_graph(g), Catch::Contains("pop from empty list"));
}

TEST_CASE("list_pop: unpacked lists (unknown element shape) and unwritten elements", "[list_pop]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{kUnknownDim}}, "x");
  Value l = b.list_new(TensorSpec{DType::Float32, Shape{kUnknownDim}});
  l = b.list_push_back(l, x);
  l = b.list_push_back(l, b.op(OpKind::Add, {x, x}));
  const auto a = b.list_pop(l, i32(b, 0));
  const auto c = b.list_pop(a.first, i32(b, -1));
  b.set_outputs({a.second, c.second, b.list_size(c.first)});
  const auto out = run_graph(g, {Tensor::from_vector<float>({1, 2, 3}, Shape{3})});
  CHECK(out[0].equals(Tensor::from_vector<float>({1, 2, 3}, Shape{3})));
  CHECK(out[1].equals(Tensor::from_vector<float>({2, 4, 6}, Shape{3})));
  CHECK(as_int(out[2]) == 0);

  // A presized list (TensorArray) pops zeros for elements never written, like a read.
  Graph g2;
  GraphBuilder b2(g2);
  const Value ta = b2.list_new(TensorSpec{DType::Int32, Shape{2}}, i32(b2, 3), false);
  const auto p = b2.list_pop(ta, i32(b2, 1));
  b2.set_outputs({p.second, b2.list_size(p.first)});
  const auto out2 = run_graph(g2);
  CHECK(out2[0].equals(Tensor::zeros(DType::Int32, Shape{2})));
  CHECK(as_int(out2[1]) == 2);
}

TEST_CASE("list_pop: a stack drained in a loop, the carried list popped in place", "[list_pop]") {
  // s = [0, 1, 4, ..., (n-1)^2]; total = 0; while len(s) > 0: total += s.pop()
  Graph g;
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  const auto filled = b.while_loop(
      {i32(b, 0), b.list_new(scalar_spec(DType::Int32))},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[0], n});
      },
      [&](const std::vector<Value>& v) {
        return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)}),
                                  b.list_push_back(v[1], b.op(OpKind::Mul, {v[0], v[0]}))};
      });
  const auto drained = b.while_loop(
      {filled[1], i32(b, 0), i32(b, -1)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Greater, {b.list_size(v[0]), i32(b, 0)});
      },
      [&](const std::vector<Value>& v) {
        const auto [rest, top] = b.list_pop(v[0], i32(b, -1));
        // `last` keeps the first value popped (the largest): pops come from the end.
        const Value first = b.op(OpKind::Less, {v[2], i32(b, 0)});
        return std::vector<Value>{rest, b.op(OpKind::Add, {v[1], top}),
                                  b.op(OpKind::Where, {first, top, v[2]})};
      });
  b.set_outputs({drained[1], drained[2], b.list_size(drained[0])});
  run_passes(g);
  const Executable exe = compile(g);
  auto out = exe.run({Tensor::scalar<int32_t>(5)});
  CHECK(as_int(out[0]) == 0 + 1 + 4 + 9 + 16);
  CHECK(as_int(out[1]) == 16);
  CHECK(as_int(out[2]) == 0);
  out = exe.run({Tensor::scalar<int32_t>(0)});
  CHECK(as_int(out[0]) == 0);
  CHECK(as_int(out[1]) == -1);
  // Pops take the carried list over: draining a big stack is linear, not quadratic.
  out = exe.run({Tensor::scalar<int32_t>(200000)});
  int32_t want = 0;
  for (int64_t i = 0; i < 200000; ++i)
    want = static_cast<int32_t>(uint32_t(want) + uint32_t(i * i));
  CHECK(as_int(out[0]) == want);
}

TEST_CASE("list_pop: popping a list still used elsewhere copies it", "[list_pop]") {
  // The original list value stays intact for its other readers (functional semantics).
  Graph g;
  GraphBuilder b(g);
  const Value l = int_list(b, {1, 2, 3});
  const auto [rest, item] = b.list_pop(l, i32(b, 0));
  b.set_outputs({item, b.list_stack(rest), b.list_stack(l)});
  const auto out = run_graph(g);
  CHECK(as_int(out[0]) == 1);
  CHECK(out[1].equals(Tensor::from_vector<int32_t>({2, 3}, Shape{2})));
  CHECK(out[2].equals(Tensor::from_vector<int32_t>({1, 2, 3}, Shape{3})));
}
