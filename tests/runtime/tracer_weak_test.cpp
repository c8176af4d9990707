// Weakly typed graph values (Symbol::weak, JAX's weak_type): a value the program holds as a
// Python number takes the dtype of the strongly typed tensors it meets in element-wise ops.
#include <catch2/catch.hpp>

#include "graph_test_util.h"
#include "helpers.h"
#include "runtime/graph/tracer.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

Operand placeholder(const std::shared_ptr<Trace>& trace, DType dt, const char* name) {
  return trace->placeholder(TensorSpec{dt, Shape{}}, name);
}

}  // namespace

TEST_CASE("a weak int meets a float32 tensor: float32, not NumPy's float64", "[tracer][weak]") {
  auto trace = Trace::create("f");
  TraceScope scope(trace);
  const Operand x = placeholder(trace, DType::Float32, "x");
  const Operand i = placeholder(trace, DType::Int32, "i");
  CHECK(apply(OpKind::Add, {x, i}).dtype() == DType::Float64);  // both strong: promotion
  const Operand weak_i = weakly_typed(i);
  REQUIRE(weak_i.sym->weak);
  CHECK_FALSE(i.sym->weak);  // a marked copy: the original stays as it was
  const Operand sum = apply(OpKind::Add, {x, weak_i});
  CHECK(sum.dtype() == DType::Float32);
  CHECK_FALSE(sum.sym->weak);  // a strong operand makes the result strong
  CHECK(apply(OpKind::Less, {weak_i, x}).dtype() == DType::Bool);
}

TEST_CASE("a weak value of a higher kind keeps its kind; weak floats widen integer tensors",
          "[tracer][weak]") {
  auto trace = Trace::create("f");
  TraceScope scope(trace);
  const Operand n = placeholder(trace, DType::Int64, "n");
  const Operand b = placeholder(trace, DType::Bool, "b");
  const Operand weak_i = weakly_typed(placeholder(trace, DType::Int32, "i"));
  const Operand weak_f = weakly_typed(placeholder(trace, DType::Float32, "f"));
  CHECK(apply(OpKind::Add, {weak_i, n}).dtype() == DType::Int64);    // like `i + int64 tensor`
  CHECK(apply(OpKind::Add, {weak_i, b}).dtype() == DType::Int32);    // int beats bool
  CHECK(apply(OpKind::Mul, {n, weak_f}).dtype() == DType::Float32);  // like `n * 0.5`
}

TEST_CASE("weak operands alone give a weak result; comparisons give a strong bool",
          "[tracer][weak]") {
  auto trace = Trace::create("f");
  {
    TraceScope scope(trace);
    const Operand weak_i = weakly_typed(placeholder(trace, DType::Int32, "i"));
    const Operand twice = apply(OpKind::Mul, {weak_i, WeakScalar::integer(2)});
    CHECK(twice.sym->weak);
    const Operand half = apply(OpKind::Mul, {weak_i, WeakScalar::real(0.5)});
    CHECK(half.dtype() == DType::Float32);
    CHECK(half.sym->weak);
    CHECK_FALSE(apply(OpKind::Greater, {weak_i, WeakScalar::integer(1)}).sym->weak);
    const Operand x = trace->placeholder(TensorSpec{DType::Float32, Shape{}}, "x");
    trace->set_outputs({apply(OpKind::Add, {x, half})});
  }
  const auto out =
      run_graph(*trace->graph(), {mat<int32_t>({3}, Shape{}), mat<float>({0.25f}, Shape{})});
  REQUIRE(out.size() == 1);
  CHECK(out[0].dtype() == DType::Float32);
  CHECK(out[0].item<float>() == 1.75f);  // 0.25 + 3 * 0.5
}

TEST_CASE("weak values of two kinds meet as Python numbers: the float kind, float32; int / int too",
          "[tracer][weak]") {
  auto trace = Trace::create("f");
  {
    TraceScope scope(trace);
    const Operand weak_i = weakly_typed(placeholder(trace, DType::Int32, "i"));
    const Operand weak_f = weakly_typed(placeholder(trace, DType::Float32, "f"));
    const Operand sum = apply(OpKind::Add, {weak_i, weak_f});  // NumPy would say float64
    CHECK(sum.dtype() == DType::Float32);
    CHECK(sum.sym->weak);
    CHECK(apply(OpKind::FloorDiv, {weak_f, weak_i}).dtype() == DType::Float32);
    // True division of Python ints is a Python float: float32, where NumPy's is float64.
    const Operand q = apply(OpKind::TrueDiv, {weak_i, WeakScalar::integer(2)});
    CHECK(q.dtype() == DType::Float32);
    CHECK(q.sym->weak);
    trace->set_outputs({sum});
  }
  const auto out =
      run_graph(*trace->graph(), {mat<int32_t>({3}, Shape{}), mat<float>({0.25f}, Shape{})});
  REQUIRE(out.size() == 1);
  CHECK(out[0].dtype() == DType::Float32);
  CHECK(out[0].item<float>() == 3.25f);
}

TEST_CASE("a unary op keeping a weak value's dtype keeps it weak (abs, negative)",
          "[tracer][weak]") {
  auto trace = Trace::create("f");
  TraceScope scope(trace);
  const Operand x = placeholder(trace, DType::Float32, "x");
  const Operand i = placeholder(trace, DType::Int32, "i");
  const Operand weak_i = weakly_typed(i);
  CHECK(apply(OpKind::Abs, {weak_i}).sym->weak);
  CHECK(apply(OpKind::Neg, {weak_i}).sym->weak);
  CHECK_FALSE(apply(OpKind::Abs, {i}).sym->weak);        // a strong operand stays strong
  CHECK_FALSE(apply(OpKind::Sqrt, {weak_i}).sym->weak);  // int -> float64: not a Python number
  // `x // (abs(n) + 1)` with a float32 x and a Python int n: float32, as in Python.
  const Operand d = apply(OpKind::Add, {apply(OpKind::Abs, {weak_i}), WeakScalar::integer(1)});
  CHECK(apply(OpKind::FloorDiv, {x, d}).dtype() == DType::Float32);
}

TEST_CASE("a weak int and a weak float compare exactly (in float64, as NumPy)", "[tracer][weak]") {
  auto trace = Trace::create("f");
  {
    TraceScope scope(trace);
    const Operand weak_i = weakly_typed(placeholder(trace, DType::Int32, "i"));
    const Operand weak_f = weakly_typed(placeholder(trace, DType::Float32, "f"));
    trace->set_outputs({apply(OpKind::Equal, {weak_i, weak_f})});
  }
  // 2**24 + 1 as a float32 would be 2**24.
  const auto out = run_graph(
      *trace->graph(), {mat<int32_t>({16777217}, Shape{}), mat<float>({16777216.0f}, Shape{})});
  REQUIRE(out.size() == 1);
  CHECK_FALSE(out[0].item<bool>());
}
