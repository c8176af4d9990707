// Executor: scalar fast path semantics, nested Cond/While, maximum_iterations, tensor lists.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <utility>

#include "graph_test_util.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

// Builds f(a, b) = op(a, b) on int32 scalars and runs it.
int64_t scalar_binop(OpKind op, int32_t a, int32_t b) {
  Graph g;
  GraphBuilder gb(g);
  const Value x = gb.placeholder(scalar_spec(DType::Int32));
  const Value y = gb.placeholder(scalar_spec(DType::Int32));
  gb.set_outputs({gb.op(op, {x, y})});
  return as_int(run_graph(g, {Tensor::scalar(a), Tensor::scalar(b)})[0]);
}

}  // namespace

TEST_CASE("scalar fast path follows Python semantics", "[exec]") {
  CHECK(scalar_binop(OpKind::FloorDiv, -7, 2) == -4);
  CHECK(scalar_binop(OpKind::Mod, -7, 2) == 1);
  CHECK(scalar_binop(OpKind::Mod, 7, -2) == -1);
  CHECK(scalar_binop(OpKind::FloorDiv, 7, -2) == -4);
  CHECK(scalar_binop(OpKind::Add, 2147483647, 1) == -2147483648LL);  // wraps
  CHECK(scalar_binop(OpKind::Less, 3, 4) == 1);
  CHECK_THROWS_WITH(scalar_binop(OpKind::FloorDiv, 1, 0), Catch::Contains("division by zero"));
  CHECK_THROWS_WITH(scalar_binop(OpKind::Mod, 1, 0), Catch::Contains("modulo by zero"));
}

TEST_CASE("division by a constant power of two matches floor semantics", "[exec]") {
  for (int32_t v : {-9, -8, -7, -1, 0, 1, 7, 8, 9}) {
    Graph g;
    GraphBuilder b(g);
    const Value x = b.placeholder(scalar_spec(DType::Int32));
    b.set_outputs({b.op(OpKind::FloorDiv, {x, i32(b, 4)}), b.op(OpKind::Mod, {x, i32(b, 4)})});
    const auto r = run_graph(g, {Tensor::scalar(v)});
    const int32_t q = (v >= 0) ? v / 4 : -((-v + 3) / 4);
    CHECK(as_int(r[0]) == q);
    CHECK(as_int(r[1]) == v - 4 * q);
  }
}

TEST_CASE("cond in while: collatz stopping times", "[exec]") {
  Graph g;
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  b.set_outputs({collatz_steps(b, n)});
  const Executable exe = compile(g);
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(27)})[0]) == 111);
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(1)})[0]) == 0);
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(6)})[0]) == 8);
}

TEST_CASE("while in cond in while: nested sums", "[exec]") {
  // total = 0; for i in range(n): if i % 2 == 0: (j = 0; while j < i: total += j; j += 1)
  //                               else: total -= 1
  Graph g;
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  const auto outer = b.while_loop(
      {i32(b, 0), i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[0], n});
      },
      [&](const std::vector<Value>& v) {
        const Value i = v[0];
        const Value even = b.op(OpKind::Equal, {b.op(OpKind::Mod, {i, i32(b, 2)}), i32(b, 0)});
        const auto t = b.cond(
            even, {v[1]},
            [&](const std::vector<Value>& p) {
              const auto inner = b.while_loop(
                  {i32(b, 0), p[0]},
                  [&](const std::vector<Value>& w) {
                    return b.op(OpKind::Less, {w[0], i});
                  },
                  [&](const std::vector<Value>& w) {
                    return std::vector<Value>{b.op(OpKind::Add, {w[0], i32(b, 1)}),
                                              b.op(OpKind::Add, {w[1], w[0]})};
                  });
              return std::vector<Value>{inner[1]};
            },
            [&](const std::vector<Value>& p) {
              return std::vector<Value>{b.op(OpKind::Sub, {p[0], i32(b, 1)})};
            });
        return std::vector<Value>{b.op(OpKind::Add, {i, i32(b, 1)}), t[0]};
      });
  b.set_outputs({outer[1]});
  int64_t expect = 0;
  for (int i = 0; i < 9; ++i) {
    if (i % 2 == 0) {
      for (int j = 0; j < i; ++j) expect += j;
    } else {
      expect -= 1;
    }
  }
  CHECK(as_int(run_graph(g, {Tensor::scalar<int32_t>(9)})[0]) == expect);
}

TEST_CASE("loop variables can be swapped each iteration", "[exec]") {
  // a, b = b, a + b (Fibonacci): the write-back must read both old values first.
  Graph g;
  GraphBuilder b(g);
  const auto r = b.while_loop(
      {i32(b, 0), i32(b, 1), i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[2], i32(b, 10)});
      },
      [&](const std::vector<Value>& v) {
        return std::vector<Value>{v[1], b.op(OpKind::Add, {v[0], v[1]}),
                                  b.op(OpKind::Add, {v[2], i32(b, 1)})};
      });
  b.set_outputs({r[0], r[1]});
  const auto out = run_graph(g);
  CHECK(as_int(out[0]) == 55);
  CHECK(as_int(out[1]) == 89);
}

TEST_CASE("maximum_iterations bounds an endless loop", "[exec]") {
  Graph g;
  GraphBuilder b(g);
  const Value m = b.placeholder(scalar_spec(DType::Int32), "m");
  const auto r = b.while_loop(
      {i32(b, 0)}, [&](const std::vector<Value>&) { return boolean(b, true); },
      [&](const std::vector<Value>& v) {
        return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)})};
      },
      m);
  b.set_outputs({r[0]});
  const Executable exe = compile(g);
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(7)})[0]) == 7);
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(0)})[0]) == 0);
}

TEST_CASE("vector loop variables and tensor ops in a loop", "[exec]") {
  // x = x * 0.5 + 1 for 20 iterations converges towards 2.
  Graph g;
  GraphBuilder b(g);
  const Value x0 = b.placeholder(TensorSpec{DType::Float32, Shape{4}}, "x");
  const auto r = b.while_loop(
      {x0, i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[1], i32(b, 20)});
      },
      [&](const std::vector<Value>& v) {
        const Value y = b.op(OpKind::Add, {b.op(OpKind::Mul, {v[0], f32(b, 0.5f)}), f32(b, 1.0f)});
        return std::vector<Value>{y, b.op(OpKind::Add, {v[1], i32(b, 1)})};
      });
  b.set_outputs({r[0]});
  const Tensor in = Tensor::from_vector<float>({0, 2, 4, 100}, Shape{4});
  const Tensor out = run_graph(g, {in})[0];
  for (int i = 0; i < 4; ++i) CHECK(out.data<float>()[i] == Approx(2.0).margin(1e-3));
  CHECK(in.data<float>()[3] == 100.0f);  // arguments are never written
}

TEST_CASE("tensor list: push_back in a loop, then stack", "[exec]") {
  // l = []; for i in range(n): l.append(i * i); return stack(l)
  Graph g;
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  const Value l0 = b.list_new(scalar_spec(DType::Int32));
  const auto r = b.while_loop(
      {i32(b, 0), l0},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[0], n});
      },
      [&](const std::vector<Value>& v) {
        const Value sq = b.op(OpKind::Mul, {v[0], v[0]});
        return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)}), b.list_push_back(v[1], sq)};
      });
  b.set_outputs({b.list_stack(r[1]), b.list_size(r[1])});
  const Executable exe = compile(g);
  // The append writes the carried list's slot itself: the only transfer is the loop's init.
  const std::string dump = exe.dump();
  CHECK(dump.find("transfer") == dump.rfind("transfer"));
  auto out = exe.run({Tensor::scalar<int32_t>(5)});
  CHECK(out[0].equals(Tensor::from_vector<int32_t>({0, 1, 4, 9, 16}, Shape{5})));
  CHECK(as_int(out[1]) == 5);
  out = exe.run({Tensor::scalar<int32_t>(200000)});  // O(1) appends: fast even for big n
  CHECK(out[0].shape() == Shape{200000});
  CHECK(out[0].data<int32_t>()[1000] == 1000000);
}

TEST_CASE("tensor list: presized TensorArray with set and get", "[exec]") {
  Graph g;
  GraphBuilder b(g);
  const TensorSpec elem{DType::Float32, Shape{2}};
  Value l = b.list_new(elem, i32(b, 3), /*dynamic_size=*/false);
  l = b.list_set(l, i32(b, 1), b.constant(Tensor::from_vector<float>({1, 2}, Shape{2})));
  const Value got = b.list_get(l, i32(b, 1));
  const Value unwritten = b.list_get(l, i32(b, 0));
  b.set_outputs({got, unwritten, b.list_stack(l)});
  const auto out = run_graph(g);
  CHECK(out[0].equals(Tensor::from_vector<float>({1, 2}, Shape{2})));
  CHECK(out[1].equals(Tensor::zeros(DType::Float32, Shape{2})));
  CHECK(out[2].shape() == (Shape{3, 2}));

  Graph g2;
  GraphBuilder b2(g2);
  b2.set_location(SourceLoc{"ta.py", 5, 0, ""});
  Value l2 = b2.list_new(elem, i32(b2, 1), false);
  l2 = b2.list_set(l2, i32(b2, 3), b2.constant(Tensor::zeros(DType::Float32, Shape{2})));
  b2.set_outputs({b2.list_size(l2)});
  CHECK_THROWS_WITH(run_graph(g2), Catch::Contains("out of range") && Catch::Contains("ta.py:5"));
}

TEST_CASE("a list passed into a cond is not modified by the branch", "[exec]") {
  Graph g;
  GraphBuilder b(g);
  const Value l0 = b.list_push_back(b.list_new(scalar_spec(DType::Int32)), i32(b, 7));
  const auto r = b.cond(
      boolean(b, true), {l0},
      [&](const std::vector<Value>& p) {
        return std::vector<Value>{b.list_push_back(p[0], i32(b, 8))};
      },
      [&](const std::vector<Value>& p) { return p; });
  b.set_outputs({b.list_size(l0), b.list_size(r[0])});
  const auto out = run_graph(g);
  CHECK(as_int(out[0]) == 1);
  CHECK(as_int(out[1]) == 2);
}

TEST_CASE("arguments are checked against the graph's params", "[exec]") {
  Graph g;
  GraphBuilder b(g);
  b.set_outputs({b.op(OpKind::Neg, {b.placeholder(TensorSpec{DType::Float32, Shape{3}})})});
  const Executable exe = compile(g);
  CHECK_THROWS_WITH(exe.run({Tensor::scalar<int32_t>(1)}),
                    Catch::Contains("argument 0: expected float32(3,)"));
  CHECK_THROWS_WITH(exe.run({}), Catch::Contains("expects 1 arguments"));
}

TEST_CASE("loop variables updated in place never clobber values still needed", "[exec]") {
  // a, b = a + 1, a * 2: b reads the old a after the new a is computed.
  {
    Graph g;
    GraphBuilder b(g);
    const auto r = b.while_loop(
        {i32(b, 1), i32(b, 0), i32(b, 0)},
        [&](const std::vector<Value>& v) {
          return b.op(OpKind::Less, {v[2], i32(b, 3)});
        },
        [&](const std::vector<Value>& v) {
          const Value a = b.op(OpKind::Add, {v[0], i32(b, 1)});
          return std::vector<Value>{a, b.op(OpKind::Mul, {v[0], i32(b, 2)}),
                                    b.op(OpKind::Add, {v[2], i32(b, 1)})};
        });
    b.set_outputs({r[0], r[1]});
    const auto out = run_graph(g);
    CHECK(as_int(out[0]) == 4);
    CHECK(as_int(out[1]) == 6);
  }
  // n, m = (n + 10, n * 2) if n even else (n + 1, n * 3): each branch reads n after making n.
  {
    Graph g;
    GraphBuilder b(g);
    const auto r = b.while_loop(
        {i32(b, 1), i32(b, 0), i32(b, 0)},
        [&](const std::vector<Value>& v) {
          return b.op(OpKind::Less, {v[2], i32(b, 3)});
        },
        [&](const std::vector<Value>& v) {
          const Value n = v[0];
          const Value even = b.op(OpKind::Equal, {b.op(OpKind::Mod, {n, i32(b, 2)}), i32(b, 0)});
          const auto nm = b.cond(
              even, {},
              [&](const std::vector<Value>&) {
                const Value n2 = b.op(OpKind::Add, {n, i32(b, 10)});
                return std::vector<Value>{n2, b.op(OpKind::Mul, {n, i32(b, 2)})};
              },
              [&](const std::vector<Value>&) {
                const Value n2 = b.op(OpKind::Add, {n, i32(b, 1)});
                return std::vector<Value>{n2, b.op(OpKind::Mul, {n, i32(b, 3)})};
              });
          return std::vector<Value>{nm[0], nm[1], b.op(OpKind::Add, {v[2], i32(b, 1)})};
        });
    b.set_outputs({r[0], r[1]});
    const auto out = run_graph(g);
    CHECK(as_int(out[0]) == 22);
    CHECK(as_int(out[1]) == 24);
  }
  // n, m = (n + 1, n) if n odd else (n // 2, n + 100): the old n passes through a branch.
  {
    Graph g;
    GraphBuilder b(g);
    const auto r = b.while_loop(
        {i32(b, 7), i32(b, 0), i32(b, 0)},
        [&](const std::vector<Value>& v) {
          return b.op(OpKind::Less, {v[2], i32(b, 1)});
        },
        [&](const std::vector<Value>& v) {
          const Value n = v[0];
          const Value odd = b.op(OpKind::Equal, {b.op(OpKind::Mod, {n, i32(b, 2)}), i32(b, 1)});
          const auto nm = b.cond(
              odd, {n},
              [&](const std::vector<Value>& p) {
                return std::vector<Value>{b.op(OpKind::Add, {p[0], i32(b, 1)}), p[0]};
              },
              [&](const std::vector<Value>& p) {
                const Value m = b.op(OpKind::Add, {p[0], i32(b, 100)});
                return std::vector<Value>{b.op(OpKind::FloorDiv, {p[0], i32(b, 2)}), m};
              });
          return std::vector<Value>{nm[0], nm[1], b.op(OpKind::Add, {v[2], i32(b, 1)})};
        });
    b.set_outputs({r[0], r[1]});
    const auto out = run_graph(g);
    CHECK(as_int(out[0]) == 8);  // 7 is odd: 7 + 1
    CHECK(as_int(out[1]) == 7);  // the old n, not the new one
  }
}

TEST_CASE("x[i] on a vector in a loop (one element per iteration)", "[exec]") {
  // s = 0.0; i = 0; while i < len(x): s += x[i]; i += 1
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{kUnknownDim}}, "x");
  const Value n = b.op(OpKind::Size, {x});
  OpAttrs at;
  at.slices = {SliceItem::index_input(1)};
  const auto r = b.while_loop(
      {f32(b, 0), i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[1], n});
      },
      [&](const std::vector<Value>& v) {
        const Value xi = b.op(OpKind::GetItem, {x, v[1]}, at);
        return std::vector<Value>{b.op(OpKind::Add, {v[0], xi}),
                                  b.op(OpKind::Add, {v[1], i32(b, 1)})};
      });
  OpAttrs last;
  last.slices = {SliceItem::index(-1)};
  b.set_outputs({r[0], b.op(OpKind::GetItem, {x}, last)});
  const Executable exe = compile(g);
  RunStats stats;
  RunOptions opts;
  opts.stats = &stats;
  const auto out = exe.run({Tensor::from_vector<float>({1, 2, 3.5f}, Shape{3})}, opts);
  CHECK(stats.instructions == 1);  // only size(x) takes the generic path
  CHECK(out[0].item<double>() == 6.5);
  CHECK(out[1].item<double>() == 3.5);

  Graph g2;
  GraphBuilder b2(g2);
  const Value y = b2.placeholder(TensorSpec{DType::Int32, Shape{3}}, "y");
  b2.set_location(SourceLoc{"idx.py", 4, 0, ""});
  b2.set_outputs({b2.op(OpKind::GetItem, {y, b2.placeholder(scalar_spec(DType::Int32))}, at)});
  const Executable e2 = compile(g2);
  const Tensor v = Tensor::from_vector<int32_t>({10, 20, 30}, Shape{3});
  CHECK(as_int(e2.run({v, Tensor::scalar<int32_t>(-3)})[0]) == 10);
  CHECK_THROWS_WITH(e2.run({v, Tensor::scalar<int32_t>(3)}),
                    "getitem: index 3 is out of bounds for axis 0 with size 3 (idx.py:4)");
}

TEST_CASE("scalar fast path with mixed dtypes matches the kernels", "[exec]") {
  const DType types[] = {DType::Int32, DType::Int64, DType::Float32, DType::Float64};
  const OpKind ops[] = {OpKind::Add,  OpKind::Sub,   OpKind::Mul,     OpKind::Maximum,
                        OpKind::Less, OpKind::Equal, OpKind::TrueDiv, OpKind::GreaterEqual};
  for (DType da : types) {
    for (DType db : types) {
      for (OpKind op : ops) {
        const Tensor a = Tensor::scalar(da, -7.0), b = Tensor::scalar(db, 2.0);
        Graph g;
        GraphBuilder gb(g);
        gb.set_outputs(
            {gb.op(op, {gb.placeholder(scalar_spec(da)), gb.placeholder(scalar_spec(db))})});
        const Tensor got = run_graph(g, {a, b})[0];
        const Tensor want = run(op, {a, b});
        INFO(op_name(op) << " " << dtype_name(da) << " " << dtype_name(db));
        CHECK(got.equals(want));
      }
    }
  }
}

// Lists with a fully known element shape keep their elements packed in one growing buffer;
// others keep one tensor per element. Both must agree on push/get/set/size/stack.
TEST_CASE("tensor list: packed and per-element lists agree through buffer growth", "[exec]") {
  for (const bool known_shape : {true, false}) {
    CAPTURE(known_shape);
    const TensorSpec elem{DType::Float32, known_shape ? Shape{2} : Shape{kUnknownDim}};
    Graph g;
    GraphBuilder b(g);
    const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
    // for i in range(n): l.append([i, -i])  (3000 pushes: many capacity doublings)
    const auto r = b.while_loop(
        {i32(b, 0), b.list_new(elem)},
        [&](const std::vector<Value>& v) {
          return b.op(OpKind::Less, {v[0], n});
        },
        [&](const std::vector<Value>& v) {
          const Value f = b.op(OpKind::Cast, {v[0]}, OpAttrs::with_dtype(DType::Float32));
          const Value item =
              b.op(OpKind::Stack, {f, b.op(OpKind::Neg, {f})}, OpAttrs::with_axis(0));
          return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)}),
                                    b.list_push_back(v[1], item)};
        });
    Value l = b.list_set(r[1], i32(b, 5), b.constant(Tensor::from_vector<float>({7, 8}, Shape{2})));
    // Sum of l[k][0] over k read back in a loop (ListGet reuses its output slot).
    const auto s = b.while_loop(
        {i32(b, 0), f32(b, 0)},
        [&](const std::vector<Value>& v) {
          return b.op(OpKind::Less, {v[0], n});
        },
        [&](const std::vector<Value>& v) {
          const Value row = b.list_get(l, v[0]);
          const Value first = b.op(OpKind::ReduceMax, {row});
          return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)}),
                                    b.op(OpKind::Add, {v[1], first})};
        });
    b.set_outputs({b.list_stack(l), b.list_size(l), b.list_get(l, i32(b, -1)),
                   b.list_get(r[1], i32(b, 5)), s[1]});
    const auto out = compile(g).run({Tensor::scalar<int32_t>(3000)});
    REQUIRE(out[0].shape() == (Shape{3000, 2}));
    const float* st = out[0].data<float>();
    for (int k = 0; k < 3000; ++k) {
      const float a = k == 5 ? 7.0f : static_cast<float>(k), c = k == 5 ? 8.0f : -a;
      REQUIRE(st[2 * k] == a);
      REQUIRE(st[2 * k + 1] == c);
    }
    CHECK(as_int(out[1]) == 3000);
    CHECK(out[2].equals(Tensor::from_vector<float>({2999, -2999}, Shape{2})));
    // The set made a new list: the pushed one still has the old element (copy-on-write).
    CHECK(out[3].equals(Tensor::from_vector<float>({5, -5}, Shape{2})));
    // max(k, -k) = k for k >= 0; element 5 is (7, 8).
    CHECK(out[4].item<double>() == Approx(2999.0 * 3000 / 2 - 5 + 8));
  }
}

TEST_CASE("tensor list: packed scalar lists of every dtype, unwritten elements are zeros",
          "[exec]") {
  Graph g;
  GraphBuilder b(g);
  Value li = b.list_new(scalar_spec(DType::Int64), i32(b, 2), /*dynamic_size=*/true);
  li = b.list_set(li, i32(b, 4), b.constant(Tensor::scalar<int64_t>(int64_t{1} << 40)));
  li = b.list_push_back(li, b.constant(Tensor::scalar<int64_t>(-3)));
  Value lb = b.list_push_back(b.list_new(scalar_spec(DType::Bool)), boolean(b, true));
  lb = b.list_push_back(lb, boolean(b, false));
  Value ld = b.list_push_back(b.list_new(scalar_spec(DType::Float64)),
                              b.constant(Tensor::scalar<double>(0.25)));
  b.set_outputs(
      {b.list_stack(li), b.list_stack(lb), b.list_get(ld, i32(b, 0)), b.list_get(li, i32(b, 3))});
  const auto out = run_graph(g);
  CHECK(out[0].equals(Tensor::from_vector<int64_t>({0, 0, 0, 0, int64_t{1} << 40, -3}, Shape{6})));
  CHECK(out[1].equals(Tensor::from_vector<bool>({true, false}, Shape{2})));
  CHECK(out[2].equals(Tensor::scalar<double>(0.25)));
  CHECK(out[3].equals(Tensor::scalar<int64_t>(0)));

  Graph g2;
  GraphBuilder b2(g2);
  b2.set_location(SourceLoc{"pk.py", 9, 0, ""});
  const Value l2 = b2.list_push_back(b2.list_new(scalar_spec(DType::Int32)), i32(b2, 1));
  b2.set_outputs({b2.list_get(l2, i32(b2, 1))});
  CHECK_THROWS_WITH(run_graph(g2), Catch::Contains("out of range") && Catch::Contains("pk.py:9"));
}

// The interpreter appends a 0-d element in place while the list's buffer has room
// (ListData::scalar_capacity); growth, a presized list set past its end and a copy shared with
// another slot must keep that room in step with the buffer, for every element size.
TEST_CASE("tensor list: scalar appends in a loop through growth, every element size", "[exec]") {
  for (const DType dt : {DType::Bool, DType::Int32, DType::Int64, DType::Float32, DType::Float64}) {
    CAPTURE(dtype_name(dt));
    Graph g;
    GraphBuilder b(g);
    const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
    const auto as_dt = [&](Value v) { return b.op(OpKind::Cast, {v}, OpAttrs::with_dtype(dt)); };
    // l = [0, 0, 0]; l[5] = 7 (grows to 6); keep = l; for i < n: l.append(i)
    Value l = b.list_new(scalar_spec(dt), i32(b, 3), /*dynamic_size=*/true);
    l = b.list_set(l, i32(b, 5), as_dt(i32(b, 7)));
    const auto r = b.while_loop(
        {i32(b, 0), l},
        [&](const std::vector<Value>& v) {
          return b.op(OpKind::Less, {v[0], n});
        },
        [&](const std::vector<Value>& v) {
          return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)}),
                                    b.list_push_back(v[1], as_dt(v[0]))};
        });
    b.set_outputs({b.list_stack(r[1]), b.list_size(l)});
    const auto out = run_graph(g, {Tensor::scalar<int32_t>(1000)});
    std::vector<int32_t> want = {0, 0, 0, 0, 0, 7};
    for (int32_t i = 0; i < 1000; ++i) want.push_back(i);
    const Tensor expected =
        Tensor::from_vector<int32_t>(want, Shape{static_cast<int64_t>(want.size())}).cast(dt);
    CHECK(out[0].equals(expected));
    CHECK(as_int(out[1]) == 6);  // the list before the loop is unchanged
  }
}

// int64 arithmetic/compares, bool logic, where on scalars and int32 modulo get inline
// instructions; each must keep the generic kernels' semantics.
TEST_CASE("inline scalar instructions: int64, bool logic, select, floor modulo", "[exec]") {
  Graph g;
  GraphBuilder b(g);
  b.set_location(SourceLoc{"inl.py", 3, 0, ""});
  const Value a = b.placeholder(scalar_spec(DType::Int32), "a");
  const Value d = b.placeholder(scalar_spec(DType::Int32), "d");
  const Value c = b.placeholder(scalar_spec(DType::Bool), "c");
  const Value x = b.placeholder(scalar_spec(DType::Int64), "x");
  const Value y = b.placeholder(scalar_spec(DType::Int64), "y");
  const Value nc = b.op(OpKind::LogicalNot, {c});
  b.set_outputs({b.op(OpKind::Mod, {a, d}), b.op(OpKind::Where, {c, a, d}),
                 b.op(OpKind::Where, {nc, x, y}), b.op(OpKind::LogicalAnd, {c, nc}),
                 b.op(OpKind::LogicalOr, {c, nc}), b.op(OpKind::Add, {x, y}),
                 b.op(OpKind::Mul, {x, y}), b.op(OpKind::Less, {x, y}),
                 b.op(OpKind::GreaterEqual, {x, y})});
  const Executable exe = compile(g);
  const std::string dump = exe.dump();
  for (const char* code :
       {"mod_i32", "select", "not_b", "and_b", "or_b", "add_i64", "mul_i64", "lt_i64", "ge_i64"}) {
    CAPTURE(code);
    CHECK(dump.find(code) != std::string::npos);
  }
  const int64_t big = int64_t{1} << 40;
  struct Case {
    int32_t a, d;
    bool c;
    int64_t x, y;
  };
  for (const Case& k : {Case{7, 3, true, big, 3}, Case{-7, 3, false, -5, big},
                        Case{7, -3, true, 2, 2}, Case{-7, -3, false, big, -big},
                        Case{INT32_MIN, -1, true, -1, 1}, Case{6, 3, false, 0, 0}}) {
    CAPTURE(k.a, k.d, k.c, k.x, k.y);
    const auto out = exe.run({Tensor::scalar<int32_t>(k.a), Tensor::scalar<int32_t>(k.d),
                              Tensor::scalar<bool>(k.c), Tensor::scalar<int64_t>(k.x),
                              Tensor::scalar<int64_t>(k.y)});
    int32_t m = k.d == -1 ? 0 : k.a % k.d;
    if (m != 0 && ((m < 0) != (k.d < 0))) m += k.d;  // Python's floor modulo
    CHECK(as_int(out[0]) == m);
    CHECK(as_int(out[1]) == (k.c ? k.a : k.d));
    CHECK(as_int(out[2]) == (k.c ? k.y : k.x));
    CHECK(out[3].item<bool>() == false);
    CHECK(out[4].item<bool>() == true);
    CHECK(as_int(out[5]) == k.x + k.y);
    CHECK(as_int(out[6]) ==
          static_cast<int64_t>(static_cast<uint64_t>(k.x) * static_cast<uint64_t>(k.y)));
    CHECK(out[7].item<bool>() == (k.x < k.y));
    CHECK(out[8].item<bool>() == (k.x >= k.y));
  }
  CHECK_THROWS_WITH(
      exe.run({Tensor::scalar<int32_t>(1), Tensor::scalar<int32_t>(0), Tensor::scalar<bool>(true),
               Tensor::scalar<int64_t>(1), Tensor::scalar<int64_t>(1)}),
      Catch::Contains("inl.py:3"));
}

TEST_CASE("a while loop with a break flag (and_b_br, select) counts primes", "[exec]") {
  // k, d, flag: while not flag and d * d <= k: if k % d == 0: flag = True; d = where(flag, d, d+1)
  Graph g;
  GraphBuilder b(g);
  const Value k = b.placeholder(scalar_spec(DType::Int32), "k");
  const auto r = b.while_loop(
      {i32(b, 2), boolean(b, false)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::LogicalAnd,
                    {b.op(OpKind::LogicalNot, {v[1]}),
                     b.op(OpKind::LessEqual, {b.op(OpKind::Mul, {v[0], v[0]}), k})});
      },
      [&](const std::vector<Value>& v) {
        const Value hit = b.op(OpKind::Equal, {b.op(OpKind::Mod, {k, v[0]}), i32(b, 0)});
        const Value flag = b.op(OpKind::Where, {hit, boolean(b, true), v[1]});
        const Value next = b.op(OpKind::Where, {b.op(OpKind::LogicalNot, {flag}),
                                                b.op(OpKind::Add, {v[0], i32(b, 1)}), v[0]});
        return std::vector<Value>{next, flag};
      });
  b.set_outputs({b.op(OpKind::LogicalNot, {r[1]})});
  const Executable exe = compile(g);
  CHECK(exe.dump().find("and_b_br") != std::string::npos);
  int primes = 0;
  for (int32_t n = 2; n <= 2000; ++n)
    primes += exe.run({Tensor::scalar<int32_t>(n)})[0].item<bool>();
  CHECK(primes == 303);
}

TEST_CASE("inline float scalar instructions keep IEEE semantics in their precision", "[exec]") {
  for (const DType dt : {DType::Float32, DType::Float64}) {
    Graph g;
    GraphBuilder b(g);
    const Value x = b.placeholder(scalar_spec(dt), "x");
    const Value y = b.placeholder(scalar_spec(dt), "y");
    // if x <= y: r = x * y + x else: r = x - y   (a compare-and-branch, then arithmetic)
    const auto r = b.cond(
        b.op(OpKind::LessEqual, {x, y}), {x, y},
        [&](const std::vector<Value>& p) {
          return std::vector<Value>{b.op(OpKind::Add, {b.op(OpKind::Mul, {p[0], p[1]}), p[0]})};
        },
        [&](const std::vector<Value>& p) {
          return std::vector<Value>{b.op(OpKind::Sub, {p[0], p[1]})};
        });
    b.set_outputs({r[0], b.op(OpKind::Greater, {x, y}), b.op(OpKind::GreaterEqual, {x, y}),
                   b.op(OpKind::Less, {x, y})});
    const Executable exe = compile(g);
    const std::string sfx = dt == DType::Float32 ? "_f32" : "_f64";
    for (const char* c : {"le", "mul", "add", "sub", "gt", "ge", "lt"}) {
      CAPTURE(c, sfx);
      CHECK(exe.dump().find(std::string(c) + sfx) != std::string::npos);
    }
    const double nan = std::nan("");
    for (const auto& [xv, yv] :
         {std::pair{0.1, 0.7}, std::pair{3.0, -2.5}, std::pair{nan, 1.0}, std::pair{1e30, 1e30}}) {
      CAPTURE(xv, yv);
      const auto out = exe.run({Tensor::scalar(dt, xv), Tensor::scalar(dt, yv)});
      if (dt == DType::Float32) {
        const float a = static_cast<float>(xv), c = static_cast<float>(yv);
        const float want = a <= c ? a * c + a : a - c;
        CHECK((std::isnan(want) ? std::isnan(out[0].item<float>()) : out[0].item<float>() == want));
        CHECK(out[1].item<bool>() == (a > c));
        CHECK(out[2].item<bool>() == (a >= c));
        CHECK(out[3].item<bool>() == (a < c));
      } else {
        const double want = xv <= yv ? xv * yv + xv : xv - yv;
        CHECK(
            (std::isnan(want) ? std::isnan(out[0].item<double>()) : out[0].item<double>() == want));
        CHECK(out[1].item<bool>() == (xv > yv));
        CHECK(out[2].item<bool>() == (xv >= yv));
        CHECK(out[3].item<bool>() == (xv < yv));
      }
    }
  }
}

TEST_CASE("inline x[i] and abs on scalars: negative indices, bounds errors", "[exec]") {
  Graph g;
  GraphBuilder b(g);
  b.set_location(SourceLoc{"gi.py", 4, 0, ""});
  const Value xf = b.placeholder(TensorSpec{DType::Float32, Shape{3}}, "xf");
  const Value xd = b.placeholder(TensorSpec{DType::Float64, Shape{3}}, "xd");
  const Value i = b.placeholder(scalar_spec(DType::Int32), "i");
  OpAttrs at;
  at.slices = {SliceItem::index_input(1)};
  const Value ef = b.op(OpKind::GetItem, {xf, i}, at);
  const Value ed = b.op(OpKind::GetItem, {xd, i}, at);
  b.set_outputs({b.op(OpKind::Abs, {ef}), b.op(OpKind::Abs, {ed})});
  const Executable exe = compile(g);
  for (const char* c : {"getitem4", "getitem8", "abs_f32", "abs_f64"}) {
    CAPTURE(c);
    CHECK(exe.dump().find(c) != std::string::npos);
  }
  const Tensor vf = Tensor::from_vector<float>({-1.5f, 2.0f, -0.0f}, Shape{3});
  const Tensor vd = Tensor::from_vector<double>({-1.5, 2.0, -3.25}, Shape{3});
  auto out = exe.run({vf, vd, Tensor::scalar<int32_t>(-3)});
  CHECK(out[0].item<float>() == 1.5f);
  CHECK(out[1].item<double>() == 1.5);
  out = exe.run({vf, vd, Tensor::scalar<int32_t>(2)});
  CHECK(out[0].item<float>() == 0.0f);
  CHECK(!std::signbit(out[0].item<float>()));
  CHECK(out[1].item<double>() == 3.25);
  for (const int32_t bad : {3, -4}) {
    CHECK_THROWS_WITH(exe.run({vf, vd, Tensor::scalar<int32_t>(bad)}),
                      Catch::Contains("out of bounds") && Catch::Contains("gi.py:4"));
  }
}
