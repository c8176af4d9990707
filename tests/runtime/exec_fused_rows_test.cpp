// Fusion of row inputs (a bias `(D,)` broadcast over a `(B, D)` batch, runtime/graph/fused.h
// is_fused_row): the rnn workload's `tanh(x @ W + h @ U + b)` step becomes one pass. The fused
// node must equal the unfused ops bit for bit for every row length: rows that are a multiple of
// the evaluator's block (read in place), shorter or longer rows (blocks that wrap around the
// row's end are copied), one thread and several.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "graph_test_util.h"
#include "runtime/core/parallel.h"
#include "runtime/graph/fused.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

template <class T>
Tensor filled(const Shape& shape, double scale, double shift) {
  std::vector<T> v(static_cast<size_t>(shape.num_elements()));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<T>(shift + scale * double(i % 101));
  return Tensor::from_vector(v, shape);
}

// tanh(a + c + row) * 0.5: two full inputs, one row, one scalar.
Value rnn_step(GraphBuilder& b, DType dt, const Shape& out, const Shape& row) {
  const Value a = b.placeholder(TensorSpec{dt, out}, "a");
  const Value c = b.placeholder(TensorSpec{dt, out}, "c");
  const Value r = b.placeholder(TensorSpec{dt, row}, "row");
  const Value half =
      b.constant(dt == DType::Float32 ? Tensor::scalar<float>(0.5f) : Tensor::scalar<double>(0.5));
  const Value sum = b.op(OpKind::Add, {b.op(OpKind::Add, {a, c}), r});
  return b.op(OpKind::Mul, {b.op(OpKind::Tanh, {sum}), half});
}

template <class T>
void check_row(DType dt, const Shape& out, const Shape& row) {
  Graph g;
  GraphBuilder b(g);
  b.set_outputs({rnn_step(b, dt, out, row)});
  const std::vector<Tensor> args = {filled<T>(out, 0.01, -0.5), filled<T>(out, -0.02, 0.3),
                                    filled<T>(row, 0.03, -1.0)};
  const auto before = run_graph(g, args);
  run_passes(g, {{"fuse", fuse_elementwise}}, /*verify_each=*/true);
  const std::string dump = g.dump();
  CAPTURE(dump);
  REQUIRE(dump.find("fused_elementwise") != std::string::npos);
  REQUIRE(dump.find("= add(%") == std::string::npos);  // the bias add is inside the fused node
  const auto after = run_graph(g, args);
  REQUIRE(after[0].shape() == out);
  CHECK(after[0].equals(before[0]));
}

}  // namespace

TEST_CASE("a bias row fuses with its batch and equals the unfused ops", "[exec][fused]") {
  for (const int threads : {1, 2}) {
    ThreadCount tc(threads);
    // Row lengths: 1, shorter than a block, a block, between blocks, several blocks; batches
    // from one block to several chunks (2^14 elements each).
    for (const int64_t d : {1, 3, 100, 256, 300, 1000}) {
      for (const int64_t rows : {1, 7, 64, 200}) {
        CAPTURE(threads, d, rows);
        check_row<float>(DType::Float32, Shape{rows, d}, Shape{d});
        check_row<float>(DType::Float32, Shape{rows, d}, Shape{1, d});
      }
    }
    CAPTURE(threads);
    check_row<double>(DType::Float64, Shape{64, 300}, Shape{300});
    check_row<float>(DType::Float32, Shape{5, 6, 7}, Shape{6, 7});  // a matrix row of a 3-d batch
  }
}

TEST_CASE("inputs that are not rows of the batch stay out of fused programs", "[exec][fused]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{4, 3}}, "x");
  const Value col = b.placeholder(TensorSpec{DType::Float32, Shape{4, 1}}, "col");
  // A column broadcasts along the last dim, not the leading ones: the add stays an op.
  b.set_outputs({b.op(OpKind::Tanh, {b.op(OpKind::Add, {x, col})})});
  run_passes(g, {{"fuse", fuse_elementwise}}, /*verify_each=*/true);
  CHECK(g.dump().find("fused_elementwise") == std::string::npos);

  CHECK(is_fused_row(Shape{3}, Shape{4, 3}));
  CHECK(is_fused_row(Shape{1, 1, 3}, Shape{2, 4, 3}));
  CHECK_FALSE(is_fused_row(Shape{1, 1, 3}, Shape{4, 3}));  // would add a leading dim
  CHECK_FALSE(is_fused_row(Shape{4, 1}, Shape{4, 3}));
  CHECK_FALSE(is_fused_row(Shape{2, 3}, Shape{4, 3}));
}

TEST_CASE("no fused program reads more rows than the evaluator buffers", "[exec][fused]") {
  Graph g;
  GraphBuilder b(g);
  const Shape out{8, 5};
  Value acc = b.placeholder(TensorSpec{DType::Float32, out}, "x");
  std::vector<Tensor> args = {filled<float>(out, 0.5, 1.0)};
  for (int k = 0; k <= 2 * kMaxFusedRows; ++k) {
    acc = b.op(OpKind::Add, {acc, b.placeholder(TensorSpec{DType::Float32, Shape{5}}, "r")});
    args.push_back(filled<float>(Shape{5}, 0.25 * (k + 1), -1.0));
  }
  b.set_outputs({acc});
  const auto before = run_graph(g, args);
  run_passes(g, {{"fuse", fuse_elementwise}}, /*verify_each=*/true);
  int fused = 0;
  for (const auto& n : g.nodes()) {
    if (n->kind != NodeKind::FusedElementwise) continue;
    ++fused;
    int rows = 0;
    for (const Value& v : n->inputs) rows += v.spec().shape == Shape{5};
    CHECK(rows <= kMaxFusedRows);
  }
  CHECK(fused >= 2);  // the chain is split, not left unfused
  CHECK(run_graph(g, args)[0].equals(before[0]));
}
