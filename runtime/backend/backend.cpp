#include "runtime/backend/backend.h"

#include <memory>

namespace xag::rt {

Tensor Backend::empty(DType dtype, const Shape& shape) {
  if (host_memory()) return Tensor::empty(dtype, shape);  // inline / buffer cache
  // The shape is checked (and the byte count computed) by a metadata-only tensor first.
  const Tensor meta = Tensor::from_device_buffer(dtype, shape, id_, nullptr, nullptr);
  const size_t bytes = meta.nbytes();
  void* p = nullptr;
  try {
    p = allocate(bytes);
  } catch (const std::bad_alloc&) {
    out_of_memory(dtype, shape, bytes, name());
  }
  std::shared_ptr<const void> owner(
      p, [this, bytes](const void* q) { deallocate(const_cast<void*>(q), bytes); });
  return Tensor::from_device_buffer(dtype, shape, id_, p, std::move(owner));
}

}  // namespace xag::rt
