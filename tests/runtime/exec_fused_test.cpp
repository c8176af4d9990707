// Fused element-wise programs against the unfused ops they replace: every size class (one block,
// block tails, one chunk, many chunks claimed by several threads) and every position of the
// extreme or a NaN in a fused max/min, on one thread and on the pool.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "graph_test_util.h"
#include "runtime/core/parallel.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

// max(abs(x*x - v)) and min(x - v) (fused reductions) and 0.5*(x + v/x) (a fused array): the
// newton workload's two programs.
void newton_programs(Graph& g, int64_t n) {
  GraphBuilder b(g);
  const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{n}}, "x");
  const Value v = b.placeholder(TensorSpec{DType::Float32, Shape{n}}, "v");
  const Value err = b.op(OpKind::ReduceMax,
                         {b.op(OpKind::Abs, {b.op(OpKind::Sub, {b.op(OpKind::Mul, {x, x}), v})})});
  const Value low = b.op(OpKind::ReduceMin, {b.op(OpKind::Sub, {x, v})});
  const Value half = b.constant(Tensor::scalar<float>(0.5f));
  const Value next =
      b.op(OpKind::Mul, {half, b.op(OpKind::Add, {x, b.op(OpKind::TrueDiv, {v, x})})});
  b.set_outputs({err, low, next});
}

struct Inputs {
  std::vector<float> x, v;
};

Inputs inputs(int64_t n) {
  Inputs in{std::vector<float>(static_cast<size_t>(n)), std::vector<float>(static_cast<size_t>(n))};
  for (int64_t i = 0; i < n; ++i) {
    in.x[static_cast<size_t>(i)] = 1.0f + static_cast<float>(i % 97) * 0.25f;
    in.v[static_cast<size_t>(i)] = 2.0f + static_cast<float>(i % 31) * 0.5f;
  }
  return in;
}

// Equal element by element, NaN matching NaN (Tensor::equals is IEEE: NaN differs from itself).
bool same_values(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) return false;
  const float* x = a.data<float>();
  const float* y = b.data<float>();
  for (int64_t i = 0; i < a.num_elements(); ++i) {
    if (!(x[i] == y[i] || (std::isnan(x[i]) && std::isnan(y[i])))) return false;
  }
  return true;
}

// Runs the programs unfused and fused on the same inputs; checks the results are identical
// (NaN where the unfused result is NaN).
void check_fused_equals_unfused(int64_t n, const Inputs& in) {
  Graph g;
  newton_programs(g, n);
  const std::vector<Tensor> args = {Tensor::from_vector(in.x, Shape{n}),
                                    Tensor::from_vector(in.v, Shape{n})};
  const auto before = run_graph(g, args);
  run_passes(g, {{"fuse", fuse_elementwise}}, /*verify_each=*/true);
  REQUIRE(g.dump().find("fused_elementwise") != std::string::npos);
  const auto after = run_graph(g, args);
  for (size_t i = 0; i < 2; ++i) {
    CAPTURE(i);
    const float a = before[i].item<float>(), c = after[i].item<float>();
    if (std::isnan(a)) {
      CHECK(std::isnan(c));
    } else {
      CHECK(a == c);
    }
  }
  CHECK(same_values(before[2], after[2]));
}

}  // namespace

TEST_CASE("fused max/min and arrays equal the unfused ops at every size", "[exec][fused]") {
  for (const int threads : {1, 2, 3}) {
    ThreadCount tc(threads);
    // One short block, a block tail, exactly one chunk, many chunks with a ragged last one.
    for (const int64_t n : {1, 31, 33, 256, 257, 1000, 16384, 32768, 32769, 100000, 250001}) {
      CAPTURE(threads, n);
      check_fused_equals_unfused(n, inputs(n));
    }
  }
}

TEST_CASE("a fused max/min finds its extreme and NaN anywhere", "[exec][fused]") {
  const int64_t n = 100003;
  for (const int threads : {1, 2}) {
    ThreadCount tc(threads);
    // First and last element, block and chunk boundaries, the lanes' tail.
    for (const int64_t at : {int64_t{0}, int64_t{255}, int64_t{256}, int64_t{16383}, int64_t{16384},
                             int64_t{50000}, n - 3, n - 1}) {
      CAPTURE(threads, at);
      Inputs big = inputs(n);
      big.x[static_cast<size_t>(at)] = 1000.0f;  // the max of |x*x - v|, the min is elsewhere
      check_fused_equals_unfused(n, big);
      Inputs low = inputs(n);
      low.x[static_cast<size_t>(at)] = -1000.0f;  // the min of x - v
      check_fused_equals_unfused(n, low);
      Inputs nan = inputs(n);
      nan.v[static_cast<size_t>(at)] = std::numeric_limits<float>::quiet_NaN();
      check_fused_equals_unfused(n, nan);
    }
  }
}
