// The op table (runtime/ops/op_kinds.def) against what every row must have: a CPU kernel that
// agrees with inference, a gradient entry, and for element-wise rows one functor
// (runtime/ops/scalar_math.h) that the eager kernels, the 0-d fast paths, the executor's scalar
// path and fused programs all reproduce, and for Reduce rows one functor
// (runtime/ops/reduce_math.h) that the reduction kernels and fused max/min reproduce. A new row
// fails here until it is complete.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "graph_test_util.h"
#include "helpers.h"
#include "runtime/autodiff/grad_rule.h"
#include "runtime/core/convert.h"
#include "runtime/core/strings.h"
#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/elementwise.h"
#include "runtime/ops/reduce_visit.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

constexpr DType kDTypes[] = {DType::Bool, DType::Int32, DType::Int64, DType::Float32,
                             DType::Float64};

// Whether the row settles its gradient: a rule, or an explicit NoGradient.
bool has_gradient_entry(OpKind op) {
  const std::string g = op_gradient(op);
  return g == "Rule" || g == "NoGradient";
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
    case OpKind::StopGradient:
      return Sample{{m}, {}};
    case OpKind::SumToLike:  // (2, 3) summed to (3,)
      return Sample{{m, vec<float>({0, 0, 0})}, {}};
    case OpKind::BroadcastLike:  // a reduce_sum over axis 1 of (2, 3), expanded back
      return Sample{{vec<float>({1, 2}), m}, OpAttrs::with_axes({1})};
    case OpKind::GetItemGrad: {
      OpAttrs a;
      a.slices = {SliceItem::index_input(1)};  // x[t], t the getitem's input 1 (here input 2)
      return Sample{{vec<float>({7, 8, 9}), m, Tensor::scalar<int32_t>(1)}, a};
    }
    case OpKind::GatherGrad:
      return Sample{{mat<float>({1, 2, 3, 4}, {2, 2}), idx, m}, OpAttrs::with_axis(1)};
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
    case OpKind::Cumsum:
    case OpKind::ArgSort:
      return Sample{{m}, {}};
    case OpKind::Cast:
      return Sample{{m}, OpAttrs::with_dtype(DType::Float64)};
    case OpKind::StringLength:
    case OpKind::StringUpper:
    case OpKind::StringLower:
    case OpKind::StringJoin:
    case OpKind::StringReduceJoin:
      return Sample{{string_tensor({"ab", "Cd"}, Shape{2})}, {}};
    case OpKind::StringFormat: {
      OpAttrs a;
      a.text = "m={}";
      return Sample{{m}, a};
    }
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
    // Element-wise and Reduce rows have a functor; nothing else claims one.
    CHECK(elementwise_traits(op).has_value() == is_elementwise(op_category(op)));
    CHECK(visit_reduce(op, [](auto) {}) == (op_category(op) == OpCategory::Reduce));
  }
}

TEST_CASE("op table: Rule rows have a rule, NoGradient rows none", "[ops][table][autodiff]") {
  int rules = 0;
  for (int k = 0; k < kNumOpKinds; ++k) {
    const auto op = static_cast<OpKind>(k);
    INFO("op " << op_name(op));
    const std::string g = op_gradient(op);
    REQUIRE((g == "Rule" || g == "NoGradient"));
    CHECK((autodiff::grad_rule(op) != nullptr) == (g == "Rule"));
    rules += g == "Rule";
  }
  CHECK(rules > 40);
  CHECK(autodiff::grad_rule(OpKind::StopGradient) == nullptr);
  CHECK(autodiff::grad_rule(OpKind::MatMul) != nullptr);
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

// ---- Reduce rows against their functors (runtime/ops/reduce_math.h) ----

// Values whose float sums and products are exact in double (dyadic, few bits), so the kernels'
// lane and thread splits cannot change a result; the specials go in one position at a time.
// Long products stay within +-1 (an overflow to inf in one lane and 0 in another is NaN, where a
// sequential fold stays 0), and int64 extremes are left out of sums in double (they round).
template <class F, class D>
std::vector<D> reduce_base(size_t n) {
  if constexpr (std::is_floating_point_v<D>) {
    if (std::is_same_v<F, math::ReduceProd> && n > 100)
      return {D(-1), D(1), D(-0.0), D(0), D(1), D(-1), D(1), D(1)};
    return {D(-2.5), D(-1), D(-0.0), D(0), D(0.5), D(1), D(3), D(0.75)};
  } else if constexpr (std::is_floating_point_v<typename F::template Acc<D>> && sizeof(D) == 8) {
    return {-7, -2, -1, 0, 1, 3, 64};
  } else {
    return operand_values<D>();
  }
}
template <class D>
std::vector<D> reduce_specials() {
  if constexpr (std::is_floating_point_v<D>)
    return {std::numeric_limits<D>::quiet_NaN(), std::numeric_limits<D>::infinity(),
            -std::numeric_limits<D>::infinity()};
  else
    return {};
}

// Equal, NaN matching NaN; -0 equals 0 (max/min of both zeros depends on the lane order).
template <class O>
bool same_value(O got, O want) {
  if constexpr (std::is_floating_point_v<O>) {
    if (want != want) return got != got;
  }
  return got == want;
}

// The functor's fold of v[begin], v[begin + step], ... (n elements), finalized and converted to
// the output dtype O.
template <class F, class O, class D>
O fold(const std::vector<D>& v, size_t begin, size_t step, size_t n) {
  using A = typename F::template Acc<D>;
  A acc = F::template identity<A>();
  for (size_t i = 0; i < n; ++i) acc = F{}(acc, F::template lift<A>(v[begin + i * step]));
  return convert<O>(F::finalize(acc, static_cast<int64_t>(n)));
}

// The reduction of v (all of it, and as a matrix along each axis) against the functor's fold.
template <class E, class D>
void check_reduce_values(const std::vector<D>& v, size_t cols) {
  using F = typename E::Fn;
  const auto n = static_cast<int64_t>(v.size());
  const Tensor all = run(E::kOp, {Tensor::from_vector<D>(v, Shape{n})}, {});
  dispatch_dtype(all.dtype(), [&](auto otag) {
    using O = decltype(otag);
    CHECK(same_value(all.item<O>(), fold<F, O>(v, 0, 1, v.size())));
    const size_t rows = v.size() / cols;
    const std::vector<D> head(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(rows * cols));
    const Tensor m =
        Tensor::from_vector<D>(head, Shape{static_cast<int64_t>(rows), static_cast<int64_t>(cols)});
    const Tensor down = run(E::kOp, {m}, OpAttrs::with_axes({0}));
    for (size_t j = 0; j < cols; ++j) {
      INFO("column " << j);
      CHECK(same_value(down.data<O>()[j], fold<F, O>(head, j, cols, rows)));
    }
    const Tensor across = run(E::kOp, {m}, OpAttrs::with_axes({1}));
    for (size_t i = 0; i < rows; ++i) {
      INFO("row " << i);
      CHECK(same_value(across.data<O>()[i], fold<F, O>(head, i * cols, 1, cols)));
    }
  });
  if constexpr (F::kOrderedLanes && std::is_floating_point_v<D>) {
    // Fused: max/min of -x, as one FusedElementwise program.
    Graph fg;
    GraphBuilder fb(fg);
    const Value x = fb.placeholder(TensorSpec{dtype_of<D>, Shape{n}});
    fb.set_outputs({fb.op(E::kOp, {fb.op(OpKind::Neg, {x})})});
    REQUIRE(fuse_elementwise(fg));
    std::vector<D> neg(v.size());
    for (size_t i = 0; i < v.size(); ++i) neg[i] = math::Neg{}(v[i]);
    const Tensor fused = run_graph(fg, {Tensor::from_vector<D>(v, Shape{n})})[0];
    CHECK(same_value(fused.item<D>(), fold<F, D>(neg, 0, 1, neg.size())));
  }
}

// Short runs, runs through the vector lanes and their tail, and runs split across threads; each
// with every special value in a few positions (first, inside a lane block, middle, last).
template <class E, class D>
void check_reduce(const char* name) {
  using F = typename E::Fn;
  for (size_t n : {size_t{5}, size_t{37}, (size_t{1} << 17) + 3}) {
    const std::vector<D> base = reduce_base<F, D>(n);
    std::vector<D> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = base[(i * 7 + n) % base.size()];
    INFO(name << " on " << dtype_name(dtype_of<D>) << ", " << n << " elements");
    check_reduce_values<E>(v, n > 100 ? 64 : 4);
    for (D special : reduce_specials<D>()) {
      for (size_t at : {size_t{0}, size_t{11} % n, n / 2, n - 1}) {
        INFO("special " << special << " at " << at);
        std::vector<D> w = v;
        w[at] = special;
        check_reduce_values<E>(w, n > 100 ? 64 : 4);
      }
    }
  }
  // Empty: the finalized identity, or an error where there is none.
  const Tensor empty = Tensor::from_vector<D>({}, Shape{0});
  if constexpr (F::kHasIdentity) {
    const Tensor got = run(E::kOp, {empty}, {});
    dispatch_dtype(got.dtype(), [&](auto otag) {
      using O = decltype(otag);
      CHECK(same_value(got.item<O>(), fold<F, O>(std::vector<D>{}, 0, 1, 0)));
    });
  } else {
    CHECK_THROWS_AS(run(E::kOp, {empty}, {}), InvalidArgumentError);
  }
}

// ArgMax/ArgMin: the kernel's index against the functor's scan, along each axis.
template <class E, class D>
void check_arg_reduce(const char* name) {
  using F = typename E::Fn;
  std::vector<D> v = operand_values<D>();
  for (D s : operand_values<D>()) v.push_back(s);
  const size_t cols = 2, rows = v.size() / cols;
  v.resize(rows * cols);
  const Tensor m = Tensor::from_vector<D>(v, Shape{static_cast<int64_t>(rows), 2});
  auto scan = [&](size_t begin, size_t step, size_t n) {
    int64_t at = 0;
    for (size_t k = 1; k < n; ++k)
      if (F{}(v[begin + k * step], v[begin + static_cast<size_t>(at) * step]))
        at = static_cast<int64_t>(k);
    return at;
  };
  INFO(name << " on " << dtype_name(dtype_of<D>));
  const Tensor down = run(E::kOp, {m}, OpAttrs::with_axis(0));
  for (size_t j = 0; j < cols; ++j) CHECK(down.data<int64_t>()[j] == scan(j, cols, rows));
  const Tensor across = run(E::kOp, {m}, OpAttrs::with_axis(1));
  for (size_t i = 0; i < rows; ++i) CHECK(across.data<int64_t>()[i] == scan(i * cols, 1, cols));
}

TEST_CASE("op table: Reduce rows run their functor in the kernels and fused max/min",
          "[ops][table][reduce]") {
  int visited = 0, rows = 0;
  for (int k = 0; k < kNumOpKinds; ++k) {
    const auto op = static_cast<OpKind>(k);
    if (op_category(op) == OpCategory::Reduce) ++rows;
    visit_reduce(op, [&](auto r) {
      ++visited;
      using E = decltype(r);
      if constexpr (E::Fn::kArg) {
        check_arg_reduce<E, bool>(op_name(op));
        check_arg_reduce<E, int32_t>(op_name(op));
        check_arg_reduce<E, int64_t>(op_name(op));
        check_arg_reduce<E, float>(op_name(op));
        check_arg_reduce<E, double>(op_name(op));
      } else {
        check_reduce<E, bool>(op_name(op));
        check_reduce<E, int32_t>(op_name(op));
        check_reduce<E, int64_t>(op_name(op));
        check_reduce<E, float>(op_name(op));
        check_reduce<E, double>(op_name(op));
      }
    });
  }
  CHECK(visited == rows);
  CHECK(rows >= 9);
}

// What the functors encode, independently of them: NumPy's answers.
TEST_CASE("reductions: NaN, empty and bool rules", "[ops][reduce]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Tensor x = vec<float>({1, nan, 3, nan, -2});
  CHECK(std::isnan(run(OpKind::ReduceMax, {x}).item<float>()));
  CHECK(std::isnan(run(OpKind::ReduceMin, {x}).item<float>()));
  CHECK(run(OpKind::ReduceAll, {x}).item<bool>());       // NaN is true
  CHECK(run(OpKind::ArgMax, {x}).item<int64_t>() == 1);  // the first NaN
  CHECK(run(OpKind::ArgMin, {x}).item<int64_t>() == 1);
  const Tensor y = vec<float>({3, 1, 3, 1});
  CHECK(run(OpKind::ArgMax, {y}).item<int64_t>() == 0);  // the first of equal extremes
  CHECK(run(OpKind::ArgMin, {y}).item<int64_t>() == 1);
  CHECK(std::isnan(run(OpKind::ReduceMean, {vec<float>({})}).item<float>()));
  CHECK(run(OpKind::ReduceProd, {vec<float>({})}).item<float>() == 1.0f);
  CHECK(run(OpKind::ReduceMean, {vec<int32_t>({1, 2})}).item<double>() == 1.5);
  CHECK(run(OpKind::ReduceMax, {vec<bool>({false, true})}).item<bool>());
  CHECK(!run(OpKind::ReduceMin, {vec<bool>({false, true})}).item<bool>());
  const int64_t big = std::numeric_limits<int64_t>::max();
  CHECK(run(OpKind::ReduceSum, {vec<int64_t>({big, 1})}).item<int64_t>() ==
        std::numeric_limits<int64_t>::min());  // wraps
}

}  // namespace
