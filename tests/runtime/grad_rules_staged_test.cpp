// The gradient rules staged: run on the symbolic values of an open trace (placeholders with
// unknown dims where the op allows), the gradient becomes graph nodes that compile and run to the
// eager gradient. Also the conventions finite differences cannot see: kinks and ties, integer
// inputs, mixed float dtypes, stop_gradient.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "graph_test_util.h"
#include "helpers.h"
#include "runtime/autodiff/grad_rule.h"
#include "runtime/graph/tracer.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

using autodiff::grad_rule;
using autodiff::InputGrads;
using autodiff::OpCall;

// Deterministic, non-repeating values (no ties, no zeros): 0.37 * k wrapped into (-2, 2).
Tensor vals(Shape s, double offset = 0.0) {
  std::vector<double> v(static_cast<size_t>(s.num_elements()));
  for (size_t k = 0; k < v.size(); ++k)
    v[k] = std::fmod(0.37 * static_cast<double>(k + 1) + offset, 3.7) - 1.85 + 1e-3 * k;
  return Tensor::from_vector<double>(v, s);
}

InputGrads eager_grads(OpKind op, const std::vector<Tensor>& in, const OpAttrs& attrs,
                       const Tensor& w) {
  std::vector<Operand> ops;
  for (const Tensor& t : in) ops.emplace_back(t);
  const Operand y(run(op, in.data(), in.size(), attrs));
  return grad_rule(op)(OpCall{op, attrs, ops, y}, Operand(w));
}

struct Staged {
  std::string name;
  OpKind op;
  std::vector<Tensor> inputs;
  std::vector<Shape> traced;  // placeholder shapes (kUnknownDim where the trace does not know)
  OpAttrs attrs = {};
};

// Cases whose staged gradient must take shapes at run time: an op it must contain.
std::string needed_op(const std::string& name) {
  if (name == "mul broadcast") return "sum_to_like";
  if (name == "reduce_mean all") return "size";
  if (name == "reshape unknown" || name == "concat unknown") return "shape";
  if (name == "sum_to_like") return "broadcast_like";
  return "";
}

// Traces op + rule on placeholders, runs the graph on the case's inputs and a weight, and
// compares with the eager rule.
void check_staged(const Staged& c) {
  INFO("case " << c.name << " (" << op_name(c.op) << ")");
  const Tensor y = run(c.op, c.inputs.data(), c.inputs.size(), c.attrs);
  const Tensor w = vals(y.shape(), 0.5);
  const InputGrads want = eager_grads(c.op, c.inputs, c.attrs, w);

  auto trace = Trace::create("grad");
  std::vector<size_t> present;
  {
    TraceScope scope(trace);
    std::vector<Operand> ph;
    for (size_t i = 0; i < c.inputs.size(); ++i)
      ph.push_back(trace->placeholder({c.inputs[i].dtype(), c.traced[i]}));
    std::vector<Input> in(ph.begin(), ph.end());
    const Operand out = apply(c.op, in.data(), in.size(), c.attrs);
    REQUIRE(out.symbolic());
    const Operand w_ph = trace->placeholder({out.dtype(), out.shape()}, "w");
    const InputGrads g = grad_rule(c.op)(OpCall{c.op, c.attrs, ph, out}, w_ph);
    REQUIRE(g.size() == want.size());
    std::vector<Operand> outs;
    for (size_t i = 0; i < g.size(); ++i) {
      CHECK(g[i].has_value() == want[i].has_value());
      if (!g[i]) continue;
      CHECK(g[i]->symbolic());
      CHECK(g[i]->dtype() == c.inputs[i].dtype());
      CHECK(g[i]->shape().rank() == c.inputs[i].rank());
      outs.push_back(*g[i]);
      present.push_back(i);
    }
    trace->set_outputs(outs);
  }
  if (const std::string need = needed_op(c.name); !need.empty()) {
    const std::vector<std::string> ops = trace->graph()->ops();
    CHECK(std::find(ops.begin(), ops.end(), need) != ops.end());
  }
  std::vector<Tensor> args = c.inputs;
  args.push_back(w);
  const std::vector<Tensor> got = run_graph(*trace->graph(), args);
  REQUIRE(got.size() == present.size());
  for (size_t k = 0; k < present.size(); ++k) {
    const Tensor& e = want[present[k]]->value;
    INFO("input " << present[k]);
    REQUIRE(got[k].shape() == e.shape());
    const std::vector<double> gv = values<double>(got[k].cast(DType::Float64));
    const std::vector<double> ev = values<double>(e.cast(DType::Float64));
    for (size_t j = 0; j < gv.size(); ++j)
      CHECK(gv[j] == Approx(ev[j]).epsilon(1e-12).margin(1e-12));
  }
}

constexpr int64_t U = kUnknownDim;

OpAttrs index_input_attrs() {
  OpAttrs a;
  a.slices = {SliceItem::all(), SliceItem::index_input(1)};
  return a;
}

}  // namespace

TEST_CASE("staged gradient rules equal the eager ones, unknown dims included", "[autodiff][grad]") {
  const Tensor t = Tensor::scalar<int32_t>(-2);
  const std::vector<Staged> cases = {
      {"tanh", OpKind::Tanh, {vals({3, 4})}, {{U, 4}}},
      {"mul broadcast", OpKind::Mul, {vals({3, 1}), vals({1, 4}, 1)}, {{U, 1}, {1, U}}},
      {"pow unknown",
       OpKind::Pow,
       {run(OpKind::Exp, {vals({2, 3}, 9)}), vals({3}, 2)},
       {{U, U}, {U}}},
      {"where",
       OpKind::Where,
       {run(OpKind::Greater, {vals({2, 3}), Tensor::scalar(0.0)}), vals({2, 3}, 1), vals({}, 2)},
       {{U, 3}, {U, 3}, {}}},
      {"reduce_max axis 1",
       OpKind::ReduceMax,
       {vals({2, 3, 4})},
       {{U, 3, 4}},
       OpAttrs::with_axes({1})},
      {"reduce_mean all", OpKind::ReduceMean, {vals({3, 4})}, {{U, 4}}},
      {"reduce_mean keepdims",
       OpKind::ReduceMean,
       {vals({3, 4})},
       {{U, U}},
       OpAttrs::with_axes({0}, true)},
      {"reduce_prod", OpKind::ReduceProd, {vals({3, 4})}, {{U, 4}}, OpAttrs::with_axes({-1})},
      {"matmul batched", OpKind::MatMul, {vals({2, 3, 4}), vals({4, 5}, 1)}, {{U, 3, 4}, {4, U}}},
      {"matmul vector", OpKind::MatMul, {vals({4}), vals({2, 4, 3}, 1)}, {{U}, {U, 4, 3}}},
      {"concat unknown",
       OpKind::Concat,
       {vals({2, 3}), vals({4, 3}, 1), vals({1, 3}, 2)},
       {{U, 3}, {U, 3}, {1, 3}},
       OpAttrs::with_axis(0)},
      {"stack",
       OpKind::Stack,
       {vals({2, 3}), vals({2, 3}, 1)},
       {{U, 3}, {U, 3}},
       OpAttrs::with_axis(1)},
      {"reshape unknown", OpKind::Reshape, {vals({3, 4}), vec<int32_t>({2, 6})}, {{U, 4}, {2}}},
      {"transpose",
       OpKind::Transpose,
       {vals({2, 3, 4})},
       {{U, 3, U}},
       OpAttrs::with_perm({1, 2, 0})},
      {"getitem tensor index",
       OpKind::GetItem,
       {vals({3, 5}), t},
       {{U, 5}, {}},
       index_input_attrs()},
      {"gather",
       OpKind::Gather,
       {vals({4, 3}), vec<int32_t>({1, 1, 3})},
       {{U, 3}, {U}},
       OpAttrs::with_axis(0)},
      {"softmax", OpKind::Softmax, {vals({3, 4})}, {{U, 4}}},
      {"cast", OpKind::Cast, {vals({3})}, {{U}}, OpAttrs::with_dtype(DType::Float64)},
      {"fill", OpKind::Fill, {vec<int32_t>({2, 3}), vals({})}, {{2}, {}}},
      {"sum_to_like", OpKind::SumToLike, {vals({3, 4}), vals({4})}, {{U, U}, {U}}},
  };
  for (const Staged& c : cases) check_staged(c);
}

TEST_CASE("gradient rules at kinks and ties follow TensorFlow", "[autodiff][grad]") {
  auto grads = [](OpKind op, std::vector<Tensor> in, OpAttrs a = {}) {
    const Tensor y = run(op, in.data(), in.size(), a);
    std::vector<double> ones(static_cast<size_t>(y.num_elements()), 1.0);
    const InputGrads g = eager_grads(op, in, a, Tensor::from_vector<double>(ones, y.shape()));
    std::vector<std::vector<double>> out;
    for (const auto& gi : g) out.push_back(gi ? values<double>(gi->value) : std::vector<double>{});
    return out;
  };
  using V = std::vector<double>;
  // reduce_max/min split the gradient evenly among ties.
  CHECK(grads(OpKind::ReduceMax, {vec<double>({1, 3, 3})})[0] == V{0, 0.5, 0.5});
  CHECK(grads(OpKind::ReduceMin, {mat<double>({2, 1, 1, 0, 5, 0}, {2, 3})},
              OpAttrs::with_axes({1}))[0] == V{0, 0.5, 0.5, 0.5, 0, 0.5});
  // maximum: x wins ties (x >= y); minimum likewise (x <= y).
  const auto mx = grads(OpKind::Maximum, {vec<double>({1, 2, 5}), vec<double>({1, 3, 4})});
  CHECK(mx[0] == V{1, 0, 1});
  CHECK(mx[1] == V{0, 1, 0});
  const auto mn = grads(OpKind::Minimum, {vec<double>({1, 2, 5}), vec<double>({1, 3, 4})});
  CHECK(mn[0] == V{1, 1, 0});
  CHECK(mn[1] == V{0, 0, 1});
  // relu passes nothing at 0; abs gives sign(x), 0 at 0.
  CHECK(grads(OpKind::Relu, {vec<double>({-1, 0, 2})})[0] == V{0, 0, 1});
  CHECK(grads(OpKind::Abs, {vec<double>({-1, 0, 2})})[0] == V{-1, 0, 1});
  // pow's exponent gradient is log(x) * x^y where x > 0, else 0 (never NaN).
  const auto pw = grads(OpKind::Pow, {vec<double>({-2, 0, 2}), vec<double>({2, 2, 2})});
  CHECK(pw[0] == V{-4, 0, 4});
  CHECK(pw[1][0] == 0);
  CHECK(pw[1][1] == 0);
  CHECK(pw[1][2] == Approx(4 * std::log(2.0)));
  // clip_by_value: inside the bounds x gets the gradient, outside the bound that clipped it.
  const auto cl = grads(OpKind::ClipByValue,
                        {vec<double>({-3, 0.5, 7}), Tensor::scalar(-1.0), Tensor::scalar(2.0)});
  CHECK(cl[0] == V{0, 1, 0});
  CHECK(cl[1] == V{1});
  CHECK(cl[2] == V{1});
  // reduce_prod with zeros: the lone zero of a row gets the product of the others.
  CHECK(grads(OpKind::ReduceProd, {mat<double>({2, 0, 3, 0, 0, 5}, {2, 3})},
              OpAttrs::with_axes({1}))[0] == V{0, 6, 0, 0, 0, 0});
}

TEST_CASE("integer and bool inputs get no gradient; float32 and float64 mix", "[autodiff][grad]") {
  const Tensor w3 = vec<double>({1, 2, 3});
  auto rule = [](OpKind op, std::vector<Tensor> in, const Tensor& w, OpAttrs a = {}) {
    return eager_grads(op, in, a, w);
  };
  CHECK_FALSE(rule(OpKind::Exp, {vec<int32_t>({1, 2, 3})}, w3)[0]);
  CHECK_FALSE(rule(OpKind::ReduceSum, {vec<int64_t>({1, 2, 3})}, Tensor::scalar<int64_t>(1))[0]);
  const InputGrads add = rule(OpKind::Add, {vec<int32_t>({1, 2, 3}), vec<double>({0, 0, 0})}, w3);
  CHECK_FALSE(add[0]);
  REQUIRE(add[1]);
  CHECK(values<double>(add[1]->value) == std::vector<double>{1, 2, 3});
  const InputGrads mm =
      rule(OpKind::MatMul, {mat<int32_t>({1, 2, 3, 4, 5, 6}, {3, 2}), vec<double>({1, -1})}, w3);
  CHECK_FALSE(mm[0]);
  REQUIRE(mm[1]);
  CHECK(values<double>(mm[1]->value) == std::vector<double>{22, 28});  // a^T w
  CHECK_FALSE(
      rule(OpKind::Cast, {vec<int32_t>({1, 2, 3})}, w3, OpAttrs::with_dtype(DType::Float64))[0]);
  const InputGrads gather =
      rule(OpKind::Gather, {vec<double>({5, 6}), vec<int32_t>({1, 1, 0})}, w3);
  CHECK(values<double>(gather[0]->value) == std::vector<double>{3, 3});
  CHECK_FALSE(gather[1]);
  CHECK_FALSE(rule(OpKind::Where,
                   {vec<bool>({true, false, true}), vec<double>({1, 1, 1}), Tensor::scalar(0.0)},
                   w3)[0]);

  // float32 (3, 1) + float64 (1, 4) -> float64 (3, 4): each gradient summed back to its own
  // shape and cast to its own dtype.
  const Tensor w = mat<double>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {3, 4});
  const InputGrads mixed =
      rule(OpKind::Add, {mat<float>({0, 0, 0}, {3, 1}), mat<double>({0, 0, 0, 0}, {1, 4})}, w);
  REQUIRE(mixed[0]);
  CHECK(mixed[0]->dtype() == DType::Float32);
  CHECK(mixed[0]->shape() == Shape{3, 1});
  CHECK(values<float>(mixed[0]->value) == std::vector<float>{10, 26, 42});
  CHECK(mixed[1]->dtype() == DType::Float64);
  CHECK(values<double>(mixed[1]->value) == std::vector<double>{15, 18, 21, 24});
  // float32 -> float64 cast: the gradient casts back.
  const InputGrads cast = rule(OpKind::Cast, {vec<float>({1, 2, 3})}, vec<double>({0.5, 0.25, 2}),
                               OpAttrs::with_dtype(DType::Float64));
  CHECK(cast[0]->dtype() == DType::Float32);
  CHECK(values<float>(cast[0]->value) == std::vector<float>{0.5f, 0.25f, 2});
}

TEST_CASE("stop_gradient is identity with no gradient rule, eager and staged", "[autodiff][grad]") {
  CHECK(grad_rule(OpKind::StopGradient) == nullptr);
  const Operand x(vec<float>({1, 2}));
  CHECK(values<float>(apply(OpKind::StopGradient, {x}).value) == std::vector<float>{1, 2});
  auto trace = Trace::create();
  {
    TraceScope scope(trace);
    const Operand p = trace->placeholder({DType::Float32, Shape{U}});
    trace->set_outputs({apply(OpKind::Mul, {apply(OpKind::StopGradient, {p}), p})});
  }
  CHECK(values<float>(run_graph(*trace->graph(), {vec<float>({3, 4})})[0]) ==
        std::vector<float>{9, 16});
}

TEST_CASE("gradient helper ops: integer values and shape errors", "[autodiff][grad]") {
  // Integer and bool tensors take the kernels' generic loops (floats go through reduce_sum).
  const Tensor m = mat<int32_t>({1, 2, 3, 4, 5, 6}, {3, 2});
  CHECK(values<int32_t>(run(OpKind::SumToLike, {m, vec<int32_t>({0, 0})})) ==
        std::vector<int32_t>{9, 12});
  CHECK(values<int32_t>(run(OpKind::SumToLike, {m, mat<int32_t>({0, 0, 0}, {3, 1})})) ==
        std::vector<int32_t>{3, 7, 11});
  CHECK(values<bool>(run(OpKind::SumToLike, {vec<bool>({false, true}), Tensor::scalar(false)})) ==
        std::vector<bool>{true});
  CHECK(values<int64_t>(
            run(OpKind::GatherGrad,
                {vec<int64_t>({1, 2, 3}), vec<int32_t>({2, 0, 2}), vec<int64_t>({0, 0, 0, 0})},
                OpAttrs::with_axis(0))) == std::vector<int64_t>{2, 0, 4, 0});
  CHECK(values<int32_t>(run(OpKind::BroadcastLike, {vec<int32_t>({1, 2, 3}), m.cast(DType::Int64)},
                            OpAttrs::with_axes({1}))) == std::vector<int32_t>{1, 1, 2, 2, 3, 3});
  OpAttrs sub;
  sub.slices = {SliceItem::index(-1)};
  CHECK(values<double>(run(OpKind::GetItemGrad,
                           {vec<double>({7, 8}), Tensor::zeros(DType::Float32, {2, 2})}, sub)) ==
        std::vector<double>{0, 0, 7, 8});

  // Shapes that do not fit raise, eagerly and when known at graph-build time.
  CHECK(error_of(OpKind::SumToLike, {vec<double>({1, 2, 3}), vec<double>({0, 0})})
            .find("does not broadcast") != std::string::npos);
  CHECK_THROWS_AS(run(OpKind::GetItemGrad,
                      {vec<double>({7, 8, 9}), Tensor::zeros(DType::Float64, {2, 2})}, sub),
                  InvalidArgumentError);
  CHECK_THROWS_AS(infer(OpKind::BroadcastLike, {{DType::Float64, {3, 1}}, {DType::Float64, {3, 4}}},
                        OpAttrs::with_axes({1})),
                  InvalidArgumentError);
  CHECK(error_of(OpKind::GatherGrad, {vec<double>({1}), vec<int32_t>({5}), vec<double>({0, 0})},
                 OpAttrs::with_axis(0))
            .find("index 5 is out of bounds") != std::string::npos);
  // With unknown dims the check waits for run time.
  CHECK(infer(OpKind::SumToLike, {{DType::Float64, {U, 3}}, {DType::Float64, {U}}}).shape ==
        Shape{U});
}
