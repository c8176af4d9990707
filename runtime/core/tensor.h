// Tensor: a value-semantics handle to a dense, C-contiguous array. Copies share the buffer (cheap);
// ops never write into their inputs, so sharing is invisible to users. Buffers are 64-byte aligned.
// Tensors of at most 8 bytes (every 0-d tensor) keep their data inline in the handle, so scalar
// ops never touch the heap. Consequence: copying such a handle copies the data, so a kernel must
// write through the `Tensor&` it was given, never through a copy of it. Exception: string
// tensors always have a heap buffer (registered with the string collector, strings.h), so every
// string element that outlives a kernel is in a buffer the collector can find.
//
// Every tensor names the device its storage is on (a 1-byte id of runtime/backend's registry; 0 is
// the host CPU). Inline storage is always host memory. The data of a tensor on another device is
// the backend's buffer: raw_data() is then a device address the host must not dereference, and
// the typed accessors throw; read it through host() (or let the methods below copy it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "runtime/core/dtype.h"
#include "runtime/core/errors.h"
#include "runtime/core/shape.h"

namespace xag::rt {

// Index of a backend in the registry (runtime/backend/registry.h).
using DeviceId = uint8_t;
inline constexpr DeviceId kCpuDevice = 0;

class Tensor {
 public:
  static constexpr size_t kInlineBytes = 8;
  static constexpr size_t kAlignment = 64;

  // An undefined tensor (defined() is false); executors use it for empty slots.
  Tensor() = default;

  // Uninitialized contents. Throws InvalidArgumentError for negative/unknown dims.
  static Tensor empty(DType dtype, const Shape& shape);
  static Tensor zeros(DType dtype, const Shape& shape);
  // Every element set to `value` converted to dtype (as NumPy's astype would).
  static Tensor full(DType dtype, const Shape& shape, double value);

  // A 0-d tensor holding v; no heap allocation (except for a string, see above).
  template <class T>
  static Tensor scalar(T v) {
    if constexpr (std::is_same_v<T, StrRef>) {
      return from_raw(DType::String, Shape{}, &v, 1);
    } else {
      Tensor t;
      t.init_meta(dtype_of<T>, Shape{});
      std::memcpy(t.inline_, &v, sizeof(T));
      return t;
    }
  }
  // Makes *this a 0-d tensor holding v, overwriting the inline bytes in place when it already is
  // one of that dtype (the cheapest way for a loop to update a scalar).
  template <class T>
  void set_scalar(T v) {
    if constexpr (std::is_same_v<T, StrRef>) {
      if (defined_ && dtype_ == DType::String && shape_.rank() == 0 && is_exclusively_owned()) {
        std::memcpy(raw_data(), &v, sizeof(T));
      } else {
        *this = scalar(v);
      }
    } else if (defined_ && !data_ && dtype_ == dtype_of<T> && shape_.rank() == 0) {
      std::memcpy(inline_, &v, sizeof(T));
    } else {
      *this = scalar(v);
    }
  }
  // A 0-d tensor of `dtype` holding `v` converted like a cast.
  static Tensor scalar(DType dtype, double v);

  // Copies `values` (row-major) into a new tensor of shape `shape`; sizes must agree.
  template <class T>
  static Tensor from_vector(const std::vector<T>& values, const Shape& shape) {
    if constexpr (std::is_same_v<T, bool>) {  // vector<bool> is packed: unpack first
      std::unique_ptr<bool[]> tmp(new bool[values.size() + 1]);
      for (size_t i = 0; i < values.size(); ++i) tmp[i] = values[i];
      return from_raw(DType::Bool, shape, tmp.get(), values.size());
    } else {
      return from_raw(dtype_of<T>, shape, values.data(), values.size());
    }
  }
  template <class T>
  static Tensor from_values(std::initializer_list<T> values, const Shape& shape) {
    return from_raw(dtype_of<T>, shape, values.begin(), values.size());
  }
  // Copy of `count` elements at `src` (count must equal shape's element count).
  static Tensor from_raw(DType dtype, const Shape& shape, const void* src, size_t count);

  // Zero-copy view of external, C-contiguous memory (e.g. a NumPy array). `data` must be aligned to
  // the element size and stay valid while `owner` lives; the tensor keeps `owner` alive. The
  // runtime never writes through such a tensor.
  static Tensor from_external(DType dtype, const Shape& shape, const void* data,
                              std::shared_ptr<const void> owner);

  // A tensor whose storage is a buffer of backend `device` (not host memory, unless the backend
  // is the CPU): `owner` frees it. Backends make their tensors with this.
  static Tensor from_device_buffer(DType dtype, const Shape& shape, DeviceId device, void* data,
                                   std::shared_ptr<const void> owner);

  bool defined() const { return defined_; }
  // Back to undefined, releasing the buffer; cheaper than `*this = Tensor()` (no shape copy),
  // for hot paths that empty many slots (the executor's reused call frames).
  void reset() noexcept {
    owner_.reset();
    data_ = nullptr;
    defined_ = false;
    external_ = false;
  }
  DeviceId device() const { return device_; }
  bool on_host() const { return device_ == kCpuDevice; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int rank() const { return shape_.rank(); }
  bool is_scalar() const { return shape_.rank() == 0; }
  int64_t num_elements() const { return numel_; }
  size_t nbytes() const { return static_cast<size_t>(numel_) * dtype_size(dtype_); }

  const void* raw_data() const { return data_ ? data_ : inline_; }
  // Mutable access is for kernels filling freshly made outputs only.
  void* raw_data() { return data_ ? data_ : inline_; }

  // Typed access; throws InternalError when T does not match dtype().
  template <class T>
  const T* data() const {
    check_type(dtype_of<T>);
    return static_cast<const T*>(raw_data());
  }
  template <class T>
  T* data() {
    check_type(dtype_of<T>);
    return static_cast<T*>(raw_data());
  }

  // The single element converted to T (like int()/float()/bool() on a NumPy scalar). Throws
  // InvalidArgumentError when the tensor does not have exactly one element.
  template <class T>
  T item() const {
    check_single_element();
    if (device_ != kCpuDevice) return host().item<T>();
    return dispatch_dtype(dtype_, [&](auto tag) -> T {
      using S = decltype(tag);
      S v;
      std::memcpy(&v, raw_data(), sizeof(S));
      return static_cast<T>(v);
    });
  }

  // A deep copy with its own storage on the same device (inline when it fits, on the host).
  Tensor copy() const;
  // This tensor's data on `device`: *this when it is there already, else a copy (through the
  // backends' copy functions). host() is to(kCpuDevice).
  Tensor to(DeviceId device) const;
  Tensor host() const { return device_ == kCpuDevice ? *this : to(kCpuDevice); }
  // Same data viewed with another shape of the same element count (no copy).
  Tensor reshaped(const Shape& shape) const;
  // The `shape.num_elements()` elements starting at flat element `offset`, viewed with `shape`:
  // shares the storage (no copy) unless the view fits inline (host tensors only). Throws when out
  // of range.
  Tensor view(const Shape& shape, int64_t offset) const;
  // Element-wise conversion (NumPy astype); returns *this when dtype already matches. On another
  // device the conversion runs on the host (a round trip; ops use the backend's Cast instead).
  Tensor cast(DType dtype) const;

  // True when both tensors' elements live in the same memory.
  bool shares_buffer_with(const Tensor& other) const;
  // True when this handle may be written in place: its storage is inline or an internal heap
  // buffer that no other handle references (executors reuse such outputs, see run_into).
  bool is_exclusively_owned() const;
  // The keep-alive owner of heap/external storage (null for inline data); NumPy interop holds it.
  std::shared_ptr<const void> owner() const { return owner_; }

  // Exact element-wise equality of dtype, shape and values (NaN != NaN). For tests.
  bool equals(const Tensor& other) const;

  // NumPy-like text, e.g. "[[1 2]\n [3 4]]", "3.5", "True"; used by ag.print.
  std::string to_string() const;

 private:
  void init_meta(DType dtype, const Shape& shape);
  [[gnu::noinline, gnu::cold]] Tensor cast_off_host(DType dtype) const;
  void allocate();
  // allocate() for strings: a registered heap buffer whatever the size (strings.h).
  void allocate_strings();
  // Typed host access needs the dtype and host storage (one branch for both).
  void check_type(DType expected) const {
    if (expected != dtype_ || device_ != kCpuDevice) type_mismatch(expected);
  }
  [[noreturn]] void type_mismatch(DType expected) const;
  void check_single_element() const;

  std::shared_ptr<const void> owner_;  // heap buffer or external keep-alive; null when inline
  void* data_ = nullptr;               // null: the data is inline_
  Shape shape_;
  int64_t numel_ = 0;
  DType dtype_ = DType::Float32;
  bool defined_ = false;
  bool external_ = false;
  DeviceId device_ = kCpuDevice;  // fills padding: sizeof(Tensor) does not grow
  alignas(8) unsigned char inline_[kInlineBytes] = {};
};

// Throws OutOfMemoryError: "out of memory: cannot allocate 3.6 TiB for a float32 tensor of
// shape (1000000, 1000000, 1000000)" (`bytes` 0: more than an address space holds), plus
// " on <device>" off the host.
[[noreturn]] void out_of_memory(DType dtype, const Shape& shape, size_t bytes,
                                const std::string& device = "");

}  // namespace xag::rt
