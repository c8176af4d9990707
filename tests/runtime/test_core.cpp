#include <catch2/catch.hpp>
#include <vector>

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

TEST_CASE("large buffers freed are reused for the next tensor of the same size", "[tensor]") {
  const void* first;
  {
    Tensor a = Tensor::full(DType::Float32, {100000}, 1.0);
    first = a.raw_data();
  }
  // The kept block comes back (its pages stay mapped: no page faults for the new tensor).
  Tensor b = Tensor::empty(DType::Float32, {100000});
  CHECK(b.raw_data() == first);
  // Another size gets another block; the reused one holds whatever the new owner writes.
  Tensor c = Tensor::full(DType::Float64, {100000}, 2.0);
  CHECK(c.raw_data() != b.raw_data());
  Tensor z = Tensor::zeros(DType::Float32, {100000});
  CHECK(z.data<float>()[0] == 0.0f);
  CHECK(z.data<float>()[99999] == 0.0f);
  // Many at once: more than the cache keeps; every one is freed or kept, none lost.
  {
    std::vector<Tensor> many;
    for (int i = 0; i < 64; ++i) many.push_back(Tensor::full(DType::Float32, {50000 + i}, i));
    for (int i = 0; i < 64; ++i) CHECK(many[i].data<float>()[49999] == static_cast<float>(i));
  }
  Tensor d = Tensor::full(DType::Float32, {50063}, 7.0);
  CHECK(d.data<float>()[50062] == 7.0f);
}
