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
  base_ = static_cast<char*>(p);
}

TestBackend::~TestBackend() {
  munmap(base_, kReserve);
}

TestBackend& test_backend() {
  static TestBackend* b = new TestBackend();  // leaked: tensors may outlive static destruction
  return *b;
}

void* TestBackend::allocate(size_t bytes) {
  const size_t rounded = (bytes + Tensor::kAlignment) / Tensor::kAlignment * Tensor::kAlignment;
  std::lock_guard<std::mutex> lk(mu_);
  if (next_ + rounded > kReserve) throw std::bad_alloc();
  const size_t at = next_;
  next_ += rounded;
  blocks_.emplace(at, Block{rounded, std::unique_ptr<unsigned char[]>(new unsigned char[rounded])});
  ++stats_.allocations;
  ++stats_.live_buffers;
  return base_ + at;
}

void TestBackend::deallocate(void* p, size_t) noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  if (owns(p) && blocks_.erase(offset_of(p))) {
    ++stats_.deallocations;
    --stats_.live_buffers;
  }
}

size_t TestBackend::offset_of(const void* p) const {
  return reinterpret_cast<uintptr_t>(p) - reinterpret_cast<uintptr_t>(base_);
}

bool TestBackend::owns(const void* p) const {
  return offset_of(p) < kReserve;  // below base_ wraps around to a huge offset
}

unsigned char* TestBackend::shadow(const void* p, size_t bytes) {
  std::lock_guard<std::mutex> lk(mu_);
  if (!owns(p)) throw InternalError("test:0: address is not in test:0's range");
  const size_t a = offset_of(p);
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
