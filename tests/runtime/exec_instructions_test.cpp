// Every inline scalar instruction of runtime/exec/instructions.def, checked against the eager
// kernels: the cases are generated from the table itself, so an instruction added there is
// tested here without a new test. Each case compiles a one-op graph, checks (by its dump) that
// the op lowered to that instruction, and compares the compiled results with ops::run on a grid
// of operands that includes overflow, signed zeros, NaN and the int edge values.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "graph_test_util.h"
#include "runtime/ops/ops.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

struct Case {
  const char* label;  // the instruction's name in dumps
  OpKind kind;
  DType dtype;
  size_t bytes = 0;  // select / getitem: operand bytes
};

std::vector<Tensor> grid(DType dt) {
  std::vector<double> ints = {0, 1, -1, 2, -7, 13, 1 << 20};
  std::vector<Tensor> out;
  switch (dt) {
    case DType::Bool:
      return {Tensor::scalar<bool>(false), Tensor::scalar<bool>(true)};
    case DType::Int32:
      for (double v : ints) out.push_back(Tensor::scalar(dt, v));
      out.push_back(Tensor::scalar<int32_t>(std::numeric_limits<int32_t>::max()));
      out.push_back(Tensor::scalar<int32_t>(std::numeric_limits<int32_t>::min()));
      return out;
    case DType::Int64:
      for (double v : ints) out.push_back(Tensor::scalar(dt, v));
      out.push_back(Tensor::scalar<int64_t>(std::numeric_limits<int64_t>::max()));
      out.push_back(Tensor::scalar<int64_t>(std::numeric_limits<int64_t>::min()));
      return out;
    case DType::Float32:
    case DType::Float64:
      for (double v : {0.0, -0.0, 1.5, -2.25, 0.1, 1e30, -1e300, std::nan(""), double(INFINITY)})
        out.push_back(Tensor::scalar(dt, v));
      return out;
    case DType::String:  // no scalar instruction takes strings
      return out;
  }
  return out;
}

// Same dtype and the same bytes (NaN results: both NaN).
bool same(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype() || !(a.shape() == b.shape())) return false;
  if (a.rank() == 0 && (a.dtype() == DType::Float32 || a.dtype() == DType::Float64)) {
    const double x = a.item<double>(), y = b.item<double>();
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
  }
  return std::memcmp(a.raw_data(), b.raw_data(), dtype_size(a.dtype()) * a.num_elements()) == 0;
}

// The message of whatever InvalidArgumentError fn throws, or "" (kernel errors must match).
template <class Fn>
std::string run_or_error(Fn&& fn, Tensor& out) {
  try {
    out = fn();
  } catch (const InvalidArgumentError&) {
    return "error";
  }
  return "";
}

bool dump_has(const Executable& exe, const std::string& label) {
  return exe.dump().find(": " + label + " ") != std::string::npos;
}

// Compiles `g` (inputs: the placeholders in order), checks that it uses `label`, and compares
// its first output with run(kind, args, attrs) for every argument tuple.
void check_against_eager(const Graph& g, const std::string& label, OpKind kind,
                         const std::vector<std::vector<Tensor>>& arg_sets,
                         const std::vector<Tensor>& constants = {}, const OpAttrs& attrs = {}) {
  const Executable exe = compile(g);
  INFO(exe.dump());
  CHECK(dump_has(exe, label));
  for (const auto& args : arg_sets) {
    std::vector<Tensor> eager_in = args;
    eager_in.insert(eager_in.end(), constants.begin(), constants.end());
    std::string operands;
    for (const Tensor& a : eager_in) operands += a.to_string() + " ";
    CAPTURE(label, operands);
    Tensor want, got;
    const std::string want_err =
        run_or_error([&] { return run(kind, eager_in.data(), eager_in.size(), attrs); }, want);
    const std::string got_err = run_or_error([&] { return exe.run(args)[0]; }, got);
    REQUIRE(got_err == want_err);
    if (want_err.empty()) CHECK(same(got, want));
  }
}

std::vector<std::vector<Tensor>> pairs(DType dt) {
  std::vector<std::vector<Tensor>> out;
  for (const Tensor& a : grid(dt))
    for (const Tensor& b : grid(dt)) out.push_back({a, b});
  return out;
}

const std::vector<Case> kBinary = {
#define XAG_BINARY(Name, label, Kind, DT, T, R, expr) {#label, OpKind::Kind, DType::DT},
#define XAG_TEST(Name, label, Kind, DT, T, expr) {#label, OpKind::Kind, DType::DT},
#define XAG_GUARDED(Name, label, Kind, DT) {#label, OpKind::Kind, DType::DT},
#include "runtime/exec/instructions.def"
};

const std::vector<Case> kTests = {
#define XAG_TEST(Name, label, Kind, DT, T, expr) {#label "_br", OpKind::Kind, DType::DT},
#include "runtime/exec/instructions.def"
};

const std::vector<Case> kShifts = {
#define XAG_SHIFT(Name, label, Kind, DT, T, expr) {#label, OpKind::Kind, DType::DT},
#include "runtime/exec/instructions.def"
};

const std::vector<Case> kUnary = {
#define XAG_UNARY(Name, label, Kind, DT, T, expr) {#label, OpKind::Kind, DType::DT},
#include "runtime/exec/instructions.def"
};

const std::vector<Case> kSelects = {
#define XAG_SELECT(Name, label, B, U) {#label, OpKind::Where, DType::Bool, B},
#include "runtime/exec/instructions.def"
};

const std::vector<Case> kGetItems = {
#define XAG_GETITEM(Name, label, B, U) {#label, OpKind::GetItem, DType::Bool, B},
#include "runtime/exec/instructions.def"
};

const DType kAllDTypes[] = {DType::Bool, DType::Int32, DType::Int64, DType::Float32,
                            DType::Float64};

}  // namespace

TEST_CASE("instruction names are unique and every family has entries", "[exec][instructions]") {
  std::set<std::string> names;
  size_t n = 0;
#define XAG_CODE(Name, label) \
  names.insert(#label);       \
  ++n;
#include "runtime/exec/instructions.def"
  CHECK(names.size() == n);
  for (const auto* family : {&kBinary, &kTests, &kShifts, &kUnary, &kSelects, &kGetItems}) {
    CHECK(!family->empty());
  }
}

TEST_CASE("inline binary instructions compute what the kernels compute", "[exec][instructions]") {
  for (const Case& c : kBinary) {
    Graph g;
    GraphBuilder b(g);
    const Value x = b.placeholder(scalar_spec(c.dtype), "x");
    const Value y = b.placeholder(scalar_spec(c.dtype), "y");
    b.set_outputs({b.op(c.kind, {x, y})});
    check_against_eager(g, c.label, c.kind, pairs(c.dtype));
  }
}

TEST_CASE("compare-and-branch instructions store the test and branch on it",
          "[exec][instructions]") {
  for (const Case& c : kTests) {
    // r = 1 if test(x, y) else 2, and the test itself: the test fuses with the branch.
    Graph g;
    GraphBuilder b(g);
    const Value x = b.placeholder(scalar_spec(c.dtype), "x");
    const Value y = b.placeholder(scalar_spec(c.dtype), "y");
    const Value t = b.op(c.kind, {x, y});
    const auto r = b.cond(
        t, {}, [&](const std::vector<Value>&) { return std::vector<Value>{i32(b, 1)}; },
        [&](const std::vector<Value>&) { return std::vector<Value>{i32(b, 2)}; });
    b.set_outputs({r[0], t});
    const Executable exe = compile(g);
    INFO(exe.dump());
    CHECK(dump_has(exe, c.label));
    for (const auto& args : pairs(c.dtype)) {
      CAPTURE(c.label, args[0].to_string(), args[1].to_string());
      const bool want = run(c.kind, {args[0], args[1]}).item<bool>();
      const auto out = exe.run(args);
      CHECK(out[0].item<int32_t>() == (want ? 1 : 2));
      CHECK(out[1].item<bool>() == want);
    }
  }
}

TEST_CASE("inline unary instructions compute what the kernels compute", "[exec][instructions]") {
  for (const Case& c : kUnary) {
    Graph g;
    GraphBuilder b(g);
    const Value x = b.placeholder(scalar_spec(c.dtype), "x");
    b.set_outputs({b.op(c.kind, {x})});
    std::vector<std::vector<Tensor>> args;
    for (const Tensor& v : grid(c.dtype)) args.push_back({v});
    check_against_eager(g, c.label, c.kind, args);
  }
}

TEST_CASE("inline shifts by a constant power of two keep floor semantics", "[exec][instructions]") {
  for (const Case& c : kShifts) {
    for (const int k : {0, 1, 3, 30}) {
      Graph g;
      GraphBuilder b(g);
      const Value x = b.placeholder(scalar_spec(c.dtype), "x");
      const Tensor d = Tensor::scalar(c.dtype, std::ldexp(1.0, k));
      b.set_outputs({b.op(c.kind, {x, b.constant(d)})});
      std::vector<std::vector<Tensor>> args;
      for (const Tensor& v : grid(c.dtype)) args.push_back({v});
      CAPTURE(k);
      check_against_eager(g, c.label, c.kind, args, {d});
    }
  }
}

TEST_CASE("inline selects copy the chosen operand of every dtype of their size",
          "[exec][instructions]") {
  for (const Case& c : kSelects) {
    for (const DType dt : kAllDTypes) {
      if (dtype_size(dt) != c.bytes) continue;
      Graph g;
      GraphBuilder b(g);
      const Value p = b.placeholder(scalar_spec(DType::Bool), "p");
      const Value x = b.placeholder(scalar_spec(dt), "x");
      const Value y = b.placeholder(scalar_spec(dt), "y");
      b.set_outputs({b.op(OpKind::Where, {p, x, y})});
      std::vector<std::vector<Tensor>> args;
      for (const Tensor& q : grid(DType::Bool))
        for (const auto& xy : pairs(dt)) args.push_back({q, xy[0], xy[1]});
      CAPTURE(dtype_name(dt));
      check_against_eager(g, c.label, OpKind::Where, args);
    }
  }
}

TEST_CASE("inline x[i] reads every dtype of its size and raises out of range",
          "[exec][instructions]") {
  for (const Case& c : kGetItems) {
    for (const DType dt : kAllDTypes) {
      if (dtype_size(dt) != c.bytes) continue;
      Graph g;
      GraphBuilder b(g);
      const Value x = b.placeholder(TensorSpec{dt, Shape{3}}, "x");
      const Value i = b.placeholder(scalar_spec(DType::Int32), "i");
      OpAttrs at;
      at.slices = {SliceItem::index_input(1)};
      b.set_outputs({b.op(OpKind::GetItem, {x, i}, at)});
      OpAttrs cast;
      cast.dtype = dt;
      const Tensor v =
          run(OpKind::Cast, {Tensor::from_vector<double>({1.5, -2.0, 7.0}, Shape{3})}, cast);
      std::vector<std::vector<Tensor>> args;
      for (int32_t k = -5; k <= 4; ++k) args.push_back({v, Tensor::scalar<int32_t>(k)});
      CAPTURE(dtype_name(dt));
      check_against_eager(g, c.label, OpKind::GetItem, args, {}, at);
    }
  }
}
