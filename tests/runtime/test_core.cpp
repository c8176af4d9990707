#include <catch2/catch.hpp>

#include "runtime/core/dtype.h"
#include "runtime/core/interrupt.h"
#include "runtime/core/shape.h"
#include "runtime/core/tensor.h"

using namespace xag::rt;

TEST_CASE("promotion follows NumPy 1.24 array rules", "[dtype]") {
  CHECK(promote(DType::Bool, DType::Int32) == DType::Int32);
  CHECK(promote(DType::Int32, DType::Int64) == DType::Int64);
  CHECK(promote(DType::Int32, DType::Float32) == DType::Float64);
  CHECK(promote(DType::Int64, DType::Float32) == DType::Float64);
  CHECK(promote(DType::Float32, DType::Float32) == DType::Float32);
  CHECK(promote(DType::Float32, DType::Float64) == DType::Float64);
  CHECK(promote(DType::Bool, DType::Bool) == DType::Bool);
  CHECK(std::string(dtype_name(DType::Int64)) == "int64");
  CHECK(dtype_from_name("float32") == DType::Float32);
  CHECK_FALSE(dtype_from_name("float16").has_value());
  CHECK(dispatch_dtype(DType::Int64, [](auto t) { return sizeof(t); }) == 8);
}

TEST_CASE("broadcasting shapes, with unknown dims", "[shape]") {
  CHECK(broadcast_shapes({2, 3}, {3}, "add") == Shape({2, 3}));
  CHECK(broadcast_shapes({4, 1, 5}, {3, 1}, "add") == Shape({4, 3, 5}));
  CHECK(broadcast_shapes({}, {2}, "add") == Shape({2}));
  CHECK(broadcast_shapes({-1, 3}, {1, 3}, "add") == Shape({-1, 3}));
  CHECK(broadcast_shapes({-1}, {4}, "add") == Shape({4}));
  CHECK_THROWS_WITH(broadcast_shapes({2, 3}, {4}, "add"),
                    "add: shapes (2, 3) and (4,) cannot be broadcast together");
  CHECK(Shape({2, 3, 4}).num_elements() == 24);
  CHECK(Shape({2, -1}).num_elements() == kUnknownDim);
  CHECK(Shape({}).num_elements() == 1);
  CHECK(Shape({2, -1}).to_string() == "(2, None)");
}

TEST_CASE("tensor basics", "[tensor]") {
  Tensor s = Tensor::scalar(3.5f);
  CHECK(s.is_scalar());
  CHECK(s.dtype() == DType::Float32);
  CHECK(s.item<double>() == 3.5);
  CHECK(s.owner() == nullptr);  // inline, no heap
  Tensor c = s;                 // copies keep the inline value
  CHECK(c.item<float>() == 3.5f);

  Tensor t = Tensor::from_values<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  CHECK(t.num_elements() == 6);
  CHECK(reinterpret_cast<uintptr_t>(t.raw_data()) % 64 == 0);
  CHECK(t.data<int32_t>()[4] == 5);
  CHECK_THROWS_AS(t.data<float>(), InternalError);
  CHECK_THROWS_AS(t.item<int>(), InvalidArgumentError);
  CHECK(t.to_string() == "[[1 2 3]\n [4 5 6]]");
  Tensor r = t.reshaped({3, 2});
  CHECK(r.shares_buffer_with(t));
  CHECK_FALSE(t.is_exclusively_owned());
  CHECK(Tensor::scalar(true).to_string() == "True");
  CHECK(Tensor::scalar(2.0).to_string() == "2.0");  // like print(np.float64(2))
  CHECK(Tensor::from_values<float>({1, 2.5f, -0.1f}, {3}).to_string() == "[ 1.   2.5 -0.1]");
  CHECK(Tensor::from_values<bool>({true, false}, {2}).to_string() == "[ True False]");
  CHECK(Tensor::scalar(0.1f).to_string() == "0.1");

  auto keep = std::make_shared<std::vector<double>>(std::vector<double>{1, 2});
  Tensor ext = Tensor::from_external(DType::Float64, {2}, keep->data(), keep);
  CHECK(ext.data<double>()[1] == 2);
  CHECK_FALSE(ext.is_exclusively_owned());
  CHECK(Tensor::from_values<double>({1.5, -2.7}, {2}).cast(DType::Int32).data<int32_t>()[1] == -2);
  CHECK(Tensor::scalar(std::nan("")).cast(DType::Int32).item<int32_t>() == INT32_MIN);
}

TEST_CASE("interrupt flag", "[interrupt]") {
  clear_interrupt();
  CHECK_FALSE(interrupt_requested());
  CHECK_NOTHROW(check_interrupt());
  request_interrupt();
  CHECK(interrupt_requested());
  CHECK_THROWS_AS(check_interrupt(), CancelledError);
  clear_interrupt();
  CHECK_FALSE(interrupt_requested());
}
