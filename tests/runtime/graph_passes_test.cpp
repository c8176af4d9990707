// Passes: op lists before/after each pass, results unchanged, side effects kept; the verifier
// runs after every pass.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "graph_test_util.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

using Ops = std::vector<std::string>;

int count(const Ops& ops, const std::string& name) {
  return static_cast<int>(std::count(ops.begin(), ops.end(), name));
}

// Runs `pass` alone (with the verifier after it) and checks that the results did not change.
void check_same_results(Graph& g, const std::vector<Tensor>& args, bool (*pass)(Graph&)) {
  RunOptions quiet;
  quiet.print_sink = [](std::string_view) {};
  const auto before = run_graph(g, args, quiet);
  run_passes(g, {{"pass", pass}}, /*verify_each=*/true);
  const auto after = run_graph(g, args, quiet);
  REQUIRE(before.size() == after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    REQUIRE(before[i].shape() == after[i].shape());
    const Tensor a = before[i].cast(DType::Float64), b = after[i].cast(DType::Float64);
    for (int64_t k = 0; k < a.num_elements(); ++k)
      CHECK(b.data<double>()[k] == Approx(a.data<double>()[k]).epsilon(1e-6));
  }
}

}  // namespace

TEST_CASE("constant folding evaluates constant subgraphs, not side effects", "[graph][passes]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(scalar_spec(DType::Int32), "x");
  const Value k = b.op(OpKind::Mul, {b.op(OpKind::Add, {i32(b, 2), i32(b, 3)}), i32(b, 4)});
  b.print({k});
  b.set_outputs(
      {b.op(OpKind::Add, {x, k}), b.op(OpKind::RandomUniform, {}, OpAttrs::with_shape(Shape{2}))});
  CHECK(g.ops() == Ops{"placeholder", "const", "const", "add", "const", "multiply", "print", "add",
                       "random_uniform"});
  run_passes(g, {{"fold", fold_constants}, {"dce", eliminate_dead_code}}, true);
  CHECK(g.ops() == Ops{"placeholder", "const", "print", "add", "random_uniform"});
  std::string printed;
  RunOptions o;
  o.print_sink = [&](std::string_view s) { printed.append(s); };
  CHECK(as_int(run_graph(g, {Tensor::scalar<int32_t>(1)}, o)[0]) == 21);
  CHECK(printed == "20\n");
}

TEST_CASE("constant folding reaches into subgraphs and leaves failing ops", "[graph][passes]") {
  Graph g;
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  const Value two = b.op(OpKind::Add, {i32(b, 1), i32(b, 1)});
  const auto r = b.while_loop(
      {i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[0], n});
      },
      [&](const std::vector<Value>& v) {
        // two * 3 only uses constants once `two` is sunk into the body.
        return std::vector<Value>{b.op(OpKind::Add, {v[0], b.op(OpKind::Mul, {two, i32(b, 3)})})};
      });
  b.set_outputs({r[0]});
  check_same_results(g, {Tensor::scalar<int32_t>(10)}, fold_constants);
  const Graph& body = *r[0].node->subgraphs[1];
  CHECK(count(body.ops(), "multiply") == 0);

  Graph g2;
  GraphBuilder b2(g2);
  b2.set_location(SourceLoc{"z.py", 1, 0, ""});
  b2.set_outputs({b2.op(OpKind::FloorDiv, {i32(b2, 1), i32(b2, 0)})});
  CHECK_FALSE(fold_constants(g2));
  CHECK(count(g2.ops(), "floordiv") == 1);  // left for run time, where it raises at z.py:1
  CHECK_THROWS_WITH(run_graph(g2), Catch::Contains("z.py:1"));
}

TEST_CASE("CSE merges identical pure nodes and equal constants", "[graph][passes]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{3}}, "x");
  const Value a = b.op(OpKind::Exp, {x});
  const Value c = b.op(OpKind::Exp, {x});
  const Value s =
      b.op(OpKind::Add, {b.op(OpKind::Mul, {a, f32(b, 2)}), b.op(OpKind::Mul, {c, f32(b, 2)})});
  b.print({a});
  b.print({a});  // identical prints are side effects: both stay
  b.set_outputs({s});
  const Tensor in = Tensor::from_vector<float>({0, 1, 2}, Shape{3});
  check_same_results(g, {in}, eliminate_common_subexpressions);
  const Ops ops = g.ops();
  CHECK(count(ops, "exp") == 1);
  CHECK(count(ops, "const") == 1);
  CHECK(count(ops, "multiply") == 1);
  CHECK(count(ops, "print") == 2);
}

TEST_CASE("DCE removes unused pure nodes and captures but keeps side effects", "[graph][passes]") {
  auto v = std::make_shared<Variable>(Tensor::scalar<int32_t>(0), "v");
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(scalar_spec(DType::Int32), "x");
  const Value unused_outer = b.op(OpKind::Mul, {x, x});
  b.cond(
      b.op(OpKind::Greater, {x, i32(b, 0)}), {},
      [&](const std::vector<Value>&) {
        b.op(OpKind::Add, {unused_outer, i32(b, 1)});  // dead: the capture goes too
        b.var_assign(v, x);
        return std::vector<Value>{};
      },
      [&](const std::vector<Value>&) { return std::vector<Value>{}; });
  b.op(OpKind::Neg, {x});
  b.set_outputs({x});
  const auto before = g.ops();
  CHECK(count(before, "multiply") == 1);
  check_same_results(g, {Tensor::scalar<int32_t>(3)}, eliminate_dead_code);
  const auto after = g.ops();
  CHECK(count(after, "multiply") == 0);
  CHECK(count(after, "negative") == 0);
  CHECK(count(after, "var_assign") == 1);
  CHECK(count(after, "cond") == 1);
  CHECK(as_int(v->read()) == 3);
}

TEST_CASE("algebraic simplification applies its rules only when types allow", "[graph][passes]") {
  Graph g;
  GraphBuilder b(g);
  const Value xi = b.placeholder(scalar_spec(DType::Int32), "i");
  const Value xf = b.placeholder(TensorSpec{DType::Float32, Shape{3}}, "f");
  const Value r1 = b.op(OpKind::Add, {xi, i32(b, 0)});                           // -> i
  const Value r2 = b.op(OpKind::Mul, {xi, i32(b, 0)});                           // -> zeros_like(i)
  const Value r3 = b.op(OpKind::Mul, {xf, f32(b, 0)});                           // float: stays
  const Value r4 = b.op(OpKind::Neg, {b.op(OpKind::Neg, {xf})});                 // -> f
  const Value r5 = b.op(OpKind::Cast, {xi}, OpAttrs::with_dtype(DType::Int32));  // -> i
  const Value r6 = b.op(OpKind::Sub, {xi, xi});                                  // int: zeros_like
  const Value r7 = b.op(OpKind::Sub, {xf, xf});                                  // float: stays
  const Value r8 = b.op(OpKind::Reshape, {xf}, OpAttrs::with_shape(Shape{3}));   // -> f
  const Value r9 = b.op(OpKind::Mul, {xf, f32(b, 1)});                           // -> f
  const Value nb = b.op(OpKind::Less, {xi, i32(b, 3)});
  const Value r10 = b.op(OpKind::LogicalNot, {b.op(OpKind::LogicalNot, {nb})});  // -> nb
  const Value r11 = b.op(OpKind::Add, {xi, f32(b, 0)});  // int + float0 is float64: stays
  // where(not nb, i, 7) -> where(nb, 7, i)
  const Value r12 = b.op(OpKind::Where, {b.op(OpKind::LogicalNot, {nb}), xi, i32(b, 7)});
  b.set_outputs({r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12});
  const std::vector<Tensor> args = {Tensor::scalar<int32_t>(5),
                                    Tensor::from_vector<float>({1, -2, 3}, Shape{3})};
  check_same_results(g, args, simplify_algebra);
  const auto& outs = g.outputs();
  CHECK(outs[0] == xi);
  CHECK(outs[1].node->op == OpKind::ZerosLike);
  CHECK(outs[2].node->op == OpKind::Mul);
  CHECK(outs[3] == xf);
  CHECK(outs[4] == xi);
  CHECK(outs[5].node->op == OpKind::ZerosLike);
  CHECK(outs[6].node->op == OpKind::Sub);
  CHECK(outs[7] == xf);
  CHECK(outs[8] == xf);
  CHECK(outs[9] == nb);
  CHECK(outs[10].node->op == OpKind::Add);
  REQUIRE(outs[11].node->op == OpKind::Where);
  CHECK(outs[11].node->inputs[0] == nb);
  CHECK(outs[11].node->inputs[2] == xi);
  run_passes(g, {{"dce", eliminate_dead_code}}, true);
  CHECK(count(g.ops(), "negative") == 0);
  CHECK(count(g.ops(), "logical_not") == 0);
}

TEST_CASE("fusion turns an elementwise chain into one node with the same results",
          "[graph][passes]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{100000}}, "x");
  // ((x * 2 + 1) * x - 3) / 4, then maximum with 0.5, plus an escaping intermediate.
  const Value t1 = b.op(OpKind::Mul, {x, f32(b, 2)});
  const Value t2 = b.op(OpKind::Add, {t1, f32(b, 1)});
  const Value t3 = b.op(OpKind::Mul, {t2, x});
  const Value t4 = b.op(OpKind::Sub, {t3, f32(b, 3)});
  const Value t5 = b.op(OpKind::TrueDiv, {t4, f32(b, 4)});
  const Value t6 = b.op(OpKind::Maximum, {t5, f32(b, 0.5f)});
  const Value side = b.op(OpKind::Exp, {t2});  // t2 escapes: the group stops there
  b.set_outputs({t6, b.op(OpKind::ReduceSum, {side})});
  std::vector<float> data(100000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<float>(i % 17) * 0.1f - 0.5f;
  const std::vector<Tensor> args = {Tensor::from_vector(data, Shape{100000})};
  check_same_results(g, args, fuse_elementwise);
  const auto ops = g.ops();
  CHECK(count(ops, "fused_elementwise") >= 1);
  CHECK(count(ops, "truediv") == 0);
  CHECK(count(ops, "maximum") == 0);
  CHECK(count(ops, "reduce_sum") == 1);
  CHECK(g.dump().find("fused_elementwise") != std::string::npos);
}

TEST_CASE("the default pipeline keeps every result of a mixed graph", "[graph][passes]") {
  auto v = std::make_shared<Variable>(Tensor::scalar<int32_t>(1), "v");
  Graph g;
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  const Value steps = collatz_steps(b, n);
  const Value l = b.list_new(scalar_spec(DType::Int32));
  const auto r = b.while_loop(
      {i32(b, 0), l},
      [&](const std::vector<Value>& w) {
        return b.op(OpKind::Less, {w[0], n});
      },
      [&](const std::vector<Value>& w) {
        b.var_assign_add(v, i32(b, 1));
        const Value sq = b.op(OpKind::Mul, {b.op(OpKind::Add, {w[0], i32(b, 0)}), w[0]});
        return std::vector<Value>{b.op(OpKind::Add, {w[0], i32(b, 1)}), b.list_push_back(w[1], sq)};
      });
  b.set_outputs({steps, b.list_stack(r[1])});
  const auto before = run_graph(g, {Tensor::scalar<int32_t>(7)});
  const auto changed = run_passes(g, default_passes(), true);
  CHECK(!changed.empty());
  const auto after = run_graph(g, {Tensor::scalar<int32_t>(7)});
  CHECK(before[0].equals(after[0]));
  CHECK(before[1].equals(after[1]));
  CHECK(as_int(v->read()) == 15);  // both runs incremented it 7 times
}

TEST_CASE("fusion folds a max/min reduction into the chain feeding it, results exact",
          "[graph][passes]") {
  for (const bool with_nan : {false, true}) {
    CAPTURE(with_nan);
    Graph g;
    GraphBuilder b(g);
    const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{100003}}, "x");
    const Value v = b.placeholder(TensorSpec{DType::Float32, Shape{100003}}, "v");
    // max(abs(x*x - v)), min(x - v): the arrays are never materialized.
    const Value d = b.op(OpKind::Sub, {b.op(OpKind::Mul, {x, x}), v});
    const Value mx = b.op(OpKind::ReduceMax, {b.op(OpKind::Abs, {d})});
    const Value mn = b.op(OpKind::ReduceMin, {b.op(OpKind::Sub, {x, v})});
    // A reduction over some axes only, and one whose input escapes, stay unfused.
    const Value e = b.op(OpKind::Neg, {x});
    b.set_outputs({mx, mn, b.op(OpKind::ReduceMax, {e}), e});
    std::vector<float> xs(100003), vs(100003);
    for (size_t i = 0; i < xs.size(); ++i) {
      xs[i] = static_cast<float>(i % 1013) * 0.37f - 20.0f;
      vs[i] = static_cast<float>(i % 61) * 1.5f;
    }
    if (with_nan) xs[77777] = std::nanf("");
    const std::vector<Tensor> args = {Tensor::from_vector(xs, Shape{100003}),
                                      Tensor::from_vector(vs, Shape{100003})};
    RunOptions quiet;
    const auto before = run_graph(g, args, quiet);
    run_passes(g, {{"fuse", fuse_elementwise}}, /*verify_each=*/true);
    const auto after = run_graph(g, args, quiet);
    const auto ops = g.ops();
    CHECK(count(ops, "fused_elementwise") == 2);
    CHECK(count(ops, "reduce_min") == 0);
    CHECK(count(ops, "reduce_max") == 1);  // the one whose input escapes
    CHECK(g.dump().find("reduce_max(r") != std::string::npos);
    for (size_t i = 0; i < 3; ++i) {
      CAPTURE(i);
      REQUIRE(after[i].shape() == Shape{});
      const float a = before[i].item<float>(), c = after[i].item<float>();
      if (with_nan) {  // x holds a NaN: every reduction sees it
        CHECK(std::isnan(a));
        CHECK(std::isnan(c));
      } else {
        CHECK(a == c);  // exact: max/min do not depend on the order
      }
    }
  }
}

// An unrolled Python loop of 10^5 iterations: acc = acc + x * 2 with a fresh constant 2 and a
// foldable (1 + 1) each time. Every pass rewrites ~10^5 nodes; with a scan of the graph per
// rewrite (the passes before GraphEdit) this took minutes, now well under a second. No timing
// is asserted: the structure and the result are.
TEST_CASE("the default pipeline handles 10^5 rewritable nodes of an unrolled loop",
          "[graph][passes]") {
  constexpr int kIters = 100000;
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(scalar_spec(DType::Int32), "x");
  Value acc = i32(b, 0);
  for (int i = 0; i < kIters; ++i) {
    const Value two = b.op(OpKind::Add, {i32(b, 1), i32(b, 1)});  // folds, then merges (CSE)
    const Value term = b.op(OpKind::Mul, {x, b.op(OpKind::Mul, {two, i32(b, 1)})});  // * 1
    acc = b.op(OpKind::Add, {acc, term});
  }
  b.set_outputs({acc});
  run_passes(g, default_passes(), /*verify_each=*/true);
  const Ops ops = g.ops();
  // One x * 2 shared by every iteration, one add per iteration but the first (0 + t is t), the
  // constants folded and merged into one 2.
  CHECK(count(ops, "multiply") == 1);
  CHECK(count(ops, "add") == kIters - 1);
  CHECK(count(ops, "const") == 1);
  CHECK(as_int(run_graph(g, {Tensor::scalar<int32_t>(3)})[0]) == 6 * kIters);
}
