#include <catch2/catch.hpp>

#include "helpers.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {
std::string infer_error(OpKind op, std::initializer_list<TensorSpec> in, const OpAttrs& a = {}) {
  try {
    infer(op, in, a);
  } catch (const InvalidArgumentError& e) {
    return e.what();
  }
  return "<no error>";
}
}  // namespace

TEST_CASE("op table round-trips names", "[ops]") {
  CHECK(std::string(op_name(OpKind::ReduceSum)) == "reduce_sum");
  CHECK(op_from_name("matmul") == OpKind::MatMul);
  CHECK_FALSE(op_from_name("nope").has_value());
  CHECK(op_arity(OpKind::Where) == 3);
  CHECK(op_arity(OpKind::Concat) == -1);
  CHECK(op_category(OpKind::Less) == OpCategory::Compare);
  for (int i = 0; i < kNumOpKinds; ++i) {
    const OpKind k = static_cast<OpKind>(i);
    CHECK(op_from_name(op_name(k)) == k);
  }
}

TEST_CASE("inference with unknown dims", "[infer]") {
  const TensorSpec f{DType::Float32, {-1, 3}};
  CHECK(infer(OpKind::Add, {f, {DType::Float32, {3}}}) == TensorSpec{DType::Float32, {-1, 3}});
  CHECK(infer(OpKind::Add, {f, {DType::Int32, {}}}).dtype == DType::Float64);
  CHECK(infer(OpKind::Less, {f, f}).dtype == DType::Bool);
  CHECK(infer(OpKind::MatMul, {f, {DType::Float32, {3, 5}}}).shape == Shape({-1, 5}));
  CHECK(infer(OpKind::ReduceSum, {f}, OpAttrs::with_axes({1})).shape == Shape({-1}));
  CHECK(infer(OpKind::ReduceSum, {f}, OpAttrs::with_axes({0}, true)).shape == Shape({1, 3}));
  OpAttrs r;
  r.shape = {-1};
  CHECK(infer(OpKind::Reshape, {f}, r).shape == Shape({-1}));
  r.shape = {3, -1};
  CHECK(infer(OpKind::Reshape, {{DType::Float32, {2, 3}}}, r).shape == Shape({3, 2}));
  CHECK(infer(OpKind::Range, {{DType::Int32, {}}, {DType::Int32, {}}, {DType::Int32, {}}}) ==
        TensorSpec{DType::Int32, {-1}});
  OpAttrs gi;
  gi.slices = {SliceItem::index_input(1)};
  CHECK(infer(OpKind::GetItem, {f, {DType::Int32, {}}}, gi).shape == Shape({3}));
  gi.slices = {SliceItem::all(), SliceItem::index(1)};
  CHECK(infer(OpKind::GetItem, {f}, gi).shape == Shape({-1}));
  CHECK(infer(OpKind::Concat, {f, f}).shape == Shape({-1, 3}));
  CHECK(infer(OpKind::Concat, {f, f}, OpAttrs::with_axis(1)).shape == Shape({-1, 6}));
  CHECK(infer(OpKind::Stack, {f, f}).shape == Shape({2, -1, 3}));
  CHECK(infer(OpKind::Zeros, {{DType::Int32, {2}}}).shape == Shape({-1, -1}));
  CHECK(infer(OpKind::Size, {f}) == TensorSpec{DType::Int32, {}});
  CHECK(infer(OpKind::Exp, {{DType::Int32, {2}}}).dtype == DType::Float64);
  CHECK(infer(OpKind::ReduceMean, {{DType::Int32, {2}}}).dtype == DType::Float64);
  CHECK(infer(OpKind::ArgMax, {f}, OpAttrs::with_axis(1)) == TensorSpec{DType::Int64, {-1}});
}

TEST_CASE("inference errors name the op, shapes and dtypes", "[infer][errors]") {
  CHECK(infer_error(OpKind::MatMul, {{DType::Float32, {2, 3}}, {DType::Float32, {4, 5}}})
            .find("matmul: shapes (2, 3) and (4, 5) are not aligned") == 0);
  CHECK(infer_error(OpKind::Gather, {{DType::Float32, {3}}, {DType::Float32, {2}}}) ==
        "gather: indices must be an integer tensor, got float32 tensor of shape (2,)");
  CHECK(infer_error(OpKind::Softmax, {{DType::Float32, {}}}) ==
        "softmax: needs a tensor of rank >= 1, got a scalar");
  CHECK(infer_error(OpKind::Where,
                    {{DType::Bool, {2}}, {DType::Float32, {3}}, {DType::Float32, {}}}) ==
        "where: shapes (2,) and (3,) cannot be broadcast together");
  CHECK(infer_error(OpKind::Stack, {{DType::Float32, {2}}, {DType::Float32, {2, 1}}}) ==
        "stack: all inputs must have the same rank; input 0 has shape (2,) and input 1 has shape "
        "(2, 1)");
  CHECK(infer_error(OpKind::RandomUniform, {}, OpAttrs::with_shape({2}, DType::Bool)) ==
        "random_uniform: dtype must be float32 or float64, int32 or int64, got bool");
  CHECK(infer_error(OpKind::RandomNormal, {}, OpAttrs::with_shape({2}, DType::Int32)) ==
        "random_normal: dtype must be float32 or float64, got int32");
  CHECK(infer_error(OpKind::Transpose, {{DType::Float32, {2, 2}}}, OpAttrs::with_perm({0, 0})) ==
        "transpose: repeated axis in perm");
}

TEST_CASE("run_into reuses an exclusively owned output", "[run_into]") {
  Tensor in[2] = {Tensor::full(DType::Float32, {100}, 1.0), Tensor::scalar(2.0f)};
  Tensor out;
  run_into(OpKind::Add, in, 2, {}, out);
  CHECK(out.data<float>()[0] == 3.0f);
  const void* buf = out.raw_data();
  in[1] = Tensor::scalar(5.0f);
  run_into(OpKind::Add, in, 2, {}, out);
  CHECK(out.raw_data() == buf);  // same storage, new values
  CHECK(out.data<float>()[99] == 6.0f);
  Tensor alias = out;  // now shared: must not be overwritten
  run_into(OpKind::Add, in, 2, {}, out);
  CHECK(out.raw_data() != buf);
  CHECK(alias.data<float>()[0] == 6.0f);
  // Output aliasing an input: x = x * 2 with out being that input.
  Tensor x[2] = {Tensor::full(DType::Float64, {4, 4}, 1.0), Tensor::scalar(2.0)};
  x[1] = x[0];
  run_into(OpKind::MatMul, x, 2, {}, x[0]);
  CHECK(x[0].data<double>()[0] == 4.0);
  CHECK(x[1].data<double>()[0] == 1.0);
  // A different spec replaces the output.
  run_into(OpKind::Less, in, 2, {}, out);
  CHECK(out.dtype() == DType::Bool);
}
