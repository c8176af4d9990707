// The tracer from C++ alone (no Python): one apply() path that runs ops eagerly or records them
// into the graph being traced, weak scalars, control flow, lists, variables, subscripts, and
// source locations from an installed callback.
#include <catch2/catch.hpp>

#include <algorithm>

#include "graph_test_util.h"
#include "helpers.h"
#include "runtime/graph/subscript.h"
#include "runtime/graph/tracer.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

TensorSpec spec(DType d, Shape s = {}) {
  return TensorSpec{d, std::move(s)};
}

// Installs a location source for one test and removes it afterwards.
struct LocationScope {
  explicit LocationScope(LocationSource s) { set_location_source(std::move(s)); }
  ~LocationScope() { set_location_source(nullptr); }
};

}  // namespace

TEST_CASE("a function traced through apply() becomes a graph that runs", "[tracer]") {
  // f(x) = reduce_sum(x * 2 + 0.5), traced with the same calls eager code makes.
  auto trace = Trace::create("f");
  {
    TraceScope scope(trace);
    CHECK(tracing());
    const Operand x = trace->placeholder(spec(DType::Float32, Shape{3}), "x");
    const Operand y = apply(OpKind::Mul, {x, WeakScalar::integer(2)});
    CHECK(y.symbolic());
    CHECK(y.dtype() == DType::Float32);  // the literal adopts the tensor's dtype
    CHECK(y.shape() == Shape{3});
    const Operand z = apply(OpKind::Add, {y, WeakScalar::real(0.5)});
    trace->set_outputs({apply(OpKind::ReduceSum, {z})});
  }
  CHECK_FALSE(tracing());
  const Graph& g = *trace->graph();
  CHECK(g.ops() ==
        std::vector<std::string>{"placeholder", "const", "multiply", "const", "add", "reduce_sum"});
  const auto out = run_graph(g, {vec<float>({1, 2, 3})});
  REQUIRE(out.size() == 1);
  CHECK(out[0].dtype() == DType::Float32);
  CHECK(out[0].item<float>() == 13.5f);  // 2 + 4 + 6 + 3 * 0.5
}

TEST_CASE("with no trace open, the same apply() runs ops eagerly", "[tracer]") {
  REQUIRE_FALSE(tracing());
  const Operand x(vec<float>({1, 2, 3}));
  const Operand y = apply(OpKind::Mul, {x, WeakScalar::integer(2)});
  CHECK_FALSE(y.symbolic());
  CHECK(y.dtype() == DType::Float32);
  CHECK(values<float>(y.value) == std::vector<float>{2, 4, 6});

  // Weak scalar rules: a float next to an int tensor is float32 (SPEC §3, as JAX); a literal too
  // big for int32 makes int64; alone, a literal takes its default dtype.
  const Operand i(vec<int32_t>({1, 2}));
  CHECK(apply(OpKind::Add, {i, WeakScalar::real(0.5)}).dtype() == DType::Float32);
  CHECK(apply(OpKind::Add, {i, WeakScalar::integer(int64_t{1} << 40)}).dtype() == DType::Int64);
  CHECK(apply(OpKind::Add, {i, WeakScalar::integer(3)}).dtype() == DType::Int32);
  CHECK(apply(OpKind::Neg, {WeakScalar::integer(3)}).value.item<int32_t>() == -3);
  // where's condition does not decide the branches' dtype.
  const Operand cond(vec<bool>({true, false}));
  const Operand w =
      apply(OpKind::Where, {cond, WeakScalar::integer(1), Operand(vec<double>({0, 0}))});
  CHECK(w.dtype() == DType::Float64);
  CHECK(values<double>(w.value) == std::vector<double>{1, 0});
}

TEST_CASE("eager tensors used while tracing become constants of the graph", "[tracer]") {
  const Operand k(Tensor::scalar<int32_t>(10));
  auto trace = Trace::create();
  {
    TraceScope scope(trace);
    const Operand x = trace->placeholder(spec(DType::Int32), "x");
    trace->set_outputs({apply(OpKind::Add, {x, k})});
  }
  const auto out = run_graph(*trace->graph(), {Tensor::scalar<int32_t>(5)});
  CHECK(out[0].item<int32_t>() == 15);
}

TEST_CASE("a symbolic tensor outside its trace is a StagingError", "[tracer]") {
  auto first = Trace::create("first");
  Operand leaked;
  {
    TraceScope scope(first);
    leaked = apply(OpKind::Neg, {first->placeholder(spec(DType::Float32))});
  }
  CHECK_THROWS_AS(apply(OpKind::Neg, {leaked}), StagingError);  // eager: no trace open
  auto second = Trace::create("second");
  TraceScope scope(second);
  CHECK_THROWS_AS(apply(OpKind::Neg, {leaked}), StagingError);  // another trace's value
}

TEST_CASE("cond and while_loop trace C++ callbacks into subgraphs", "[tracer]") {
  // f(n) = (sum of 1..n while it stays below 100) negated when n is odd.
  auto trace = Trace::create();
  {
    TraceScope scope(trace);
    const Operand n = trace->placeholder(spec(DType::Int32), "n");
    const Operand zero(Tensor::scalar<int32_t>(0));
    const Operand max_it(Tensor::scalar<int32_t>(1000));
    const auto loop = while_loop(
        {zero, zero},
        [&](const std::vector<Operand>& v) {
          return apply(OpKind::Less, {v[0], n});
        },
        [&](const std::vector<Operand>& v) {
          const Operand i = apply(OpKind::Add, {v[0], WeakScalar::integer(1)});
          return std::vector<Operand>{i, apply(OpKind::Add, {v[1], i})};
        },
        max_it);
    const Operand odd = apply(
        OpKind::Equal, {apply(OpKind::Mod, {n, WeakScalar::integer(2)}), WeakScalar::integer(1)});
    const auto result = cond(
        odd, [&] { return std::vector<Operand>{apply(OpKind::Neg, {loop[1]})}; },
        [&] { return std::vector<Operand>{loop[1]}; });
    trace->set_outputs(result);
  }
  const Graph& g = *trace->graph();
  const auto ops = g.ops(false);
  CHECK(std::count(ops.begin(), ops.end(), "while") == 1);
  CHECK(std::count(ops.begin(), ops.end(), "cond") == 1);
  const Executable exe = compile(g);
  CHECK(exe.run({Tensor::scalar<int32_t>(4)})[0].item<int32_t>() == 10);
  CHECK(exe.run({Tensor::scalar<int32_t>(5)})[0].item<int32_t>() == -15);
}

TEST_CASE("cond's own checks are staging errors; a branch's op errors pass through", "[tracer]") {
  auto trace = Trace::create();
  TraceScope scope(trace);
  const Operand p = trace->placeholder(spec(DType::Bool), "p");
  const Operand x = trace->placeholder(spec(DType::Int32, Shape{3}), "x");
  // Branches that disagree in dtype break a tracing rule (SPEC §3: ag.StagingError).
  const auto disagree = [&] {
    cond(
        p, [&] { return std::vector<Operand>{x}; },
        [&] {
          return std::vector<Operand>{
              apply(OpKind::Cast, {x}, OpAttrs::with_dtype(DType::Float32))};
        });
  };
  bool staging = false;
  try {
    disagree();
  } catch (const LocatedError& e) {
    staging = e.kind() == ErrorKind::Staging;
  } catch (const StagingError&) {
    staging = true;
  }
  CHECK(staging);
  // An op error inside a branch (shapes that do not broadcast) stays an InvalidArgumentError.
  const Operand y = trace->placeholder(spec(DType::Int32, Shape{4}), "y");
  try {
    cond(
        p,
        [&] {
          return std::vector<Operand>{apply(OpKind::Add, {x, y})};
        },
        [&] { return std::vector<Operand>{x}; });
    FAIL("no error");
  } catch (const LocatedError& e) {
    CHECK(e.kind() == ErrorKind::InvalidArgument);
  } catch (const StagingError&) {
    FAIL("an op error inside a branch became a StagingError");
  } catch (const InvalidArgumentError&) {
    SUCCEED();
  }
}

TEST_CASE("a shape invariant lets a while loop variable change size", "[tracer]") {
  // x = [1]; while i < n: x = concat(x, x) -- typed (?,) by its invariant.
  auto trace = Trace::create();
  {
    TraceScope scope(trace);
    const Operand n = trace->placeholder(spec(DType::Int32), "n");
    const Operand zero(Tensor::scalar<int32_t>(0));
    const Operand one(vec<int32_t>({1}));
    const auto loop = while_loop(
        {zero, one},
        [&](const std::vector<Operand>& v) {
          return apply(OpKind::Less, {v[0], n});
        },
        [&](const std::vector<Operand>& v) {
          return std::vector<Operand>{apply(OpKind::Add, {v[0], WeakScalar::integer(1)}),
                                      apply(OpKind::Concat, {v[1], v[1]}, OpAttrs::with_axis(0))};
        },
        std::nullopt, {std::nullopt, Shape{kUnknownDim}});
    CHECK(loop[1].shape() == Shape{kUnknownDim});
    trace->set_outputs({loop[1]});
  }
  const Executable exe = compile(*trace->graph());
  CHECK(exe.run({Tensor::scalar<int32_t>(3)})[0].shape() == Shape{8});
  CHECK(exe.run({Tensor::scalar<int32_t>(0)})[0].shape() == Shape{1});

  // Without it, the size change is an error; an invariant the entry value does not fit too.
  auto bad = Trace::create();
  TraceScope scope(bad);
  const Operand one(vec<int32_t>({1}));
  const auto cond = [&](const std::vector<Operand>&) {
    return Operand(Tensor::scalar<bool>(false));
  };
  const auto grow = [&](const std::vector<Operand>& v) {
    return std::vector<Operand>{apply(OpKind::Concat, {v[0], v[0]}, OpAttrs::with_axis(0))};
  };
  CHECK_THROWS_WITH(while_loop({one}, cond, grow), Catch::Contains("loop variable 0"));
  CHECK_THROWS_WITH(while_loop({one}, cond, grow, std::nullopt, {Shape{kUnknownDim, 2}}),
                    Catch::Contains("does not fit its shape invariant"));
}

TEST_CASE("tensor lists and prints are traced in program order", "[tracer]") {
  auto trace = Trace::create();
  {
    TraceScope scope(trace);
    const Operand x = trace->placeholder(spec(DType::Float32), "x");
    Operand list = list_new(spec(DType::Float32), nullptr, true);
    list = list_push_back(list, x);
    list = list_push_back(list, apply(OpKind::Mul, {x, WeakScalar::integer(3)}));
    CHECK(list.is_list());
    print({std::string("size"), list_size(list)});
    auto [rest, last] = list_pop(list, Operand(Tensor::scalar<int32_t>(-1)));
    trace->set_outputs({list_stack(list), last, list_size(rest)});
  }
  std::string printed;
  RunOptions opts;
  opts.print_sink = [&](std::string_view s) { printed += s; };
  const auto out = run_graph(*trace->graph(), {Tensor::scalar<float>(2)}, opts);
  CHECK(values<float>(out[0]) == std::vector<float>{2, 6});
  CHECK(out[1].item<float>() == 6);
  CHECK(out[2].item<int32_t>() == 1);
  CHECK(printed == "size 2\n");
}

TEST_CASE("variables are read and assigned eagerly or by the graph", "[tracer]") {
  auto var = std::make_shared<Variable>(vec<float>({1, 2}), "v");
  // Eager: at once.
  Operand r = assign_variable(var, Operand(vec<float>({1, 1})), AssignMode::Add);
  CHECK(values<float>(r.value) == std::vector<float>{2, 3});
  CHECK(assign_value_dtype(*var) == DType::Float32);
  // Staged: when the graph runs.
  auto trace = Trace::create();
  {
    TraceScope scope(trace);
    CHECK_FALSE(assign_value_dtype(*var).has_value());
    const Operand x = trace->placeholder(spec(DType::Float32, Shape{2}), "x");
    assign_variable(var, x, AssignMode::Sub);
    trace->set_outputs({read_variable(var)});
  }
  CHECK(values<float>(var->read()) == std::vector<float>{2, 3});  // not run yet
  const auto out = run_graph(*trace->graph(), {vec<float>({2, 2})});
  CHECK(values<float>(out[0]) == std::vector<float>{0, 1});
  CHECK(values<float>(read_variable(var).value) == std::vector<float>{0, 1});
}

TEST_CASE("subscripts: a traced index stays an input, eager ones are constants", "[tracer]") {
  const Operand m(mat<int32_t>({0, 1, 2, 3, 4, 5}, Shape{2, 3}));
  // Eager: m[1, ::-1] and m[[1, 0]] (a gather).
  const Operand row =
      getitem(m, {KeyItem::at(IndexValue::of(1)), KeyItem::slice({}, {}, IndexValue::of(-1))});
  CHECK(values<int32_t>(row.value) == std::vector<int32_t>{5, 4, 3});
  const Operand rows = getitem(m, {KeyItem::at(IndexValue::of(Operand(vec<int32_t>({1, 0}))))});
  CHECK(rows.shape() == Shape{2, 3});
  CHECK(values<int32_t>(rows.value) == std::vector<int32_t>{3, 4, 5, 0, 1, 2});
  CHECK_THROWS_AS(getitem(m, {KeyItem::at(IndexValue::of(Operand(vec<bool>({true, false}))))}),
                  InvalidArgumentError);

  auto trace = Trace::create();
  {
    TraceScope scope(trace);
    const Operand i = trace->placeholder(spec(DType::Int32), "i");
    const Operand x = trace->placeholder(spec(DType::Int32, Shape{2, 3}), "x");
    trace->set_outputs({getitem(x, {KeyItem::at(IndexValue::of(i)), KeyItem::new_axis(),
                                    KeyItem::slice(IndexValue::of(1), {}, {})})});
  }
  const Executable exe = compile(*trace->graph());
  const auto out = exe.run({Tensor::scalar<int32_t>(1), m.value});
  CHECK(out[0].shape() == (Shape{1, 2}));
  CHECK(values<int32_t>(out[0]) == std::vector<int32_t>{4, 5});
}

TEST_CASE("nodes take the location the installed source reports", "[tracer]") {
  int line = 10;
  int calls = 0;
  LocationScope source([&](const SourceLoc& current, SourceLoc* out) {
    ++calls;
    if (current.line == line) return false;  // unchanged: the builder keeps its location
    *out = SourceLoc{"cell.py", line, 0, "y = x + 1"};
    return true;
  });
  CHECK(user_location().line == 10);
  auto trace = Trace::create();
  TraceScope scope(trace);
  const Operand x = trace->placeholder(spec(DType::Float32, Shape{2}), "x");
  const Operand y = apply(OpKind::Add, {x, WeakScalar::integer(1)});
  line = 11;
  const Operand z = apply(OpKind::Neg, {y});
  CHECK(y.sym->value.node->loc.line == 10);
  CHECK(z.sym->value.node->loc.line == 11);
  CHECK(calls == 3);
  try {
    apply(OpKind::Add, {x, Operand(vec<float>({1, 2, 3}))});
    FAIL("no error");
  } catch (const LocatedError& e) {
    CHECK(e.loc().file == "cell.py");
    CHECK(e.loc().line == 11);
    CHECK(std::string(e.what()).find("cell.py:11") != std::string::npos);
  }
}
