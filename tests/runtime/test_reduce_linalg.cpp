#include <catch2/catch.hpp>
#include <cmath>

#include "helpers.h"

using namespace xag::rt;
using namespace xag::rt::test;

TEST_CASE("reductions with axes and keepdims", "[reduce]") {
  Tensor x = mat<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor all = run(OpKind::ReduceSum, {x});
  CHECK(all.dtype() == DType::Int64);  // NumPy sums int32 in int64
  CHECK(all.shape() == Shape{});
  CHECK(all.item<int64_t>() == 21);
  CHECK(values<int64_t>(run(OpKind::ReduceSum, {x}, OpAttrs::with_axes({0}))) ==
        std::vector<int64_t>{5, 7, 9});
  Tensor k = run(OpKind::ReduceSum, {x}, OpAttrs::with_axes({1}, true));
  CHECK(k.shape() == Shape({2, 1}));
  CHECK(values<int64_t>(k) == std::vector<int64_t>{6, 15});
  CHECK(values<int64_t>(run(OpKind::ReduceSum, {x}, OpAttrs::with_axes({-1}))) ==
        std::vector<int64_t>{6, 15});
  CHECK(run(OpKind::ReduceSum, {x}, OpAttrs::with_axes({0, 1}, true)).shape() == Shape({1, 1}));
  CHECK(values<int32_t>(run(OpKind::ReduceMax, {x}, OpAttrs::with_axes({0}))) ==
        std::vector<int32_t>{4, 5, 6});
  CHECK(values<int32_t>(run(OpKind::ReduceMin, {x}, OpAttrs::with_axes({1}))) ==
        std::vector<int32_t>{1, 4});
  CHECK(run(OpKind::ReduceProd, {x}).item<int64_t>() == 720);
  Tensor m = run(OpKind::ReduceMean, {x}, OpAttrs::with_axes({0}));
  CHECK(m.dtype() == DType::Float64);
  CHECK(values<double>(m) == std::vector<double>{2.5, 3.5, 4.5});
  CHECK(run(OpKind::ReduceMean, {vec<float>({1, 2})}).dtype() == DType::Float32);
  CHECK(run(OpKind::ReduceAny, {vec<int32_t>({0, 0, 2})}).item<bool>());
  CHECK_FALSE(run(OpKind::ReduceAll, {vec<int32_t>({0, 0, 2})}).item<bool>());
  // 3-D, middle axis: exercises the kept-inner-run path.
  Tensor y = Tensor::full(DType::Float64, {2, 3, 4}, 1.0);
  Tensor s = run(OpKind::ReduceSum, {y}, OpAttrs::with_axes({1}));
  CHECK(s.shape() == Shape({2, 4}));
  CHECK(values<double>(s) == std::vector<double>(8, 3.0));
  Tensor s02 = run(OpKind::ReduceSum, {y}, OpAttrs::with_axes({0, 2}));
  CHECK(values<double>(s02) == std::vector<double>(3, 8.0));
  // Big reduce-all goes parallel.
  Tensor big = Tensor::full(DType::Float32, {1000000}, 0.5);
  CHECK(run(OpKind::ReduceSum, {big}).item<float>() == 500000.0f);
  CHECK(run(OpKind::ReduceMax, {big}).item<float>() == 0.5f);
}

TEST_CASE("reductions of empty tensors", "[reduce][errors]") {
  Tensor e = Tensor::zeros(DType::Float32, {0});
  CHECK(run(OpKind::ReduceSum, {e}).item<float>() == 0.0f);
  CHECK(run(OpKind::ReduceProd, {e}).item<float>() == 1.0f);
  CHECK(std::isnan(run(OpKind::ReduceMean, {e}).item<float>()));
  CHECK(error_of(OpKind::ReduceMax, {e})
            .find("reduce_max: zero-size reduction over float32 "
                  "tensor of shape (0,)") == 0);
  CHECK(error_of(OpKind::ArgMax, {e}).find("argmax: attempt to get argmax of an empty") == 0);
  CHECK(error_of(OpKind::ReduceSum, {e}, OpAttrs::with_axes({1})) ==
        "reduce_sum: axis 1 is out of bounds for a tensor of rank 1");
  CHECK(error_of(OpKind::ReduceSum, {Tensor::zeros(DType::Float32, {2, 2})},
                 OpAttrs::with_axes({0, -2})) == "reduce_sum: duplicate value in 'axis': -2");
}

TEST_CASE("argmax / argmin take the first occurrence", "[reduce]") {
  Tensor x = mat<float>({1, 5, 5, 7, 0, 7}, {2, 3});
  CHECK(run(OpKind::ArgMax, {x}).item<int64_t>() == 3);
  CHECK(values<int64_t>(run(OpKind::ArgMax, {x}, OpAttrs::with_axis(1))) ==
        std::vector<int64_t>{1, 0});
  CHECK(values<int64_t>(run(OpKind::ArgMin, {x}, OpAttrs::with_axis(0))) ==
        std::vector<int64_t>{0, 1, 0});
}

TEST_CASE("matmul shapes like NumPy", "[matmul]") {
  Tensor a = mat<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = mat<float>({1, 0, 0, 1, 1, 1}, {3, 2});
  Tensor c = run(OpKind::MatMul, {a, b});
  CHECK(c.shape() == Shape({2, 2}));
  CHECK(values<float>(c) == std::vector<float>{4, 5, 10, 11});
  Tensor v = vec<float>({1, 1, 1});
  Tensor av = run(OpKind::MatMul, {a, v});
  CHECK(av.shape() == Shape({2}));
  CHECK(values<float>(av) == std::vector<float>{6, 15});
  Tensor va = run(OpKind::MatMul, {vec<float>({1, 1}), a});
  CHECK(va.shape() == Shape({3}));
  CHECK(values<float>(va) == std::vector<float>{5, 7, 9});
  CHECK(run(OpKind::MatMul, {v, v}).shape() == Shape{});
  CHECK(run(OpKind::MatMul, {v, v}).item<float>() == 3);
  // Batched with broadcasting: (2,1,2,3) @ (4,3,2) -> (2,4,2,2).
  Tensor ba = Tensor::full(DType::Float64, {2, 1, 2, 3}, 1.0);
  Tensor bb = Tensor::full(DType::Float64, {4, 3, 2}, 2.0);
  Tensor bc = run(OpKind::MatMul, {ba, bb});
  CHECK(bc.shape() == Shape({2, 4, 2, 2}));
  CHECK(values<double>(bc) == std::vector<double>(32, 6.0));
  Tensor ia = mat<int32_t>({1, 2, 3, 4}, {2, 2});
  CHECK(values<int32_t>(run(OpKind::MatMul, {ia, ia})) == std::vector<int32_t>{7, 10, 15, 22});
  CHECK(run(OpKind::MatMul, {ia, a}).dtype() == DType::Float64);
  CHECK(error_of(OpKind::MatMul, {a, a}) ==
        "matmul: shapes (2, 3) and (2, 3) are not aligned: 3 (last dim of the first) != 2 "
        "(second-to-last dim of the second)");
  CHECK(error_of(OpKind::MatMul, {Tensor::scalar(1.0f), a}).find("matmul: operands must have") ==
        0);
  // Large enough to split rows across threads.
  Tensor la = Tensor::full(DType::Float32, {256, 256}, 1.0);
  Tensor lc = run(OpKind::MatMul, {la, la});
  CHECK(values<float>(lc)[256 * 256 - 1] == 256.0f);
  CHECK(values<float>(lc)[0] == 256.0f);
}

TEST_CASE("softmax", "[nn]") {
  Tensor x = mat<float>({1, 2, 3, 1, 1, 1}, {2, 3});
  auto s = values<float>(run(OpKind::Softmax, {x}));
  CHECK(s[0] + s[1] + s[2] == Approx(1.0f));
  CHECK(s[2] == Approx(std::exp(1.0f) / (1 + std::exp(1.0f) + std::exp(-1.0f))));
  CHECK(s[3] == Approx(1.0f / 3));
  auto s0 = values<float>(run(OpKind::Softmax, {x}, OpAttrs::with_axis(0)));
  CHECK(s0[1] == Approx(std::exp(1.0f) / (1 + std::exp(1.0f))));
  auto big = values<double>(run(OpKind::Softmax, {vec<double>({1000, 1000})}));
  CHECK(big[0] == 0.5);
}
