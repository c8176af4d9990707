// The op table (runtime/ops/op_kinds.def) against what every row must have: a CPU kernel that
// agrees with inference, a gradient entry, and for element-wise rows one functor
// (runtime/ops/scalar_math.h) that the eager kernels, the 0-d fast paths, the executor's scalar
// path and fused programs all reproduce. A new row fails here until it is complete.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "graph_test_util.h"
#include "helpers.h"
#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/elementwise.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

constexpr DType kDTypes[] = {DType::Bool, DType::Int32, DType::Int64, DType::Float32,
                             DType::Float64};

// Whether the row declares a gradient. The autodiff work tightens this to "has a rule":
// Pending then stops counting.
bool has_gradient_entry(OpKind op) {
  return std::string(op_gradient(op)) != "";
}

struct Sample {
  std::vector<Tensor> inputs;
  OpAttrs attrs;
};

// Inputs every row can run on. A row that is not element-wise needs a case here: adding an op
// means adding its sample.
std::optional<Sample> sample(OpKind op) {
  const Tensor f = vec<float>({1.5f, -2.0f, 0.25f, 4.0f});
  const Tensor m = mat<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  const Tensor idx = vec<int32_t>({2, 0});
  const OpCategory cat = op_category(op);
  if (is_elementwise(cat)) {
    const bool bitwise = op_dtype_rule(op) == DTypeRule::Bitwise;
    const Tensor x = bitwise ? vec<int32_t>({6, -3, 0, 9}) : f;
    if (op_arity(op) == 1) return Sample{{x}, {}};
    return Sample{{x, bitwise ? vec<int32_t>({3, 5, -1, 2}) : vec<float>({2, 0.5f, -1, 3})}, {}};
  }
  if (cat == OpCategory::Reduce) return Sample{{m}, {}};
  switch (op) {
    case OpKind::Where:
      return Sample{{vec<bool>({true, false, true, false}), f, Tensor::scalar(0.0f)}, {}};
    case OpKind::ClipByValue:
      return Sample{{f, Tensor::scalar(-1.0f), Tensor::scalar(2.0f)}, {}};
    case OpKind::MatMul:
      return Sample{{m, mat<float>({1, 0, 0, 1, 1, 1}, {3, 2})}, {}};
    case OpKind::Transpose:
    case OpKind::Size:
    case OpKind::ShapeOf:
    case OpKind::ZerosLike:
    case OpKind::OnesLike:
    case OpKind::Identity:
      return Sample{{m}, {}};
    case OpKind::Reshape:
      return Sample{{m, vec<int32_t>({3, 2})}, {}};
    case OpKind::Concat:
    case OpKind::Stack:
      return Sample{{m, m}, OpAttrs::with_axis(0)};
    case OpKind::GetItem: {
      OpAttrs a;
      a.slices = {SliceItem::index_input(1)};  // x[t]
      return Sample{{m, Tensor::scalar<int32_t>(1)}, a};
    }
    case OpKind::Gather:
      return Sample{{m, idx}, OpAttrs::with_axis(1)};
    case OpKind::Zeros:
    case OpKind::Ones:
    case OpKind::RandomUniform:
    case OpKind::RandomNormal:
      return Sample{{vec<int32_t>({2, 2})}, {}};
    case OpKind::Fill:
      return Sample{{vec<int32_t>({2, 2}), Tensor::scalar(3.5f)}, {}};
    case OpKind::Range:
      return Sample{{Tensor::scalar(0.0f), Tensor::scalar(2.0f), Tensor::scalar(0.5f)}, {}};
    case OpKind::OneHot: {
      OpAttrs a;
      a.depth = 3;
      return Sample{{idx}, a};
    }
    case OpKind::Softmax:
      return Sample{{m}, {}};
    case OpKind::Cast:
      return Sample{{m}, OpAttrs::with_dtype(DType::Float64)};
    default:
      return std::nullopt;
  }
}

TEST_CASE("op table: every row has a kernel that agrees with inference, and a gradient entry",
          "[ops][table]") {
  for (int k = 0; k < kNumOpKinds; ++k) {
    const auto op = static_cast<OpKind>(k);
    INFO("op " << op_name(op));
    const auto s = sample(op);
    if (!s) FAIL("no sample inputs for this op: add a case to sample() in op_table_test.cpp");
    std::vector<TensorSpec> specs;
    bool float_capable = false;
    for (const Tensor& t : s->inputs) {
      specs.push_back({t.dtype(), t.shape()});
      float_capable |= is_floating(t.dtype());
    }
    const TensorSpec want = infer(op, specs.data(), specs.size(), s->attrs);
    Tensor got;
    try {
      got = run(op, s->inputs.data(), s->inputs.size(), s->attrs);
    } catch (const InternalError& e) {
      FAIL("no kernel: " << e.what());
    }
    CHECK(got.dtype() == want.dtype);
    CHECK(got.dtype() == result_dtype(op, specs.data(), specs.size(), s->attrs));
    REQUIRE(got.rank() == want.shape.rank());
    for (int d = 0; d < got.rank(); ++d)
      CHECK((want.shape[d] == kUnknownDim || want.shape[d] == got.shape()[d]));
    float_capable |= is_floating(got.dtype());
    if (float_capable) CHECK(has_gradient_entry(op));
    // Element-wise rows have a functor; nothing else claims one.
    CHECK(elementwise_traits(op).has_value() == is_elementwise(op_category(op)));
  }
}

// Operand values of one dtype: signs, zeros, extremes, NaN and infinities.
template <class T>
std::vector<T> operand_values() {
  if constexpr (std::is_same_v<T, bool>) {
    return {false, true};
  } else if constexpr (std::is_integral_v<T>) {
    return {-7, -2, -1, 0, 1, 3, 64, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()};
  } else {
    const T inf = std::numeric_limits<T>::infinity();
    return {T(-2.5),
            T(-1),
            T(-0.0),
            T(0),
            T(0.5),
            T(1),
            T(3),
            T(0.7),
            inf,
            -inf,
            std::numeric_limits<T>::quiet_NaN()};
  }
}

// Equal, NaN matching NaN; functors with an array form run Eigen's vectorized math on arrays
// and libm on single elements, so those agree to rounding only.
template <class R>
bool agrees(R got, R want, bool approx) {
  if constexpr (std::is_floating_point_v<R>) {
    if (std::isnan(want)) return std::isnan(got);
    if (approx && std::isfinite(want))
      return std::fabs(got - want) <= R(1e-5) * std::max(R(1), std::fabs(want));
    return got == want && std::signbit(got) == std::signbit(want);
  } else {
    return got == want;
  }
}

// The type F returns for operands of type T (declared only: used in decltype).
template <class F, class T>
auto functor_result() {
  if constexpr (F::kArity == 2)
    return math::call(F{}, math::FaultFlag{nullptr}, T{}, T{});
  else
    return math::call(F{}, math::FaultFlag{nullptr}, T{});
}

// Every pair of operand values of dtype D (for a unary op, every value) through: the eager
// array kernel, the eager 0-d fast path, the executor's scalar path and, for fusable ops, a
// fused program; each against the functor itself. Faulting pairs must raise everywhere.
template <class E, class D>
void check_elementwise(const char* name) {
  using F = typename E::Fn;
  constexpr DType kD = dtype_of<D>;
  DType ct;
  try {
    ct = compute_dtype(E::kOp, kD, kD);
  } catch (const InvalidArgumentError&) {
    return;  // the rule rejects D (the test below checks which)
  }
  dispatch_dtype(ct, [&](auto ctag) {
    using T = decltype(ctag);
    if constexpr (E::template kComputes<T>) {
      using R = decltype(functor_result<F, T>());
      const std::vector<D> vals = operand_values<D>();
      std::vector<D> as, bs;
      std::vector<R> want;
      std::vector<std::pair<D, D>> faulting;
      for (D a : vals) {
        for (D b : F::kArity == 2 ? vals : std::vector<D>{a}) {
          int fault = math::kNoFault;
          R r;
          if constexpr (F::kArity == 2)
            r = math::call(F{}, math::FaultFlag{&fault}, static_cast<T>(a), static_cast<T>(b));
          else
            r = math::call(F{}, math::FaultFlag{&fault}, static_cast<T>(a));
          if (fault != math::kNoFault) {
            faulting.emplace_back(a, b);
            continue;
          }
          as.push_back(a);
          bs.push_back(b);
          want.push_back(r);
        }
      }
      INFO(name << " on " << dtype_name(kD));
      const auto n = static_cast<int64_t>(as.size());
      std::vector<Tensor> arr = {Tensor::from_vector<D>(as, Shape{n})};
      if (F::kArity == 2) arr.push_back(Tensor::from_vector<D>(bs, Shape{n}));
      const Tensor got = run(E::kOp, arr.data(), arr.size(), {});
      REQUIRE(got.dtype() == dtype_of<R>);
      // The executor's scalar path: one graph with 0-d placeholders, run per pair.
      Graph g;
      GraphBuilder gb(g);
      std::vector<Value> params;
      for (size_t i = 0; i < arr.size(); ++i) params.push_back(gb.placeholder(scalar_spec(kD)));
      gb.set_outputs({gb.op(E::kOp, params)});
      const Executable exe = compile(g);
      for (int64_t i = 0; i < n; ++i) {
        const auto k = static_cast<size_t>(i);
        INFO("operands " << +as[k] << ", " << +bs[k]);
        CHECK(agrees<R>(got.data<R>()[i], want[k], F::kArrayMath));
        std::vector<Tensor> s = {Tensor::scalar<D>(as[k])};
        if (F::kArity == 2) s.push_back(Tensor::scalar<D>(bs[k]));
        const R eager0 = run(E::kOp, s.data(), s.size(), {}).template item<R>();
        CHECK(agrees<R>(eager0, want[k], false));
        CHECK(agrees<R>(exe.run(s)[0].template item<R>(), want[k], false));
      }
      for (const auto& [a, b] : faulting) {
        INFO("faulting operands " << +a << ", " << +b);
        std::vector<Tensor> s = {Tensor::scalar<D>(a), Tensor::scalar<D>(b)};
        CHECK_THROWS_AS(run(E::kOp, s.data(), s.size(), {}), InvalidArgumentError);
        CHECK_THROWS_AS(exe.run(s), InvalidArgumentError);
      }
      if constexpr (F::kFusable && std::is_floating_point_v<D> && std::is_same_v<D, T>) {
        // op(x[, y]) then negative: a two-step fused program over the same values.
        Graph fg;
        GraphBuilder fb(fg);
        std::vector<Value> fp;
        for (size_t i = 0; i < arr.size(); ++i)
          fp.push_back(fb.placeholder(TensorSpec{kD, Shape{n}}));
        fb.set_outputs({fb.op(OpKind::Neg, {fb.op(E::kOp, fp)})});
        REQUIRE(fuse_elementwise(fg));
        const Tensor fused = run_graph(fg, arr)[0];
        const Tensor unfused = run(OpKind::Neg, {got});
        for (int64_t i = 0; i < n; ++i) {
          INFO("fused, operands " << as[static_cast<size_t>(i)] << ", "
                                  << bs[static_cast<size_t>(i)]);
          CHECK(agrees<R>(fused.data<R>()[i], unfused.data<R>()[i], F::kArrayMath));
        }
      }
    }
  });
}

TEST_CASE("op table: element-wise rows run their functor on every path", "[ops][table]") {
  int visited = 0;
  for (int k = 0; k < kNumOpKinds; ++k) {
    const auto op = static_cast<OpKind>(k);
    visit_elementwise(op, [&](auto e) {
      ++visited;
      using E = decltype(e);
      check_elementwise<E, bool>(op_name(op));
      check_elementwise<E, int32_t>(op_name(op));
      check_elementwise<E, int64_t>(op_name(op));
      check_elementwise<E, float>(op_name(op));
      check_elementwise<E, double>(op_name(op));
    });
  }
  CHECK(visited > 30);
}

TEST_CASE("op table: dtype rules reject what NumPy rejects, with the row's hint",
          "[ops][table][errors]") {
  for (int k = 0; k < kNumOpKinds; ++k) {
    const auto op = static_cast<OpKind>(k);
    const auto traits = elementwise_traits(op);
    if (!traits) continue;
    for (DType d : kDTypes) {
      INFO(op_name(op) << " on " << dtype_name(d));
      // NumPy refuses bools for negative, sign and subtract, and floats for & | ^ ~.
      const DTypeRule rule = op_dtype_rule(op);
      const bool accepted =
          !(d == DType::Bool && (rule == DTypeRule::NoBool || rule == DTypeRule::PromoteNoBool)) &&
          !(is_floating(d) && rule == DTypeRule::Bitwise);
      const Tensor x = Tensor::full(d, Shape{2}, 1.0);  // ones: no division by zero
      std::vector<Tensor> in(static_cast<size_t>(traits->arity), x);
      const std::string err = [&] {
        try {
          run(op, in.data(), in.size(), {});
        } catch (const InvalidArgumentError& e) {
          return std::string(e.what());
        }
        return std::string();
      }();
      CHECK(err.empty() == accepted);
      if (d == DType::Bool && traits->bool_error) {
        CHECK(err == std::string(op_name(op)) + ": " + traits->bool_error);
      }
    }
  }
}

}  // namespace
