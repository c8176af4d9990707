// The rules behind the bindings' conversions: bool()/int()/index() of tensors, repr text, NumPy
// dtype mapping and list-literal dtypes (runtime/core/host_values.h), and named op attributes
// (runtime/ops/attr_set.h).
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "runtime/core/errors.h"
#include "runtime/core/host_values.h"
#include "runtime/ops/attr_set.h"

using namespace xag::rt;

TEST_CASE("truth, index and int values of scalar tensors", "[host_values]") {
  CHECK(truth_value(Tensor::from_vector<float>({2.0f}, Shape{})));
  CHECK_FALSE(truth_value(Tensor::from_vector<int32_t>({0}, Shape{1})));
  CHECK_THROWS_WITH(truth_value(Tensor::from_vector<int32_t>({1, 2}, Shape{2})),
                    Catch::Contains("shape (2,) is ambiguous"));
  CHECK(index_value(Tensor::from_vector<int64_t>({7}, Shape{})) == 7);
  CHECK_THROWS_WITH(index_value(Tensor::from_vector<float>({1.0f}, Shape{})),
                    Catch::Contains("got a float32 tensor"));
  CHECK(finite_value(Tensor::from_vector<double>({-2.5}, Shape{})) == -2.5);
  CHECK_THROWS_AS(finite_value(Tensor::from_vector<float>({INFINITY}, Shape{})),
                  InvalidArgumentError);
}

TEST_CASE("repr text of eager and symbolic tensors", "[host_values]") {
  CHECK(tensor_repr(Shape{2}, DType::Float32, false, "", "array([1., 2.])") ==
        "<ag.Tensor: shape=(2,), dtype=float32, numpy=array([1., 2.])>");
  CHECK(tensor_repr(Shape{}, DType::Int32, false, "test:0", "3") ==
        "<ag.Tensor: shape=(), dtype=int32, device=test:0, numpy=3>");
  CHECK(tensor_repr(Shape{-1, 3}, DType::Bool, true, "", "") ==
        "<ag.Tensor shape=(None, 3), dtype=bool (symbolic)>");
}

TEST_CASE("NumPy dtypes map to the nearest wider dtype", "[host_values]") {
  CHECK(dtype_for_array('i', 1) == DType::Int32);
  CHECK(dtype_for_array('i', 8) == DType::Int64);
  CHECK(dtype_for_array('u', 2) == DType::Int32);
  CHECK(dtype_for_array('u', 4) == DType::Int64);
  CHECK(dtype_for_array('f', 2) == DType::Float32);
  CHECK(dtype_for_array('b', 1) == DType::Bool);
  CHECK_FALSE(dtype_for_array('O', 8).has_value());
  CHECK(array_layout_matches('f', 8, '='));
  CHECK_FALSE(array_layout_matches('f', 8, '>'));  // byte-swapped: copied
  CHECK_FALSE(array_layout_matches('i', 2, '='));  // int16: widened by a copy
  CHECK_FALSE(array_layout_matches('u', 4, '='));
  CHECK(byte_strides(Tensor::from_vector<float>(std::vector<float>(6, 0.0f), Shape{2, 3})) ==
        std::vector<int64_t>{12, 4});
}

TEST_CASE("list literals get SPEC dtypes unless a value does not fit", "[host_values]") {
  const Tensor small = Tensor::from_vector<int64_t>({1, -2}, Shape{2});
  CHECK(literal_tensor(small, 'i', std::nullopt).dtype() == DType::Int32);
  const Tensor big = Tensor::from_vector<int64_t>({1, int64_t{1} << 40}, Shape{2});
  CHECK(literal_tensor(big, 'i', std::nullopt).dtype() == DType::Int64);
  const Tensor f = Tensor::from_vector<double>({0.5}, Shape{1});
  CHECK(literal_tensor(f, 'f', std::nullopt).dtype() == DType::Float32);
  CHECK(literal_tensor(f, 'f', DType::Float64).dtype() == DType::Float64);
  CHECK(literal_tensor(small, 'i', DType::Float64).data<double>()[1] == -2.0);
}

TEST_CASE("op attributes set by field name", "[attrs]") {
  OpAttrs a;
  set_attr(a, "axes", int64_t{1});
  CHECK((a.has_axes && a.axes.size() == 1 && a.axes[0] == 1));
  set_attr(a, "perm", std::vector<int64_t>{1, 0});
  CHECK((a.perm.size() == 2 && a.perm[0] == 1));
  set_attr(a, "keepdims", true);
  CHECK(a.keepdims);
  set_attr(a, "dtype", int64_t{static_cast<int>(DType::Int64)});
  CHECK((a.has_dtype && a.dtype == DType::Int64));
  set_attr(a, "dtype", DType::Bool);
  CHECK(a.dtype == DType::Bool);
  set_attr(a, "shape", std::vector<int64_t>{2, kUnknownDim});
  CHECK(a.shape == Shape({2, -1}));
  set_attr(a, "value_a", int64_t{3});
  CHECK(a.value_a == 3.0);
  set_attr(a, "seed", int64_t{9});
  CHECK((a.has_seed && a.seed == 9u));
  CHECK_THROWS_AS(set_attr(a, "dtype", int64_t{99}), InvalidArgumentError);
  CHECK_THROWS_AS(set_attr(a, "axis", 0.5), InvalidArgumentError);
  CHECK_THROWS_AS(set_attr(a, "colour", int64_t{1}), InternalError);
}
