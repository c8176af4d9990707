#include <cstring>

#include "runtime/cpu/loops.h"

namespace xag::rt::cpu {

namespace {

template <class T>
void copy_typed(const T* src, const int64_t* strides, const Shape& shape, T* dst) {
  const int rank = shape.rank();
  if (rank == 0) {
    *dst = *src;
    return;
  }
  const int64_t numel = shape.num_elements();
  if (numel == 0) return;
  const int last = rank - 1;
  const int64_t inner = shape[last], inner_stride = strides[last];
  parallel_for(numel / inner, (kParallelThreshold / 2 + inner - 1) / inner,
               [&](int64_t b, int64_t e) {
                 // Row r of the output starts at the input offset given by r's multi-index over the
                 // outer dims.
                 int64_t idx[Shape::kMaxRank] = {};
                 int64_t rem = b, off = 0;
                 for (int d = last - 1; d >= 0; --d) {
                   idx[d] = rem % shape[d];
                   rem /= shape[d];
                   off += idx[d] * strides[d];
                 }
                 for (int64_t r = b; r < e; ++r) {
                   T* o = dst + r * inner;
                   const T* s = src + off;
                   if (inner_stride == 1) {
                     std::memcpy(o, s, inner * sizeof(T));
                   } else {
                     for (int64_t i = 0; i < inner; ++i) o[i] = s[i * inner_stride];
                   }
                   for (int d = last - 1; d >= 0; --d) {
                     off += strides[d];
                     if (++idx[d] < shape[d]) break;
                     off -= shape[d] * strides[d];
                     idx[d] = 0;
                   }
                 }
               });
}

}  // namespace

void strided_copy(const void* src, const int64_t* strides, const Shape& shape, void* dst,
                  size_t elem_size) {
  switch (elem_size) {
    case 1:
      return copy_typed(static_cast<const uint8_t*>(src), strides, shape,
                        static_cast<uint8_t*>(dst));
    case 4:
      return copy_typed(static_cast<const uint32_t*>(src), strides, shape,
                        static_cast<uint32_t*>(dst));
    default:
      return copy_typed(static_cast<const uint64_t*>(src), strides, shape,
                        static_cast<uint64_t*>(dst));
  }
}

}  // namespace xag::rt::cpu
