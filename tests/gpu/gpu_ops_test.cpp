// Every op of op_kinds.def on the GPU against the CPU (ggml's test-backend-ops is the model: one
// walk over the op table, every dtype, broadcast shapes, scalars by value and on the device),
// then a check that the walk reached every row. Also out-of-memory and bad values as exceptions.
#include <vector>

#include "gpu_util.h"
#include "runtime/backend/cuda/coverage.h"
#include "runtime/backend/cuda/cuda_backend.h"
#include "runtime/core/strings.h"
#include "runtime/ops/elementwise.h"

using namespace xag::rt;
using namespace xag::rt::gpu_test;

namespace {

const DType kAll[] = {DType::Bool, DType::Int32, DType::Int64, DType::Float32, DType::Float64};

struct ShapePair {
  Shape a, b;
};
const ShapePair kPairs[] = {{Shape{2, 3}, Shape{2, 3}}, {Shape{2, 3}, Shape{3}},
                            {Shape{2, 1}, Shape{1, 3}}, {Shape{}, Shape{2, 3}},
                            {Shape{4}, Shape{}},        {Shape{3, 1, 2}, Shape{4, 1}}};

}  // namespace

TEST_CASE("gpu: element-wise ops match the CPU on every dtype and broadcast", "[gpu]") {
  for (int i = 0; i < kNumOpKinds; ++i) {
    const OpKind op = static_cast<OpKind>(i);
    const auto traits = elementwise_traits(op);
    if (!traits) continue;
    for (DType a : kAll) {
      if (traits->arity == 1) {
        for (const Shape& s : {Shape{}, Shape{7}, Shape{2, 3}}) {
          compare(op, {sample(a, s)});
          compare(op, {sample(a, s)}, {}, true);
        }
        continue;
      }
      for (DType b : kAll) {
        for (const ShapePair& p : kPairs) compare(op, {sample(a, p.a), sample(b, p.b, 5)});
        compare(op, {sample(a, Shape{}), sample(b, Shape{2, 2}, 3)}, {}, true);
      }
    }
  }
}

TEST_CASE("gpu: where, clip_by_value and cast", "[gpu]") {
  for (DType c : kAll) {
    for (DType x : kAll) {
      compare(OpKind::Where, {sample(c, Shape{2, 3}), sample(x, Shape{3}), sample(x, Shape{}, 1)});
      compare(OpKind::ClipByValue,
              {sample(x, Shape{2, 3}), sample(c, Shape{}), sample(x, Shape{3}, 4)});
      OpAttrs cast;
      cast.dtype = x;
      compare(OpKind::Cast, {sample(c, Shape{11})}, cast);
      compare(OpKind::Cast, {sample(c, Shape{})}, cast, true);
    }
  }
}

TEST_CASE("gpu: reductions over axes, keepdims, empty and large rows", "[gpu]") {
  const OpKind ops[] = {OpKind::ReduceSum, OpKind::ReduceMean, OpKind::ReduceMax,
                        OpKind::ReduceMin, OpKind::ReduceProd, OpKind::ReduceAny,
                        OpKind::ReduceAll, OpKind::ArgMax,     OpKind::ArgMin};
  for (OpKind op : ops) {
    for (DType dt : kAll) {
      const Tensor x = sample(dt, Shape{3, 4, 5});
      if (op == OpKind::ArgMax || op == OpKind::ArgMin) {
        OpAttrs ax;
        compare(op, {x}, ax);
        ax.axis = 1;
        ax.has_axis = true;
        compare(op, {x}, ax);
        continue;
      }
      compare(op, {x});
      compare(op, {x}, OpAttrs::with_axes({1}));
      compare(op, {x}, OpAttrs::with_axes({0, 2}, true));
      compare(op, {x}, OpAttrs::with_axes({-1}));
      compare(op, {sample(dt, Shape{0, 3})}, OpAttrs::with_axes({0}));
      compare(op, {sample(dt, Shape{2, 3000})}, OpAttrs::with_axes({1}));
    }
  }
}

TEST_CASE("gpu: matmul through cuBLAS, batched and broadcast", "[gpu]") {
  const ShapePair shapes[] = {{Shape{3}, Shape{3}},
                              {Shape{2, 3}, Shape{3, 4}},
                              {Shape{3}, Shape{3, 4}},
                              {Shape{2, 3}, Shape{3}},
                              {Shape{5, 2, 3}, Shape{3, 4}},
                              {Shape{2, 3}, Shape{5, 3, 4}},
                              {Shape{5, 1, 2, 3}, Shape{4, 3, 2}},
                              {Shape{2, 0}, Shape{0, 3}}};
  for (DType dt : {DType::Float32, DType::Float64, DType::Int32}) {
    for (const ShapePair& p : shapes) {
      // No NaN: a NaN spreads over whole rows and hides wrong indexing.
      const Tensor a = sample(DType::Int32, p.a).cast(dt),
                   b = sample(DType::Int32, p.b, 2).cast(dt);
      compare(OpKind::MatMul, {a, b});
    }
  }
  compare(OpKind::MatMul,
          {sample(DType::Float32, Shape{2, 3}), sample(DType::Float64, Shape{3, 2})});
}

TEST_CASE("gpu: shape ops", "[gpu]") {
  for (DType dt : kAll) {
    const Tensor x = sample(dt, Shape{2, 3, 4});
    OpAttrs perm;
    perm.perm = {2, 0, 1};
    compare(OpKind::Transpose, {x}, perm);
    compare(OpKind::Transpose, {x});
    OpAttrs shape;
    shape.shape = Shape{4, -1};
    compare(OpKind::Reshape, {x}, shape);
    for (int axis : {0, 1, -1}) {
      OpAttrs ax;
      ax.axis = axis;
      compare(OpKind::Concat, {x, sample(dt, Shape{2, 3, 4}, 1), x}, ax);
      compare(OpKind::Stack, {x, x}, ax);
      compare(OpKind::Gather, {x, Tensor::from_vector<int32_t>({2, 0, -1, 1}, Shape{2, 2})}, ax);
    }
    OpAttrs ax0;
    compare(OpKind::Gather, {x, Tensor::from_vector<int64_t>({0, 5}, Shape{2})}, ax0);  // bad
    compare(OpKind::Concat, {sample(DType::Int32, Shape{2, 3, 4}), x}, ax0);            // promotes
    OpAttrs sl;
    sl.slices = {SliceItem::all(), SliceItem::index(1)};
    compare(OpKind::GetItem, {x}, sl);
    sl.slices = {SliceItem::index_input(1), SliceItem::new_axis(), SliceItem::all(),
                 SliceItem::index(-1)};
    compare(OpKind::GetItem, {x, Tensor::scalar<int32_t>(1)}, sl);
    sl.slices[2].has_step = true;
    sl.slices[2].step = -2;
    compare(OpKind::GetItem, {x, Tensor::scalar<int64_t>(-2)}, sl);
    compare(OpKind::Size, {x});
    compare(OpKind::ShapeOf, {x});
    compare(OpKind::Identity, {x});
    compare(OpKind::StopGradient, {x});
    compare(OpKind::SumToLike, {x, sample(dt, Shape{3, 1})});
    compare(OpKind::SumToLike, {x, sample(dt, Shape{2, 3, 4})});
    compare(OpKind::SumToLike, {x, sample(dt, Shape{5})});  // error, as on the CPU
    compare(OpKind::BroadcastLike, {sample(dt, Shape{2, 4}), x}, OpAttrs::with_axes({1}));
    compare(OpKind::BroadcastLike, {sample(dt, Shape{}), x});
    OpAttrs gi;
    gi.slices = {SliceItem::all(), SliceItem::index(1)};
    compare(OpKind::GetItemGrad, {sample(dt, Shape{2, 4}), x}, gi);
    compare(OpKind::GatherGrad,
            {sample(dt, Shape{3, 3, 4}), Tensor::from_vector<int32_t>({1, 1, 0}, Shape{3}), x},
            ax0);
  }
}

TEST_CASE("gpu: constructors, random, one_hot, softmax", "[gpu]") {
  for (DType dt : kAll) {
    OpAttrs a;
    a.dtype = dt;
    a.has_dtype = true;
    a.shape = Shape{3, 2};
    compare(OpKind::Zeros, {}, a);
    compare(OpKind::Ones, {}, a);
    compare(OpKind::Zeros, {Tensor::from_vector<int32_t>({2, 5}, Shape{2})}, a);
    compare(OpKind::Fill, {Tensor::from_vector<int32_t>({2, 2}, Shape{2}), sample(dt, Shape{})});
    compare(OpKind::Fill, {Tensor::from_vector<int32_t>({2, 2}, Shape{2}), sample(dt, Shape{})}, {},
            true);
    compare(OpKind::ZerosLike, {sample(dt, Shape{4})});
    compare(OpKind::OnesLike, {sample(dt, Shape{4})}, a);
    compare(OpKind::Range,
            {Tensor::scalar<int32_t>(1), sample(dt, Shape{}, 5), Tensor::scalar<int32_t>(1)});
    OpAttrs oh = a;
    oh.depth = 4;
    compare(OpKind::OneHot, {Tensor::from_vector<int32_t>({0, 3, 5, -1}, Shape{4})}, oh);
  }
  for (OpKind op : {OpKind::RandomUniform, OpKind::RandomNormal}) {
    OpAttrs r;
    r.shape = Shape{100};
    r.seed = 7;
    r.has_seed = true;
    compare(op, {}, r);  // the same counter-based values as on the CPU
  }
  for (DType dt : {DType::Float32, DType::Float64, DType::Int32}) {
    for (int axis : {-1, 0, 1}) {
      OpAttrs s;
      s.axis = axis;
      s.has_axis = true;
      compare(OpKind::Softmax, {sample(dt, Shape{3, 5, 2})}, s);
    }
  }
  compare(OpKind::Softmax, {sample(DType::Float32, Shape{4, 5000}, 3)});
}

// String tensors live in host memory: under a GPU scope the string ops (and +, ==, shape ops on
// strings) run on the CPU and give the CPU's results, and their numeric results feed GPU ops.
TEST_CASE("gpu: string ops stay on the host under a GPU scope", "[gpu]") {
  const Tensor words = string_tensor({"ab", "Cde", ""}, Shape{3});
  OpAttrs text;
  text.text = "-";
  OpAttrs fmt;
  fmt.text = "v={}";
  const std::vector<std::pair<OpKind, std::vector<Tensor>>> calls = {
      {OpKind::StringLength, {words}},
      {OpKind::StringUpper, {words}},
      {OpKind::StringLower, {words}},
      {OpKind::StringJoin, {words, words}},
      {OpKind::StringReduceJoin, {words}},
      {OpKind::StringFormat, {words}},
      {OpKind::Add, {words, string_scalar("!")}},
      {OpKind::Equal, {words, string_scalar("ab")}}};
  for (const auto& [op, in] : calls) {
    seen().insert(op);
    INFO(op_name(op));
    const OpAttrs& a = op == OpKind::StringFormat ? fmt : text;
    const Tensor want = run(op, in.data(), in.size(), a);
    DeviceScope scope(gpu());
    const Tensor got = run(op, in.data(), in.size(), a);
    CHECK(got.on_host());
    CHECK(got.equals(want));
  }
  DeviceScope scope(gpu());
  const Tensor n = run(OpKind::StringLength, {words});
  const Tensor twice = run(OpKind::Add, {n.to(gpu()), n.to(gpu())});
  CHECK(twice.device() == gpu());
  CHECK(twice.host().equals(Tensor::from_vector<int32_t>({4, 6, 0}, Shape{3})));
}

TEST_CASE("gpu: the walk above reached every row of the op table", "[gpu]") {
  for (int i = 0; i < kNumOpKinds; ++i) {
    const OpKind op = static_cast<OpKind>(i);
    INFO(op_name(op));
    CHECK(seen().count(op) == 1);
  }
}

TEST_CASE("gpu: out of memory is a OutOfMemoryError and the device keeps working", "[gpu]") {
  Backend& b = backend(gpu());
  CHECK_THROWS_AS(b.empty(DType::Float32, Shape{int64_t{1} << 46}), OutOfMemoryError);
  {
    DeviceScope scope(gpu());
    OpAttrs big;
    big.shape = Shape{int64_t{1} << 23, int64_t{1} << 23};
    CHECK_THROWS_AS(run(OpKind::Zeros, {}, big), OutOfMemoryError);
  }
  compare(OpKind::Add, {sample(DType::Float32, Shape{1000}), sample(DType::Float32, Shape{1000})});
  compare(OpKind::FloorDiv, {sample(DType::Int32, Shape{12}), sample(DType::Int32, Shape{12})});
}

TEST_CASE("gpu: the caching allocator serves repeated ops without new device allocations",
          "[gpu]") {
  auto& b = static_cast<cuda::CudaBackend&>(backend(gpu()));
  DeviceScope scope(gpu());
  const Tensor x = sample(DType::Float32, Shape{1 << 16}).to(gpu());
  Tensor y = run(OpKind::Exp, {x});
  const int64_t before = b.allocator_stats().raw_allocs;
  for (int i = 0; i < 100; ++i) y = run(OpKind::Exp, {run(OpKind::Add, {y, x})});
  CHECK(b.allocator_stats().raw_allocs - before <= 2);
  CHECK(b.allocator_stats().hits >= 100);
}

TEST_CASE("gpu: ported kernels on sizes that span warps and blocks", "[gpu]") {
  // argmax/argmin: rows of 5000 with repeats (first occurrence) and a NaN (wins), every axis.
  for (DType dt : kAll) {
    const Tensor x = sample(dt, Shape{7, 5000}, 1);
    for (OpKind op : {OpKind::ArgMax, OpKind::ArgMin}) {
      for (int axis : {0, 1, -1}) {
        OpAttrs ax;
        ax.axis = axis;
        ax.has_axis = true;
        compare(op, {x}, ax, true);
      }
      compare(op, {x}, {}, true);
    }
  }
  // gather_grad with every index repeated (the atomics add into the same rows).
  for (DType dt : {DType::Float64, DType::Int32, DType::Int64}) {
    std::vector<int32_t> idx(300);
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<int32_t>(i % 5) - 2;
    OpAttrs ax1;
    ax1.axis = 1;
    compare(OpKind::GatherGrad,
            {sample(dt, Shape{3, 300, 64}), Tensor::from_vector<int32_t>(idx, Shape{300}),
             sample(dt, Shape{3, 5, 64})},
            ax1, true);
  }
  // Random draws of every dtype they allow, seeded: the CPU's numbers.
  for (DType dt : {DType::Float32, DType::Float64, DType::Int32, DType::Int64}) {
    OpAttrs r;
    r.shape = Shape{70000};
    r.dtype = dt;
    r.has_dtype = true;
    r.seed = 11;
    r.has_seed = true;
    r.value_a = -3;
    r.value_b = 9;
    compare(OpKind::RandomUniform, {}, r);
    if (is_floating(dt)) compare(OpKind::RandomNormal, {}, r);
  }
  OpAttrs oh;
  oh.depth = 300;
  oh.has_axis = true;
  oh.axis = 0;
  oh.dtype = DType::Float64;
  compare(OpKind::OneHot, {Tensor::from_vector<int64_t>({0, 299, 300, -1, 17}, Shape{5})}, oh);
}

TEST_CASE("gpu: integer division by zero is raised at the next copy to the host", "[gpu]") {
  // No synchronization per op: the kernel sets its flag, later ops queue behind it, and the
  // first read on the host raises the CPU's error, naming the op.
  DeviceScope scope(gpu());
  const Tensor x = Tensor::from_vector<int32_t>({4, 5, 6}, Shape{3}).to(gpu());
  const Tensor zero = Tensor::from_vector<int32_t>({1, 0, 2}, Shape{3}).to(gpu());
  Tensor q;
  REQUIRE_NOTHROW(q = run(OpKind::FloorDiv, {x, zero}));
  const Tensor later = run(OpKind::Add, {q, x});
  try {
    later.host();
    FAIL("no error");
  } catch (const InvalidArgumentError& e) {
    CHECK_THAT(e.what(), Catch::Contains("floordiv"));
  }
  CHECK(run(OpKind::Add, {x, x})
            .host()
            .equals(Tensor::from_vector<int32_t>({8, 10, 12}, Shape{3})));  // the device works on
}
