#include "runtime/core/convert.h"

#include "runtime/core/parallel.h"

namespace xag::rt {

void convert_buffer(DType from, const void* src, DType to, void* dst, int64_t n) {
  dispatch_dtype(from, [&](auto ftag) {
    using F = decltype(ftag);
    dispatch_dtype(to, [&](auto ttag) {
      using T = decltype(ttag);
      const F* s = static_cast<const F*>(src);
      T* d = static_cast<T*>(dst);
      parallel_for(n, kParallelThreshold / 2, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) d[i] = convert<T>(s[i]);
      });
    });
  });
}

}  // namespace xag::rt
