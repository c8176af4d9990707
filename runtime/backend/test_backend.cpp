#include "runtime/backend/test_backend.h"

#include <sys/mman.h>

#include <cstring>
#include <new>
#include <vector>

#include "runtime/backend/cpu_backend.h"
#include "runtime/backend/registry.h"

namespace xag::rt {

namespace {
// Address space only (PROT_NONE, no memory behind it); addresses are never reused, so a stale
// device pointer cannot alias a newer buffer.
constexpr size_t kReserve = size_t{64} << 30;
}  // namespace

TestBackend::TestBackend() : Backend("test:0") {
  void* p = mmap(nullptr, kReserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw InternalError("test backend: cannot reserve its address range");
  base_ = next_ = reinterpret_cast<uintptr_t>(p);
  end_ = base_ + kReserve;
}

TestBackend::~TestBackend() {
  munmap(reinterpret_cast<void*>(base_), kReserve);
}

TestBackend& test_backend() {
  static TestBackend* b = new TestBackend();  // leaked: tensors may outlive static destruction
  return *b;
}

void* TestBackend::allocate(size_t bytes) {
  const size_t rounded = (bytes + Tensor::kAlignment) / Tensor::kAlignment * Tensor::kAlignment;
  std::lock_guard<std::mutex> lk(mu_);
  if (next_ + rounded > end_) throw std::bad_alloc();
  const uintptr_t at = next_;
  next_ += rounded;
  blocks_.emplace(at, Block{rounded, std::unique_ptr<unsigned char[]>(new unsigned char[rounded])});
  ++stats_.allocations;
  ++stats_.live_buffers;
  return reinterpret_cast<void*>(at);
}

void TestBackend::deallocate(void* p, size_t) noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  if (blocks_.erase(reinterpret_cast<uintptr_t>(p))) {
    ++stats_.deallocations;
    --stats_.live_buffers;
  }
}

bool TestBackend::owns(const void* p) const {
  const auto a = reinterpret_cast<uintptr_t>(p);
  return a >= base_ && a < end_;
}

unsigned char* TestBackend::shadow(const void* p, size_t bytes) {
  std::lock_guard<std::mutex> lk(mu_);
  const auto a = reinterpret_cast<uintptr_t>(p);
  auto it = blocks_.upper_bound(a);
  if (it == blocks_.begin()) throw InternalError("test:0: address is not a test:0 buffer");
  --it;
  const size_t off = a - it->first;
  if (off + bytes > it->second.bytes) throw InternalError("test:0: access past a buffer's end");
  return it->second.data.get() + off;
}

void TestBackend::copy_from_host(void* dst, const void* host_src, size_t bytes) {
  if (bytes) std::memcpy(shadow(dst, bytes), host_src, bytes);
  std::lock_guard<std::mutex> lk(mu_);
  ++stats_.to_device;
}

void TestBackend::copy_to_host(void* host_dst, const void* src, size_t bytes) {
  if (bytes) std::memcpy(host_dst, shadow(src, bytes), bytes);
  std::lock_guard<std::mutex> lk(mu_);
  ++stats_.to_host;
}

void TestBackend::copy_on_device(void* dst, const void* src, size_t bytes) {
  if (bytes) std::memmove(shadow(dst, bytes), shadow(src, bytes), bytes);
  std::lock_guard<std::mutex> lk(mu_);
  ++stats_.on_device;
}

Tensor TestBackend::to_host_copy(const Tensor& t) {
  Tensor h = Tensor::empty(t.dtype(), t.shape());
  if (t.nbytes()) std::memcpy(h.raw_data(), shadow(t.raw_data(), t.nbytes()), t.nbytes());
  return h;
}

void TestBackend::run_op(const OpCall& call, Tensor& out) {
  std::vector<Tensor> host(call.n);
  for (size_t i = 0; i < call.n; ++i) {
    const Tensor& x = call.in[i];
    if (x.on_host() && x.rank() == 0) {  // a scalar by value
      host[i] = x;
      continue;
    }
    if (x.defined() && x.device() != id()) {
      throw InternalError(std::string("test:0: input ") + std::to_string(i) + " of " +
                          op_name(call.op) + " is on " + device_name(x.device()) +
                          ": the dispatcher must copy it here first");
    }
    if (x.defined()) host[i] = to_host_copy(x);
  }
  if (out.device() != id()) throw InternalError("test:0: output buffer is not on test:0");
  OpCall c = call;
  c.in = host.data();
  Tensor result = Tensor::empty(out.dtype(), out.shape());
  run_cpu_op(c, result);
  if (result.nbytes())
    std::memcpy(shadow(out.raw_data(), out.nbytes()), result.raw_data(), result.nbytes());
  std::lock_guard<std::mutex> lk(mu_);
  ++stats_.ops;
}

TestBackendStats TestBackend::stats() const {
  std::lock_guard<std::mutex> lk(mu_);
  return stats_;
}

void TestBackend::reset_stats() {
  std::lock_guard<std::mutex> lk(mu_);
  const int64_t live = stats_.live_buffers;
  stats_ = TestBackendStats{};
  stats_.live_buffers = live;
}

}  // namespace xag::rt
