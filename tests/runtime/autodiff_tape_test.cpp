// The gradient tape from C++ alone: eager records, a staged gradient built into the traced graph
// (through a Cond and a While whose trip count depends on the input), and the forward loop's
// stacks.
#include <catch2/catch.hpp>

#include <algorithm>

#include "graph_test_util.h"
#include "helpers.h"
#include "runtime/autodiff/tape.h"
#include "runtime/graph/passes.h"
#include "runtime/graph/tracer.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

Operand f64(double v) {
  return Operand(Tensor::scalar<double>(v));
}

int count_ops(const Graph& g, const std::string& name) {
  const auto ops = g.ops();
  return static_cast<int>(std::count(ops.begin(), ops.end(), name));
}

// y = x; while y < 100: y = y * x  (y = x**5 at x = 3)
Operand power_until_100(const Operand& x) {
  return while_loop(
      {x},
      [](const std::vector<Operand>& v) {
        return apply(OpKind::Less, {v[0], WeakScalar::real(100)});
      },
      [&x](const std::vector<Operand>& v) {
        return std::vector<Operand>{apply(OpKind::Mul, {v[0], x})};
      })[0];
}

}  // namespace

TEST_CASE("eager tape: records watched ops and runs their rules backwards", "[autodiff]") {
  autodiff::GradientTape tape(/*persistent=*/true, /*watch_accessed_variables=*/true);
  const Operand x = f64(3.0);
  const Operand unwatched = f64(2.0);
  tape.start();
  tape.watch(x);
  const Operand y = apply(OpKind::Mul, {apply(OpKind::Mul, {x, x}), unwatched});
  tape.stop();
  const auto g =
      tape.gradient({y}, {{x, nullptr}, {unwatched, nullptr}}, {}, autodiff::Unconnected::None);
  REQUIRE(g[0]);
  CHECK(g[0]->value.item<double>() == 12.0);  // d(2 x^2)/dx
  CHECK_FALSE(g[1]);                          // never watched
}

TEST_CASE("staged tape: the gradient of a while is a backward while in the same graph",
          "[autodiff]") {
  auto trace = Trace::create("grad");
  {
    TraceScope scope(trace);
    const Operand x = trace->placeholder(TensorSpec{DType::Float64, Shape{}}, "x");
    autodiff::GradientTape tape(false, true);
    tape.start();
    tape.watch(x);
    const Operand y = power_until_100(x);
    tape.stop();
    const auto g = tape.gradient({y}, {{x, nullptr}}, {}, autodiff::Unconnected::None);
    REQUIRE(g[0]);
    trace->set_outputs({y, *g[0]});
  }
  Graph& graph = *trace->graph();
  graph.verify();
  // The backward body replays the forward one (with its push onto a dead list): the passes
  // drop what the backward pass does not read, verifying every step.
  run_passes(graph, default_passes(), /*verify_each=*/true);
  CHECK(count_ops(graph, "while") == 2);                  // forward and backward
  CHECK(count_ops(graph, "tensor_list_push_back") == 1);  // the forward stacks y
  CHECK(count_ops(graph, "tensor_list_pop") == 1);        // the backward pops it
  const auto out = run_graph(graph, {Tensor::scalar<double>(3.0)});
  CHECK(out[0].item<double>() == 243.0);
  CHECK(out[1].item<double>() == Approx(405.0));                        // 5 x^4
  const auto out2 = run_graph(graph, {Tensor::scalar<double>(200.0)});  // zero iterations
  CHECK(out2[1].item<double>() == 1.0);
}

TEST_CASE("staged tape: the gradient of a cond is a cond over the branch gradients", "[autodiff]") {
  auto trace = Trace::create("grad");
  {
    TraceScope scope(trace);
    const Operand x = trace->placeholder(TensorSpec{DType::Float64, Shape{}}, "x");
    autodiff::GradientTape tape(false, true);
    tape.start();
    tape.watch(x);
    const Operand pred = apply(OpKind::Greater, {x, WeakScalar::real(0)});
    const Operand y = cond(
        pred,
        [&] {
          return std::vector<Operand>{apply(OpKind::Mul, {x, x})};
        },
        [&] { return std::vector<Operand>{apply(OpKind::Sin, {x})}; })[0];
    tape.stop();
    trace->set_outputs({*tape.gradient({y}, {{x, nullptr}}, {}, autodiff::Unconnected::None)[0]});
  }
  const Graph& graph = *trace->graph();
  CHECK(count_ops(graph, "cond") == 2);
  CHECK(run_graph(graph, {Tensor::scalar<double>(3.0)})[0].item<double>() == Approx(6.0));
  CHECK(run_graph(graph, {Tensor::scalar<double>(-1.0)})[0].item<double>() ==
        Approx(std::cos(-1.0)));
}
