// The CUDA backend's plain-C++ parts, tested on the CPU (no GPU needed): the caching allocator's
// bookkeeping over a fake device allocator, the op coverage table, the index plans of the shape
// kernels against the CPU kernels, and the fused-kernel source generator (compiled by NVRTC in
// CUDA builds: NVRTC needs no GPU). Also: without a GPU no "gpu:N" device is listed and
// ag.device('gpu') has nothing to find, with no abort.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "helpers.h"
#include "runtime/backend/cuda/caching_allocator.h"
#include "runtime/backend/cuda/coverage.h"
#include "runtime/backend/cuda/fused_source.h"
#include "runtime/backend/cuda/strided_plan.h"
#include "runtime/backend/registry.h"
#include "runtime/cpu/kernels.h"
#include "runtime/ops/elementwise.h"
#ifdef XAG_HAVE_CUDA
#include "runtime/backend/cuda/nvrtc_fused.h"
#include "runtime/backend/cuda/register.h"
#endif

using namespace xag::rt;
using namespace xag::rt::cuda;

namespace {

// Host memory with a budget: what cudaMalloc would do, counted.
class FakeDevice final : public RawAllocator {
 public:
  explicit FakeDevice(size_t budget) : budget_(budget) {}
  void* alloc(size_t bytes) override {
    if (used_ + bytes > budget_) return nullptr;
    used_ += bytes;
    void* p = ::operator new(bytes);
    sizes_[p] = bytes;
    return p;
  }
  void free(void* p) override {
    used_ -= sizes_.at(p);
    sizes_.erase(p);
    ::operator delete(p);
  }
  size_t used() const { return used_; }
  size_t live() const { return sizes_.size(); }

 private:
  size_t budget_, used_ = 0;
  std::map<void*, size_t> sizes_;
};

}  // namespace

TEST_CASE("cuda allocator: size classes are at most 25% larger than the request", "[cuda]") {
  CHECK(CachingAllocator::size_class(0) == 256);
  CHECK(CachingAllocator::size_class(1) == 256);
  CHECK(CachingAllocator::size_class(256) == 256);
  CHECK(CachingAllocator::size_class(257) == 320);
  CHECK(CachingAllocator::size_class(1000) == 1024);
  CHECK(CachingAllocator::size_class(1025) == 1280);
  for (size_t b : {300u, 4097u, 100000u, 12345678u}) {
    const size_t c = CachingAllocator::size_class(b);
    CHECK(c >= b);
    CHECK(c <= b + b / 4 + 1);
  }
}

TEST_CASE("cuda allocator: freed blocks are reused without calling the device", "[cuda]") {
  FakeDevice dev(size_t{1} << 20);
  CachingAllocator a(dev);
  void* p = a.allocate(1000);
  void* q = a.allocate(1000);
  REQUIRE(p != q);
  a.deallocate(p);
  CHECK(a.allocate(1000) == p);       // the same class: from the free list
  CHECK(a.allocate(900) != nullptr);  // 900 is class 1024 too, but the list is empty now
  AllocatorStats s = a.stats();
  CHECK(s.raw_allocs == 3);
  CHECK(s.hits == 1);
  CHECK(s.bytes_in_use == 3 * 1024);
  a.deallocate(q);
  a.deallocate(q);  // not live any more: ignored
  s = a.stats();
  CHECK(s.bytes_cached == 1024);
  CHECK(s.bytes_in_use == 2 * 1024);
  a.release_cached();
  CHECK(dev.live() == 2);
  CHECK(a.stats().bytes_cached == 0);
}

TEST_CASE("cuda allocator: out of memory empties the cache and retries once", "[cuda]") {
  FakeDevice dev(4096);
  CachingAllocator a(dev);
  void* small = a.allocate(2048);
  a.deallocate(small);           // 2048 cached
  void* big = a.allocate(3000);  // class 3072: needs the cached 2048 back
  REQUIRE(big != nullptr);
  CHECK(a.stats().raw_frees == 1);
  CHECK(a.allocate(3000) == nullptr);  // really out of memory: null, no throw, no abort
  a.deallocate(big);
  CHECK(a.allocate(3000) == big);
}

TEST_CASE("cuda allocator: blocks freed while held stay out of circulation", "[cuda]") {
  // A CUDA graph keeps using the temporaries its kernels were captured with: while a capture
  // runs, freed blocks are held, and only the graph's owner returns them.
  FakeDevice dev(size_t{1} << 20);
  CachingAllocator a(dev);
  void* before = a.allocate(1000);
  a.hold(true);
  void* tmp = a.allocate(1000);
  a.deallocate(tmp);
  a.deallocate(before);  // freed by anyone meanwhile: held as well (kept longer, never lost)
  a.hold(false);
  CHECK(a.allocate(1000) != tmp);  // not handed out again
  std::vector<void*> held = a.take_held();
  CHECK(held == std::vector<void*>{tmp, before});
  CHECK(a.take_held().empty());
  for (void* p : held) a.deallocate(p);
  CHECK(a.stats().bytes_cached == 2 * 1024);
  void* again = a.allocate(1000);
  CHECK((again == tmp || again == before));
}

TEST_CASE("cuda coverage: every op row has a CUDA kernel, a view or a declared fallback",
          "[cuda]") {
  int kernels = 0, fallbacks = 0;
  for (int i = 0; i < kNumOpKinds; ++i) {
    const OpKind op = static_cast<OpKind>(i);
    const CudaCoverage c = cuda_coverage(op);
    INFO(op_name(op));
    if (c.path == CudaPath::HostFallback) {
      CHECK(std::string(c.reason).size() > 5);  // says why
      ++fallbacks;
    } else {
      CHECK(std::string(c.reason).empty());
      kernels += c.path == CudaPath::Kernel;
    }
    // Every element-wise row runs its functor on the GPU (the math written once).
    if (elementwise_traits(op)) CHECK(c.path == CudaPath::Kernel);
  }
  // The declared fallbacks, exactly: a row moving to the host again must be declared here.
  std::set<OpKind> host;
  for (int i = 0; i < kNumOpKinds; ++i)
    if (cuda_coverage(static_cast<OpKind>(i)).path == CudaPath::HostFallback)
      host.insert(static_cast<OpKind>(i));
  // String ops: string tensors live in host memory (placement keeps them on the CPU).
  CHECK(host == std::set<OpKind>{OpKind::Size, OpKind::ShapeOf, OpKind::Range, OpKind::StringLength,
                                 OpKind::StringUpper, OpKind::StringLower, OpKind::StringJoin,
                                 OpKind::StringReduceJoin, OpKind::StringFormat});
  for (OpKind op : {OpKind::ArgMax, OpKind::ArgMin, OpKind::OneHot, OpKind::GatherGrad,
                    OpKind::RandomUniform, OpKind::RandomNormal})
    CHECK(cuda_coverage(op).path == CudaPath::Kernel);
  CHECK(cuda_coverage(OpKind::MatMul).path == CudaPath::Kernel);
  CHECK(cuda_coverage(OpKind::ReduceSum).path == CudaPath::Kernel);
  CHECK(cuda_coverage(OpKind::Reshape).path == CudaPath::View);
  CHECK(kernels > 3 * fallbacks);
}

namespace {

// The plan applied on the host, as the CUDA kernel applies it per element.
Tensor apply_plan(const Tensor& x, const StridedPlan& p) {
  Shape s;
  for (int d = 0; d < p.rank; ++d) s.push_back(p.shape[d]);
  Tensor out = Tensor::empty(x.dtype(), s);
  const float* src = x.data<float>();
  float* dst = out.data<float>();
  for (int64_t i = 0; i < p.num_elements(); ++i) dst[i] = src[p.source(i)];
  return out;
}

Tensor iota(const Shape& s) {
  std::vector<float> v(static_cast<size_t>(s.num_elements()));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
  return Tensor::from_vector<float>(v, s);
}

}  // namespace

TEST_CASE("cuda plans: transpose, getitem, broadcast_like match the CPU kernels", "[cuda]") {
  const Tensor x = iota(Shape{2, 3, 4});
  OpAttrs perm;
  perm.perm = {2, 0, 1};
  Tensor want = run(OpKind::Transpose, {x}, perm);
  CHECK(apply_plan(x, transpose_plan(x.shape(), perm.perm)).equals(want));
  CHECK(apply_plan(x, transpose_plan(x.shape(), {})).equals(run(OpKind::Transpose, {x})));

  // x[1, ::-2, None, 1:3]
  std::vector<SliceItem> items(4);
  items[0] = SliceItem::index(1);
  items[1].has_step = true;
  items[1].step = -2;
  items[2] = SliceItem::new_axis();
  items[3].has_start = items[3].has_stop = true;
  items[3].start = 1;
  items[3].stop = 3;
  const SlicePlan sp = resolve_slices(x.shape(), items, nullptr, 0);
  Tensor got = Tensor::empty(DType::Float32, sp.out_shape);
  cpu::getitem(x, sp, got);
  CHECK(apply_plan(x, slice_plan(x.shape(), sp)).equals(got));

  // getitem_grad on the GPU: zeros, then dy scattered through the same plan.
  const Tensor dy = iota(sp.out_shape);
  Tensor scattered = Tensor::zeros(DType::Float32, x.shape());
  const StridedPlan back = slice_plan(x.shape(), sp);
  for (int64_t i = 0; i < back.num_elements(); ++i)
    scattered.data<float>()[back.source(i)] = dy.data<float>()[i];
  OpAttrs gi;
  gi.slices = items;
  Tensor grad = Tensor::empty(DType::Float32, x.shape());
  const Tensor grad_in[2] = {dy, x};
  cpu::getitem_grad(grad_in, 2, gi, grad);
  CHECK(scattered.equals(grad));

  OpAttrs bl = OpAttrs::with_axes({1});
  const Tensor g = iota(Shape{2, 4});
  Tensor like = Tensor::empty(DType::Float32, x.shape());
  cpu::broadcast_like(g, bl, like);
  CHECK(apply_plan(g, broadcast_like_plan(g.shape(), bl, x.shape())).equals(like));
  CHECK_THROWS_AS(broadcast_like_plan(Shape{5}, OpAttrs::with_axes({1}), x.shape()),
                  InvalidArgumentError);

  const Tensor b = iota(Shape{3, 1});
  CHECK(apply_plan(b, broadcast_plan(b.shape(), Shape{2, 3, 4}))
            .equals(run(OpKind::Add, {b, Tensor::zeros(DType::Float32, Shape{2, 3, 4})})));
}

TEST_CASE("cuda plans: reduced axes moved last fold to the CPU's reduction", "[cuda]") {
  const Tensor x = iota(Shape{2, 3, 4});
  const bool reduced[3] = {true, false, true};
  const StridedPlan p = reduce_order_plan(x.shape(), reduced);
  CHECK_FALSE(p.contiguous());
  const Tensor moved = apply_plan(x, p);  // (3, 2, 4): kept axis first
  std::vector<float> sums(3, 0.0f);
  for (int64_t i = 0; i < moved.num_elements(); ++i) sums[i / 8] += moved.data<float>()[i];
  const Tensor want = run(OpKind::ReduceSum, {x}, OpAttrs::with_axes({0, 2}));
  CHECK(test::values<float>(want) == sums);
  const bool last[3] = {false, false, true};
  CHECK(reduce_order_plan(x.shape(), last).contiguous());
}

namespace {
FusedProgram tanh_of_sum() {
  FusedProgram p;
  p.dtype = DType::Float32;
  p.num_inputs = 2;
  p.steps = {{OpKind::Add, 0, 1, -1}, {OpKind::Tanh, 2, -1, -1}, {OpKind::Mul, 3, 0, -1}};
  return p;
}
}  // namespace

TEST_CASE("cuda fused source: one kernel calling the CPU's functors per step", "[cuda]") {
  const std::string s = fused_kernel_source(tanh_of_sum());
  CHECK(s.find("#include \"runtime/ops/scalar_math.h\"") != std::string::npos);
  CHECK(s.find("typedef float T;") != std::string::npos);
  CHECK(s.find("extern \"C\" __global__ void xag_fused(const T* __restrict__ p0, long long s0, "
               "T v0, const T* __restrict__ p1, long long s1, T v1, T* __restrict__ out, "
               "long long n)") != std::string::npos);
  CHECK(s.find("const T r2 = (T)xag::rt::math::Add{}(r0, r1);") != std::string::npos);
  CHECK(s.find("const T r3 = (T)xag::rt::math::Tanh{}(r2);") != std::string::npos);
  CHECK(s.find("const T r4 = (T)xag::rt::math::Mul{}(r3, r0);") != std::string::npos);
  CHECK(s.find("out[i] = r4;") != std::string::npos);
  CHECK(std::string(functor_name(OpKind::Sigmoid)) == "Sigmoid");
  CHECK(functor_name(OpKind::MatMul) == nullptr);

  FusedProgram p = tanh_of_sum();
  p.dtype = DType::Float64;
  CHECK(fused_kernel_source(p).find("typedef double T;") != std::string::npos);
  p.reduce = OpKind::ReduceMax;  // fused reductions run as steps on the GPU
  CHECK(fused_kernel_source(p).empty());
  p.reduce = OpKind::Identity;
  p.steps[0].b = 7;  // a register that does not exist yet
  CHECK(fused_kernel_source(p).empty());
  for (const SourceHeader& h : fused_kernel_headers()) CHECK(std::string(h.text).size() > 50);
}

#ifdef XAG_HAVE_CUDA
TEST_CASE("cuda fused source: NVRTC compiles it for Ampere and Hopper (no GPU needed)", "[cuda]") {
  FusedProgram p = tanh_of_sum();
  for (int sm : {80, 90}) {
    const std::string cubin = compile_cuda_source(fused_kernel_source(p), sm);
    CHECK(cubin.size() > 1000);
    CHECK(cubin.compare(0, 4,
                        "\x7f"
                        "ELF") == 0);
  }
  p.dtype = DType::Float64;
  p.steps.push_back({OpKind::Sigmoid, 4, -1, -1});
  p.steps.push_back({OpKind::Maximum, 5, 1, -1});
  CHECK(compile_cuda_source(fused_kernel_source(p), 90).size() > 1000);
  CHECK_THROWS_WITH(compile_cuda_source("this is not CUDA", 90),
                    Catch::Contains("NVRTC_ERROR_COMPILATION"));
}

TEST_CASE("cuda registry: without a GPU only the cpu is listed, and nothing aborted", "[cuda]") {
  const std::vector<std::string> names = device_names();
  const bool has_gpu = find_backend("gpu:0") != nullptr;
  INFO(cuda_probe_message());
  if (!has_gpu) {
    CHECK(cuda_probe_message().find("cudaGetDeviceCount") != std::string::npos);
    CHECK(std::find(names.begin(), names.end(), "gpu:0") == names.end());
    CHECK_THROWS_WITH(device_id("gpu:0"), Catch::Contains("is not available"));
  } else {
    CHECK(names[1] == "gpu:0");
  }
}
#endif
