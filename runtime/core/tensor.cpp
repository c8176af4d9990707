#include "runtime/core/tensor.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <vector>

#include "runtime/backend/registry.h"
#include "runtime/core/convert.h"
#include "runtime/core/strings.h"

namespace xag::rt {

void Tensor::init_meta(DType dtype, const Shape& shape) {
  dtype_ = dtype;
  shape_ = shape;
  numel_ = 1;
  for (int64_t d : shape) {
    if (d < 0) {
      throw InvalidArgumentError("cannot create a tensor of shape " + shape.to_string() +
                                 ": dimensions must be non-negative and known");
    }
  }
  int64_t bytes = 0;
  for (int64_t d : shape) {
    if (__builtin_mul_overflow(numel_, d, &numel_)) out_of_memory(dtype, shape, 0);
  }
  if (__builtin_mul_overflow(numel_, static_cast<int64_t>(dtype_size(dtype)), &bytes)) {
    out_of_memory(dtype, shape, 0);
  }
  defined_ = true;
  external_ = false;
  device_ = kCpuDevice;
  data_ = nullptr;
  owner_.reset();
}

namespace {

// Recently freed large buffers, kept mapped for the next allocation of the same size. A staged
// function returns a fresh result buffer on every call and frees its loop temporaries at the
// end; glibc hands blocks of hundreds of KB back to the kernel (heap trim or munmap), so the
// next call page-faults every page again: about 50 faults per call of SPEC §6 newton (10^5
// floats), a tenth of its time. Sizes repeat exactly from call to call, so an exact-size match
// is all the reuse needed. Bounded: at most kMaxBlocks blocks and kMaxTotal bytes, oldest
// evicted first.
class BufferCache {
 public:
  static constexpr size_t kMinBytes = size_t{64} << 10;  // below: malloc keeps them itself
  static constexpr size_t kMaxBlockBytes = size_t{16} << 20;
  static constexpr size_t kMaxTotal = size_t{64} << 20;
  static constexpr size_t kMaxBlocks = 16;

  static BufferCache& get() {
    static BufferCache* cache = new BufferCache();  // leaked: usable during static destruction
    return *cache;
  }

  static bool cacheable(size_t bytes) { return bytes >= kMinBytes && bytes <= kMaxBlockBytes; }

  // A kept block of exactly `bytes`, or null.
  void* take(size_t bytes) {
    std::lock_guard<std::mutex> lk(mu_);
    for (size_t i = blocks_.size(); i-- > 0;) {  // newest first: likeliest still in cache
      if (blocks_[i].bytes != bytes) continue;
      void* p = blocks_[i].p;
      blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(i));
      total_ -= bytes;
      return p;
    }
    return nullptr;
  }

  // Keeps `p` (evicting the oldest blocks to stay in bounds).
  void give(void* p, size_t bytes) {
    std::vector<void*> evicted;
    {
      std::lock_guard<std::mutex> lk(mu_);
      blocks_.push_back({p, bytes});
      total_ += bytes;
      size_t drop = 0;
      while (blocks_.size() - drop > kMaxBlocks || total_ > kMaxTotal) {
        evicted.push_back(blocks_[drop].p);
        total_ -= blocks_[drop].bytes;
        ++drop;
      }
      blocks_.erase(blocks_.begin(), blocks_.begin() + static_cast<std::ptrdiff_t>(drop));
    }
    for (void* q : evicted) std::free(q);  // outside the lock
  }

 private:
  struct Block {
    void* p;
    size_t bytes;
  };
  std::mutex mu_;
  std::vector<Block> blocks_;  // oldest first
  size_t total_ = 0;
};

}  // namespace

void out_of_memory(DType dtype, const Shape& shape, size_t bytes, const std::string& device) {
  std::string amount = "more memory than an address space holds";
  if (bytes > 0) {
    static const char* const kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 6) {
      value /= 1024;
      ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit ? "%.1f %s" : "%.0f %s", value, kUnits[unit]);
    amount = text;
  }
  throw OutOfMemoryError("out of memory: cannot allocate " + amount + " for a " +
                         dtype_name(dtype) + " tensor of shape " + shape.to_string() +
                         (device.empty() ? "" : " on " + device));
}

void Tensor::allocate() {
  const size_t bytes = nbytes();
  if (__builtin_expect(dtype_ == DType::String, 0)) return allocate_strings();
  if (bytes <= kInlineBytes) return;  // inline_ holds it
  // Round up so aligned_alloc's size is a multiple of the alignment (required by C11).
  const size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  const bool cached = BufferCache::cacheable(rounded);
  void* p = cached ? BufferCache::get().take(rounded) : nullptr;
  if (!p) p = std::aligned_alloc(kAlignment, rounded);
  if (!p) out_of_memory(dtype_, shape_, bytes);
  if (cached) {
    owner_ = std::shared_ptr<const void>(
        p, [rounded](const void* q) { BufferCache::get().give(const_cast<void*>(q), rounded); });
  } else {
    owner_ = std::shared_ptr<const void>(p, [](const void* q) { std::free(const_cast<void*>(q)); });
  }
  data_ = p;
}

void Tensor::allocate_strings() {
  if (numel_ == 0) return;
  void* p = allocate_string_buffer(static_cast<size_t>(numel_));
  if (!p) out_of_memory(dtype_, shape_, nbytes());
  owner_ = std::shared_ptr<const void>(
      p, [](const void* q) { free_string_buffer(const_cast<void*>(q)); });
  data_ = p;
}

Tensor Tensor::empty(DType dtype, const Shape& shape) {
  Tensor t;
  t.init_meta(dtype, shape);
  t.allocate();
  return t;
}

Tensor Tensor::zeros(DType dtype, const Shape& shape) {
  Tensor t = empty(dtype, shape);
  std::memset(t.raw_data(), 0, t.nbytes());
  return t;
}

Tensor Tensor::full(DType dtype, const Shape& shape, double value) {
  // Strings have one "number": 0, the empty string (what executors preset slots with).
  if (dtype == DType::String && value == 0) return zeros(dtype, shape);
  Tensor t = empty(dtype, shape);
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    const T v = convert<T>(value);
    T* p = static_cast<T*>(t.raw_data());
    for (int64_t i = 0; i < t.numel_; ++i) p[i] = v;
  });
  return t;
}

Tensor Tensor::scalar(DType dtype, double v) {
  return full(dtype, Shape{}, v);
}

Tensor Tensor::from_raw(DType dtype, const Shape& shape, const void* src, size_t count) {
  Tensor t = empty(dtype, shape);
  if (static_cast<int64_t>(count) != t.numel_) {
    throw InvalidArgumentError("cannot make a tensor of shape " + shape.to_string() + " from " +
                               std::to_string(count) + " values");
  }
  if (count) std::memcpy(t.raw_data(), src, t.nbytes());
  return t;
}

Tensor Tensor::from_external(DType dtype, const Shape& shape, const void* data,
                             std::shared_ptr<const void> owner) {
  Tensor t;
  t.init_meta(dtype, shape);
  t.data_ = const_cast<void*>(data);
  t.owner_ = std::move(owner);
  t.external_ = true;
  return t;
}

Tensor Tensor::from_device_buffer(DType dtype, const Shape& shape, DeviceId device, void* data,
                                  std::shared_ptr<const void> owner) {
  Tensor t;
  t.init_meta(dtype, shape);
  t.data_ = data;
  t.owner_ = std::move(owner);
  t.device_ = device;
  return t;
}

Tensor Tensor::to(DeviceId device) const {
  if (!defined_ || device == device_) return *this;
  Backend& dst = backend(device);
  Tensor out = dst.empty(dtype_, shape_);
  const size_t n = nbytes();
  if (device_ == kCpuDevice) {
    dst.copy_from_host(out.raw_data(), raw_data(), n);
  } else if (device == kCpuDevice) {
    backend(device_).copy_to_host(out.raw_data(), raw_data(), n);
  } else if (!dst.copy_from_peer(out.raw_data(), backend(device_), raw_data(), n)) {
    const Tensor staged = to(kCpuDevice);  // no peer access: through the host
    dst.copy_from_host(out.raw_data(), staged.raw_data(), n);
  }
  return out;
}

Tensor Tensor::copy() const {
  if (!defined_) return Tensor();
  if (device_ != kCpuDevice) {
    Backend& b = backend(device_);
    Tensor t = b.empty(dtype_, shape_);
    b.copy_on_device(t.raw_data(), raw_data(), nbytes());
    return t;
  }
  Tensor t = empty(dtype_, shape_);
  if (nbytes()) std::memcpy(t.raw_data(), raw_data(), nbytes());
  return t;
}

Tensor Tensor::reshaped(const Shape& shape) const {
  Shape s = shape;
  int64_t n = 1;
  for (int64_t d : s) n *= d < 0 ? 0 : d;
  if (n != numel_ || !s.is_fully_defined()) {
    throw InvalidArgumentError("reshape: cannot reshape a tensor of shape " + shape_.to_string() +
                               " into shape " + shape.to_string());
  }
  Tensor t = *this;
  t.shape_ = s;
  return t;
}

Tensor Tensor::view(const Shape& shape, int64_t offset) const {
  Tensor t;
  t.init_meta(dtype_, shape);
  if (offset < 0 || offset + t.numel_ > numel_) {
    throw InternalError("view of " + std::to_string(t.numel_) + " elements at offset " +
                        std::to_string(offset) + " exceeds a tensor of shape " +
                        shape_.to_string());
  }
  const char* src = static_cast<const char*>(raw_data()) + offset * dtype_size(dtype_);
  if (t.nbytes() <= kInlineBytes && device_ == kCpuDevice && dtype_ != DType::String) {
    if (t.nbytes()) std::memcpy(t.inline_, src, t.nbytes());
    return t;
  }
  t.data_ = const_cast<char*>(src);
  t.owner_ = owner_;
  t.external_ = external_;
  t.device_ = device_;
  return t;
}

Tensor Tensor::cast_off_host(DType dtype) const {
  return host().cast(dtype).to(device_);
}

Tensor Tensor::cast(DType dtype) const {
  if (dtype == dtype_) return *this;
  if (device_ != kCpuDevice) return cast_off_host(dtype);
  Tensor out = empty(dtype, shape_);
  convert_buffer(dtype_, raw_data(), dtype, out.raw_data(), numel_);
  return out;
}

bool Tensor::shares_buffer_with(const Tensor& other) const {
  if (!defined_ || !other.defined_ || nbytes() == 0 || other.nbytes() == 0) return false;
  const char* a = static_cast<const char*>(raw_data());
  const char* b = static_cast<const char*>(other.raw_data());
  // Addresses of different devices may coincide: compared only when the ranges overlap.
  return a < b + other.nbytes() && b < a + nbytes() && device_ == other.device_;
}

bool Tensor::is_exclusively_owned() const {
  if (!defined_ || external_) return false;
  if (!data_) return true;
  return owner_.use_count() == 1;
}

bool Tensor::equals(const Tensor& other) const {
  if (dtype_ != other.dtype_ || shape_ != other.shape_ || defined_ != other.defined_) return false;
  if (device_ != kCpuDevice || other.device_ != kCpuDevice) return host().equals(other.host());
  return dispatch_storage(dtype_, [&](auto tag) {
    using T = decltype(tag);
    const T* a = static_cast<const T*>(raw_data());
    const T* b = static_cast<const T*>(other.raw_data());
    for (int64_t i = 0; i < numel_; ++i)
      if (!(a[i] == b[i])) return false;
    return true;
  });
}

void Tensor::type_mismatch(DType expected) const {
  if (device_ != kCpuDevice) {
    throw InternalError("typed host access to a tensor on " + device_name(device_) +
                        ": copy it to the host first (Tensor::host)");
  }
  throw InternalError(std::string("tensor of dtype ") + dtype_name(dtype_) + " accessed as " +
                      dtype_name(expected));
}

void Tensor::check_single_element() const {
  if (!defined_) throw InvalidArgumentError("item: the tensor is undefined");
  if (numel_ != 1) {
    throw InvalidArgumentError(
        "only tensors with one element can be converted to Python scalars; "
        "this one has shape " +
        shape_.to_string());
  }
}

}  // namespace xag::rt
