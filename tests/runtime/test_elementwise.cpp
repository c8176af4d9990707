#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "helpers.h"

using namespace xag::rt;
using namespace xag::rt::test;

TEST_CASE("add broadcasts like NumPy", "[binary]") {
  Tensor a = mat<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = vec<int32_t>({10, 20, 30});
  Tensor c = run(OpKind::Add, {a, b});
  CHECK(c.shape() == Shape({2, 3}));
  CHECK(values<int32_t>(c) == std::vector<int32_t>{11, 22, 33, 14, 25, 36});
  Tensor col = mat<int32_t>({100, 200}, {2, 1});
  CHECK(values<int32_t>(run(OpKind::Add, {a, col})) ==
        std::vector<int32_t>{101, 102, 103, 204, 205, 206});
  Tensor outer = run(OpKind::Mul, {col, b});  // (2,1) * (3,) -> (2,3)
  CHECK(outer.shape() == Shape({2, 3}));
  CHECK(values<int32_t>(outer) == std::vector<int32_t>{1000, 2000, 3000, 2000, 4000, 6000});
  CHECK(run(OpKind::Add, {Tensor::scalar(2), Tensor::scalar(3)}).item<int>() == 5);
  // (4,1,3) + (2,1): middle and last axes both broadcast.
  Tensor x = Tensor::zeros(DType::Float32, {4, 1, 3});
  Tensor y = mat<float>({1, 2}, {2, 1});
  Tensor z = run(OpKind::Add, {x, y});
  CHECK(z.shape() == Shape({4, 2, 3}));
  CHECK(values<float>(z)[3] == 2.0f);
  CHECK(values<float>(z)[23] == 2.0f);
}

TEST_CASE("binary results promote dtypes", "[binary][dtype]") {
  Tensor i = Tensor::scalar<int32_t>(3);
  Tensor f = Tensor::scalar<float>(0.5f);
  Tensor r = run(OpKind::Add, {i, f});
  CHECK(r.dtype() == DType::Float64);
  CHECK(r.item<double>() == 3.5);
  CHECK(run(OpKind::Add, {i, Tensor::scalar<int64_t>(1)}).dtype() == DType::Int64);
  CHECK(run(OpKind::TrueDiv, {i, Tensor::scalar<int32_t>(2)}).dtype() == DType::Float64);
  CHECK(run(OpKind::TrueDiv, {i, Tensor::scalar<int32_t>(2)}).item<double>() == 1.5);
  CHECK(run(OpKind::Less, {i, f}).dtype() == DType::Bool);
  CHECK(run(OpKind::Add, {Tensor::scalar(true), Tensor::scalar(true)}).item<bool>() == true);
  CHECK(error_of(OpKind::Sub, {Tensor::scalar(true), Tensor::scalar(false)})
            .find("subtract: the - operator is not supported for bool") == 0);
}

TEST_CASE("integer overflow wraps", "[binary]") {
  const int32_t mx = std::numeric_limits<int32_t>::max();
  const int32_t mn = std::numeric_limits<int32_t>::min();
  CHECK(run(OpKind::Add, {Tensor::scalar(mx), Tensor::scalar(1)}).item<int32_t>() == mn);
  CHECK(run(OpKind::Mul, {Tensor::scalar(65536), Tensor::scalar(65536)}).item<int32_t>() == 0);
  CHECK(run(OpKind::Sub, {Tensor::scalar(mn), Tensor::scalar(1)}).item<int32_t>() == mx);
  CHECK(run(OpKind::Neg, {Tensor::scalar(mn)}).item<int32_t>() == mn);
  CHECK(run(OpKind::Abs, {Tensor::scalar(mn)}).item<int32_t>() == mn);
  CHECK(run(OpKind::FloorDiv, {Tensor::scalar(mn), Tensor::scalar(-1)}).item<int32_t>() == mn);
  CHECK(run(OpKind::Pow, {Tensor::scalar(2), Tensor::scalar(31)}).item<int32_t>() == mn);
}

TEST_CASE("floordiv and mod follow Python for negatives", "[binary]") {
  auto fd = [](auto a, auto b) {
    return run(OpKind::FloorDiv, {Tensor::scalar(a), Tensor::scalar(b)});
  };
  auto md = [](auto a, auto b) { return run(OpKind::Mod, {Tensor::scalar(a), Tensor::scalar(b)}); };
  CHECK(fd(-7, 2).item<int>() == -4);
  CHECK(md(-7, 2).item<int>() == 1);
  CHECK(fd(7, -2).item<int>() == -4);
  CHECK(md(7, -2).item<int>() == -1);
  CHECK(fd(-8, 2).item<int>() == -4);
  CHECK(md(-8, 2).item<int>() == 0);
  CHECK(fd(-7.0, 2.0).item<double>() == -4.0);
  CHECK(md(-7.0, 2.0).item<double>() == 1.0);
  CHECK(md(7.0, -2.0).item<double>() == -1.0);
  CHECK(md(5.5f, 2.0f).item<float>() == 1.5f);
  CHECK(std::isinf(fd(1.0, 0.0).item<double>()));
  CHECK(std::isnan(md(1.0, 0.0).item<double>()));
  Tensor v = vec<int32_t>({-7, -6, -5, 5, 6, 7});
  CHECK(values<int32_t>(run(OpKind::FloorDiv, {v, Tensor::scalar(3)})) ==
        std::vector<int32_t>{-3, -2, -2, 1, 2, 2});
  CHECK(values<int32_t>(run(OpKind::Mod, {v, Tensor::scalar(3)})) ==
        std::vector<int32_t>{2, 0, 1, 2, 0, 1});
}

TEST_CASE("integer division by zero raises", "[binary][errors]") {
  CHECK(error_of(OpKind::FloorDiv, {vec<int32_t>({1, 2}), Tensor::scalar(0)}) ==
        "floordiv: integer division by zero (int32 operands of shapes (2,) and ())");
  CHECK(error_of(OpKind::Mod, {Tensor::scalar<int64_t>(1), Tensor::scalar<int64_t>(0)}) ==
        "mod: integer modulo by zero (int64 operands of shapes () and ())");
  CHECK(error_of(OpKind::Pow, {Tensor::scalar(2), Tensor::scalar(-1)})
            .find("pow: integers to negative integer powers are not allowed") == 0);
  // Float division by zero is IEEE, not an error.
  CHECK(std::isinf(run(OpKind::TrueDiv, {Tensor::scalar(1), Tensor::scalar(0)}).item<double>()));
}

TEST_CASE("NaN propagates through maximum/minimum and reductions", "[binary][nan]") {
  const double nan = std::nan("");
  Tensor a = vec<double>({1, nan, 3});
  Tensor b = vec<double>({nan, 2, 1});
  auto mx = values<double>(run(OpKind::Maximum, {a, b}));
  CHECK(std::isnan(mx[0]));
  CHECK(std::isnan(mx[1]));
  CHECK(mx[2] == 3);
  auto mn = values<double>(run(OpKind::Minimum, {a, b}));
  CHECK(std::isnan(mn[0]));
  CHECK(mn[2] == 1);
  CHECK(std::isnan(run(OpKind::ReduceMax, {a}).item<double>()));
  CHECK(std::isnan(run(OpKind::ReduceMin, {a}).item<double>()));
  CHECK(std::isnan(run(OpKind::ReduceSum, {a}).item<double>()));
  CHECK(run(OpKind::ArgMax, {a}).item<int64_t>() == 1);
  CHECK(run(OpKind::Equal, {a, a}).data<bool>()[1] == false);
  CHECK(std::isnan(run(OpKind::Sign, {Tensor::scalar(nan)}).item<double>()));
  CHECK(std::isnan(run(OpKind::Relu, {Tensor::scalar(nan)}).item<double>()));
}

TEST_CASE("unary ops and their dtypes", "[unary]") {
  Tensor i = vec<int32_t>({-2, 0, 3});
  Tensor e = run(OpKind::Exp, {i});
  CHECK(e.dtype() == DType::Float64);
  CHECK(values<double>(e)[1] == 1.0);
  CHECK(run(OpKind::Sqrt, {vec<float>({4, 9})}).dtype() == DType::Float32);
  CHECK(values<float>(run(OpKind::Sqrt, {vec<float>({4, 9})})) == std::vector<float>{2, 3});
  CHECK(values<int32_t>(run(OpKind::Abs, {i})) == std::vector<int32_t>{2, 0, 3});
  CHECK(values<int32_t>(run(OpKind::Sign, {i})) == std::vector<int32_t>{-1, 0, 1});
  CHECK(values<int32_t>(run(OpKind::Relu, {i})) == std::vector<int32_t>{0, 0, 3});
  CHECK(values<int32_t>(run(OpKind::Square, {i})) == std::vector<int32_t>{4, 0, 9});
  CHECK(values<double>(run(OpKind::Round, {vec<double>({0.5, 1.5, 2.5, -0.5, -1.5, 2.6})})) ==
        std::vector<double>{0, 2, 2, -0.0, -2, 3});
  CHECK(values<double>(run(OpKind::Floor, {vec<double>({-1.5, 1.5})})) ==
        std::vector<double>{-2, 1});
  CHECK(run(OpKind::Floor, {i}).dtype() == DType::Float64);
  auto sig = values<float>(run(OpKind::Sigmoid, {vec<float>({0, -1000, 1000})}));
  CHECK(sig == std::vector<float>{0.5f, 0.0f, 1.0f});
  CHECK(run(OpKind::Tanh, {Tensor::scalar(0.5)}).item<double>() == Approx(std::tanh(0.5)));
  CHECK(run(OpKind::Log, {Tensor::scalar(0.0f)}).item<float>() ==
        -std::numeric_limits<float>::infinity());
  CHECK(error_of(OpKind::Neg, {Tensor::scalar(true)}).find("negative:") == 0);
  // Large inputs go through the thread pool and must give the same answers.
  Tensor big = Tensor::full(DType::Float32, {300000}, 2.0);
  auto sq = run(OpKind::Sqrt, {big});
  CHECK(values<float>(sq)[299999] == Approx(std::sqrt(2.0f)));
  CHECK(values<float>(sq)[0] == Approx(std::sqrt(2.0f)));
}

TEST_CASE("comparisons, logical and bitwise", "[compare][logical]") {
  Tensor a = vec<int32_t>({1, 2, 3});
  Tensor b = Tensor::scalar(2);
  CHECK(values<bool>(run(OpKind::Less, {a, b})) == std::vector<bool>{true, false, false});
  CHECK(values<bool>(run(OpKind::GreaterEqual, {a, b})) == std::vector<bool>{false, true, true});
  CHECK(values<bool>(run(OpKind::NotEqual, {a, b})) == std::vector<bool>{true, false, true});
  Tensor t = vec<bool>({true, true, false, false}), f = vec<bool>({true, false, true, false});
  CHECK(values<bool>(run(OpKind::LogicalAnd, {t, f})) == std::vector<bool>{1, 0, 0, 0});
  CHECK(values<bool>(run(OpKind::LogicalOr, {t, f})) == std::vector<bool>{1, 1, 1, 0});
  CHECK(values<bool>(run(OpKind::LogicalXor, {t, f})) == std::vector<bool>{0, 1, 1, 0});
  CHECK(values<bool>(run(OpKind::BitwiseXor, {t, f})) == std::vector<bool>{0, 1, 1, 0});
  CHECK(values<bool>(run(OpKind::BitwiseNot, {t})) == std::vector<bool>{0, 0, 1, 1});
  CHECK(values<bool>(run(OpKind::LogicalNot, {a})) == std::vector<bool>{0, 0, 0});
  CHECK(values<int32_t>(run(OpKind::BitwiseAnd, {a, Tensor::scalar(1)})) ==
        std::vector<int32_t>{1, 0, 1});
  CHECK(error_of(OpKind::BitwiseAnd, {Tensor::scalar(1.0f), Tensor::scalar(true)})
            .find("bitwise_and: not supported for float32 and bool operands") == 0);
}

TEST_CASE("where, clip_by_value and cast", "[select]") {
  Tensor c = vec<bool>({true, false, true});
  Tensor w = run(OpKind::Where, {c, vec<int32_t>({1, 2, 3}), Tensor::scalar<int64_t>(-1)});
  CHECK(w.dtype() == DType::Int64);
  CHECK(values<int64_t>(w) == std::vector<int64_t>{1, -1, 3});
  Tensor cl = run(OpKind::ClipByValue,
                  {vec<float>({-5, 0.5f, 5}), Tensor::scalar(0.0f), Tensor::scalar(1.0f)});
  CHECK(values<float>(cl) == std::vector<float>{0, 0.5f, 1});
  Tensor cs = run(OpKind::Cast, {vec<double>({-1.7, 2.9})}, OpAttrs::with_dtype(DType::Int32));
  CHECK(values<int32_t>(cs) == std::vector<int32_t>{-1, 2});
  CHECK(values<bool>(run(OpKind::Cast, {vec<float>({0, 2})}, OpAttrs::with_dtype(DType::Bool))) ==
        std::vector<bool>{false, true});
}

TEST_CASE("bad shapes name the op and the shapes", "[errors]") {
  CHECK(error_of(OpKind::Add,
                 {Tensor::zeros(DType::Float32, {2, 3}), Tensor::zeros(DType::Float32, {4})}) ==
        "add: shapes (2, 3) and (4,) cannot be broadcast together");
  CHECK(error_of(OpKind::Less,
                 {Tensor::zeros(DType::Float32, {2}), Tensor::zeros(DType::Float32, {3})}) ==
        "less: shapes (2,) and (3,) cannot be broadcast together");
  CHECK(error_of(OpKind::Add, {Tensor::scalar(1)}) == "add: expects 2 inputs, got 1");
}

TEST_CASE("scalar fast paths agree with the general path", "[scalar]") {
  CHECK(run(OpKind::Exp, {Tensor::scalar(0)}).dtype() == DType::Float64);
  CHECK(run(OpKind::Exp, {Tensor::scalar(0)}).item<double>() == 1.0);
  CHECK(run(OpKind::Round, {Tensor::scalar(2.5f)}).item<float>() == 2.0f);
  CHECK(run(OpKind::Round, {Tensor::scalar(7)}).dtype() == DType::Int32);
  CHECK(
      run(OpKind::Cast, {Tensor::scalar(3.9)}, OpAttrs::with_dtype(DType::Int64)).item<int64_t>() ==
      3);
  CHECK(run(OpKind::TrueDiv, {Tensor::scalar(7), Tensor::scalar(2)}).item<double>() == 3.5);
  CHECK(run(OpKind::Less, {Tensor::scalar(1.0f), Tensor::scalar(2.0f)}).item<bool>());
  Tensor out = Tensor::scalar(0);
  const Tensor in[2] = {Tensor::scalar(6), Tensor::scalar(4)};
  run_into(OpKind::Mod, in, 2, {}, out);
  CHECK(out.item<int>() == 2);
  CHECK(error_of(OpKind::FloorDiv, {Tensor::scalar(1), Tensor::scalar(0)}) ==
        "floordiv: integer division by zero (int32 operands of shapes () and ())");
}
