#include <catch2/catch.hpp>

#include <limits>

#include "helpers.h"

using namespace xag::rt;
using namespace xag::rt::test;

TEST_CASE("reshape with -1 shares the buffer", "[shape]") {
  Tensor x = mat<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  OpAttrs a;
  a.shape = {-1, 2};
  Tensor r = run(OpKind::Reshape, {x}, a);
  CHECK(r.shape() == Shape({3, 2}));
  CHECK(r.shares_buffer_with(x));
  a.shape = {4, -1};
  CHECK(error_of(OpKind::Reshape, {x}, a) ==
        "reshape: cannot reshape a tensor of shape (2, 3) "
        "into shape (4, -1)");
  Tensor r2 = run(OpKind::Reshape, {x, vec<int32_t>({6})});
  CHECK(r2.shape() == Shape({6}));
  a.shape = {};
  CHECK(run(OpKind::Reshape, {vec<int32_t>({7})}, a).is_scalar());
}

TEST_CASE("transpose", "[shape]") {
  Tensor x = mat<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor t = run(OpKind::Transpose, {x});
  CHECK(t.shape() == Shape({3, 2}));
  CHECK(values<int32_t>(t) == std::vector<int32_t>{1, 4, 2, 5, 3, 6});
  std::vector<int64_t> v(24);
  for (int i = 0; i < 24; ++i) v[i] = i;
  Tensor y = mat<int64_t>(v, {2, 3, 4});
  Tensor p = run(OpKind::Transpose, {y}, OpAttrs::with_perm({1, 2, 0}));
  CHECK(p.shape() == Shape({3, 4, 2}));
  // p[i, j, k] = y[k, i, j]
  CHECK(values<int64_t>(p)[(1 * 4 + 2) * 2 + 1] == (1 * 3 + 1) * 4 + 2);
  CHECK(error_of(OpKind::Transpose, {y}, OpAttrs::with_perm({0, 1})) ==
        "transpose: perm has 2 entries but the tensor has shape (2, 3, 4)");
}

TEST_CASE("concat and stack", "[shape]") {
  Tensor a = mat<int32_t>({1, 2, 3, 4}, {2, 2});
  Tensor b = mat<int32_t>({5, 6}, {1, 2});
  Tensor c = run(OpKind::Concat, {a, b}, OpAttrs::with_axis(0));
  CHECK(c.shape() == Shape({3, 2}));
  CHECK(values<int32_t>(c) == std::vector<int32_t>{1, 2, 3, 4, 5, 6});
  Tensor d = run(OpKind::Concat, {a, run(OpKind::Transpose, {b})}, OpAttrs::with_axis(1));
  CHECK(values<int32_t>(d) == std::vector<int32_t>{1, 2, 5, 3, 4, 6});
  Tensor s = run(OpKind::Stack, {vec<float>({1, 2}), vec<float>({3, 4})}, OpAttrs::with_axis(1));
  CHECK(s.shape() == Shape({2, 2}));
  CHECK(values<float>(s) == std::vector<float>{1, 3, 2, 4});
  Tensor ss = run(OpKind::Stack, {Tensor::scalar(1), Tensor::scalar(2)});
  CHECK(values<int32_t>(ss) == std::vector<int32_t>{1, 2});
  CHECK(error_of(OpKind::Concat, {a, b}, OpAttrs::with_axis(1)) ==
        "concat: dimensions off the concatenation axis must match; input 0 has shape (2, 2) and "
        "input 1 has shape (1, 2)");
  CHECK(run(OpKind::Concat, {vec<int32_t>({1}), vec<double>({2.5})}).dtype() == DType::Float64);
}

TEST_CASE("getitem: ints, slices, steps, ellipsis, newaxis", "[getitem]") {
  std::vector<int32_t> v(12);
  for (int i = 0; i < 12; ++i) v[i] = i;
  Tensor x = mat<int32_t>(v, {3, 4});
  OpAttrs a;
  a.slices = {SliceItem::index(1)};
  CHECK(values<int32_t>(run(OpKind::GetItem, {x}, a)) == std::vector<int32_t>{4, 5, 6, 7});
  a.slices = {SliceItem::index(-1), SliceItem::index(-1)};
  CHECK(run(OpKind::GetItem, {x}, a).item<int>() == 11);
  SliceItem rev;  // ::-1
  rev.has_step = true;
  rev.step = -1;
  a.slices = {rev};
  CHECK(values<int32_t>(run(OpKind::GetItem, {x}, a))[0] == 8);
  a.slices = {SliceItem::all(), rev};
  CHECK(values<int32_t>(run(OpKind::GetItem, {x}, a)) ==
        std::vector<int32_t>{3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8});
  SliceItem s13;  // 1:3
  s13.has_start = s13.has_stop = true;
  s13.start = 1;
  s13.stop = 3;
  SliceItem step2;  // ::2
  step2.has_step = true;
  step2.step = 2;
  a.slices = {s13, step2};
  Tensor r = run(OpKind::GetItem, {x}, a);
  CHECK(r.shape() == Shape({2, 2}));
  CHECK(values<int32_t>(r) == std::vector<int32_t>{4, 6, 8, 10});
  SliceItem neg;  // 3:0:-2 on axis 1
  neg.has_start = neg.has_stop = neg.has_step = true;
  neg.start = 3;
  neg.stop = 0;
  neg.step = -2;
  a.slices = {SliceItem::ellipsis(), neg};
  CHECK(values<int32_t>(run(OpKind::GetItem, {x}, a)) == std::vector<int32_t>{3, 1, 7, 5, 11, 9});
  a.slices = {SliceItem::new_axis(), SliceItem::ellipsis(), SliceItem::index(0)};
  Tensor na = run(OpKind::GetItem, {x}, a);
  CHECK(na.shape() == Shape({1, 3}));
  CHECK(values<int32_t>(na) == std::vector<int32_t>{0, 4, 8});
  SliceItem big;  // 10:20 clamps to empty
  big.has_start = big.has_stop = true;
  big.start = 10;
  big.stop = 20;
  a.slices = {big};
  CHECK(run(OpKind::GetItem, {x}, a).shape() == Shape({0, 4}));
  // Index given by a tensor input (x[t] in a staged loop).
  a.slices = {SliceItem::index_input(1)};
  CHECK(values<int32_t>(run(OpKind::GetItem, {x, Tensor::scalar(2)}, a)) ==
        std::vector<int32_t>{8, 9, 10, 11});
  CHECK(error_of(OpKind::GetItem, {x, Tensor::scalar(3)}, a) ==
        "getitem: index 3 is out of bounds for axis 0 with size 3");
  a.slices = {SliceItem::index(0), SliceItem::index(0), SliceItem::index(0)};
  CHECK(error_of(OpKind::GetItem, {x}, a) ==
        "getitem: too many indices for tensor: tensor is 2-dimensional, but 3 were indexed");
}

TEST_CASE("gather and one_hot", "[gather]") {
  Tensor p = mat<float>({1, 2, 3, 4, 5, 6}, {3, 2});
  Tensor g = run(OpKind::Gather, {p, vec<int32_t>({2, 0, -1})});
  CHECK(g.shape() == Shape({3, 2}));
  CHECK(values<float>(g) == std::vector<float>{5, 6, 1, 2, 5, 6});
  Tensor g1 = run(OpKind::Gather, {p, mat<int64_t>({1, 1}, {1, 2})}, OpAttrs::with_axis(1));
  CHECK(g1.shape() == Shape({3, 1, 2}));
  CHECK(values<float>(g1) == std::vector<float>{2, 2, 4, 4, 6, 6});
  CHECK(error_of(OpKind::Gather, {p, vec<int32_t>({3})}) ==
        "gather: index 3 is out of bounds for axis 0 with size 3 (params shape (3, 2))");
  CHECK(error_of(OpKind::Gather, {p, vec<float>({0})}).find("gather: indices must be an integer") ==
        0);
  OpAttrs oh;
  oh.depth = 3;
  Tensor o = run(OpKind::OneHot, {vec<int32_t>({0, 2, 5})}, oh);
  CHECK(o.shape() == Shape({3, 3}));
  CHECK(o.dtype() == DType::Float32);
  CHECK(values<float>(o) == std::vector<float>{1, 0, 0, 0, 0, 1, 0, 0, 0});
}

TEST_CASE("constructors", "[construct]") {
  Tensor z = run(OpKind::Zeros, {}, OpAttrs::with_shape({2, 3}, DType::Int32));
  CHECK(z.shape() == Shape({2, 3}));
  CHECK(values<int32_t>(z) == std::vector<int32_t>(6, 0));
  CHECK(values<float>(run(OpKind::Ones, {}, OpAttrs::with_shape({2}))) == std::vector<float>{1, 1});
  CHECK(run(OpKind::Ones, {vec<int32_t>({2, 2})}).shape() == Shape({2, 2}));
  OpAttrs fa;
  fa.shape = {3};
  CHECK(values<double>(run(OpKind::Fill, {Tensor::scalar(2.5)}, fa)) ==
        std::vector<double>{2.5, 2.5, 2.5});
  CHECK(values<int32_t>(run(OpKind::OnesLike, {vec<int32_t>({5, 6})})) ==
        std::vector<int32_t>{1, 1});
  Tensor r = run(OpKind::Range, {Tensor::scalar(0), Tensor::scalar(10), Tensor::scalar(3)});
  CHECK(r.dtype() == DType::Int32);
  CHECK(values<int32_t>(r) == std::vector<int32_t>{0, 3, 6, 9});
  Tensor rn = run(OpKind::Range, {Tensor::scalar(5), Tensor::scalar(0), Tensor::scalar(-2)});
  CHECK(values<int32_t>(rn) == std::vector<int32_t>{5, 3, 1});
  Tensor rf = run(OpKind::Range, {Tensor::scalar(0.0), Tensor::scalar(1.0), Tensor::scalar(0.3)});
  CHECK(rf.num_elements() == 4);
  CHECK(error_of(OpKind::Range, {Tensor::scalar(0), Tensor::scalar(1), Tensor::scalar(0)}) ==
        "range: delta must not be zero");
  CHECK(run(OpKind::Size, {z}).item<int>() == 6);
  CHECK(values<int32_t>(run(OpKind::ShapeOf, {z})) == std::vector<int32_t>{2, 3});
}

TEST_CASE("random ops are deterministic per seed", "[random]") {
  OpAttrs a = OpAttrs::with_shape({1000});
  a.has_seed = true;
  a.seed = 42;
  Tensor u1 = run(OpKind::RandomUniform, {}, a), u2 = run(OpKind::RandomUniform, {}, a);
  CHECK(u1.equals(u2));
  auto v = values<float>(u1);
  double mean = 0;
  for (float f : v) {
    CHECK(f >= 0.0f);
    CHECK(f < 1.0f);
    mean += f;
  }
  CHECK(mean / 1000 == Approx(0.5).margin(0.05));
  a.seed = 43;
  CHECK_FALSE(run(OpKind::RandomUniform, {}, a).equals(u1));
  OpAttrs n = OpAttrs::with_shape({20000}, DType::Float64);
  Tensor g = run(OpKind::RandomNormal, {}, n);
  CHECK_FALSE(g.equals(run(OpKind::RandomNormal, {}, n)));  // unseeded: fresh values
  auto gv = values<double>(g);
  double m = 0, sq = 0;
  for (double d : gv) m += d, sq += d * d;
  m /= gv.size();
  CHECK(m == Approx(0).margin(0.05));
  CHECK(sq / gv.size() - m * m == Approx(1).margin(0.05));
}

TEST_CASE("getitem of leading indices is a zero-copy view", "[getitem]") {
  Tensor x = Tensor::full(DType::Float32, {4, 8, 2}, 1.0);
  OpAttrs a;
  a.slices = {SliceItem::index_input(1)};
  Tensor row = run(OpKind::GetItem, {x, Tensor::scalar<int64_t>(2)}, a);
  CHECK(row.shape() == Shape({8, 2}));
  CHECK(row.shares_buffer_with(x));
  CHECK(static_cast<const float*>(row.raw_data()) == x.data<float>() + 2 * 16);
  a.slices = {SliceItem::index(-1), SliceItem::index(3), SliceItem::index(1)};
  Tensor e = run(OpKind::GetItem, {x}, a);
  CHECK(e.is_scalar());
  CHECK(e.owner() == nullptr);  // scalars are copied inline
  CHECK(error_of(OpKind::GetItem, {x, Tensor::scalar(1.0f)}, a)
            .find("getitem: a tensor index must be an integer scalar") == 0);
}

TEST_CASE("one_hot with an axis and on/off values", "[gather]") {
  OpAttrs oh;
  oh.depth = 3;
  oh.has_axis = true;
  oh.axis = 0;
  oh.value_a = -1;  // off
  oh.value_b = 5;   // on
  oh.has_dtype = true;
  oh.dtype = DType::Int32;
  Tensor o = run(OpKind::OneHot, {vec<int64_t>({2, 0})}, oh);
  CHECK(o.shape() == Shape({3, 2}));
  CHECK(values<int32_t>(o) == std::vector<int32_t>{-1, 5, -1, -1, 5, -1});
  oh.axis = -2;  // same as 0 for 1-D indices
  CHECK(run(OpKind::OneHot, {vec<int64_t>({2, 0})}, oh).equals(o));
}

TEST_CASE("random_uniform with an integer dtype covers [minval, maxval)", "[random]") {
  OpAttrs a = OpAttrs::with_shape({4000}, DType::Int32);
  a.value_a = -3;
  a.value_b = 4;
  a.has_seed = true;
  a.seed = 7;
  const Tensor u = run(OpKind::RandomUniform, {}, a);
  CHECK(u.dtype() == DType::Int32);
  CHECK(u.equals(run(OpKind::RandomUniform, {}, a)));
  int counts[7] = {};
  for (int32_t v : values<int32_t>(u)) {
    REQUIRE(v >= -3);
    REQUIRE(v < 4);
    ++counts[v + 3];
  }
  for (int c : counts) CHECK(c == Approx(4000 / 7.0).margin(120));
  OpAttrs wide = OpAttrs::with_shape({64}, DType::Int64);
  wide.value_a = -9223372036854775808.0;
  wide.value_b = 9223372036854774784.0;
  CHECK(run(OpKind::RandomUniform, {}, wide).dtype() == DType::Int64);
  a.value_b = -3;
  CHECK(error_of(OpKind::RandomUniform, {}, a).find("need minval < maxval") != std::string::npos);
  a.value_b = 2.5;
  CHECK(error_of(OpKind::RandomUniform, {}, a).find("must be int32 values") != std::string::npos);
  OpAttrs n = OpAttrs::with_shape({3}, DType::Int32);
  CHECK(error_of(OpKind::RandomNormal, {}, n).find("dtype must be float32 or float64, got int32") !=
        std::string::npos);
}

TEST_CASE("cumsum and argsort along an axis", "[scan]") {
  const Tensor m = mat<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  CHECK(values<int32_t>(run(OpKind::Cumsum, {m})) == std::vector<int32_t>{1, 2, 3, 5, 7, 9});
  CHECK(values<int32_t>(run(OpKind::Cumsum, {m}, OpAttrs::with_axis(-1))) ==
        std::vector<int32_t>{1, 3, 6, 4, 9, 15});
  const Tensor b = run(OpKind::Cumsum, {vec<bool>({true, false, true})});
  CHECK(b.dtype() == DType::Int32);
  CHECK(values<int32_t>(b) == std::vector<int32_t>{1, 1, 2});
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Tensor s = run(OpKind::ArgSort, {vec<float>({3, nan, 1, 3, -2})});
  CHECK(s.dtype() == DType::Int32);
  CHECK(values<int32_t>(s) == std::vector<int32_t>{4, 2, 0, 3, 1});  // stable, NaN last
  CHECK(values<int32_t>(run(OpKind::ArgSort, {mat<int64_t>({5, 1, 4, 0, 9, 2}, {3, 2})},
                            OpAttrs::with_axis(0))) == std::vector<int32_t>{1, 1, 0, 0, 2, 2});
  CHECK(error_of(OpKind::Cumsum, {Tensor::scalar(1.0f)}).find("rank >= 1") != std::string::npos);
  CHECK(error_of(OpKind::ArgSort, {m}, OpAttrs::with_axis(2)).find("out of") != std::string::npos);
}
