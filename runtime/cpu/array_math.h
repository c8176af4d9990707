// Transcendental element-wise functions (the functors of runtime/ops/scalar_math.h marked
// kArrayMath) over contiguous float arrays, through Eigen's vectorized forms. One translation
// unit computes them for both the separate unary kernels (unary.cpp) and fused programs
// (runtime/exec/fused_eval.cpp), so a fused tanh equals an unfused one bit for bit, and that
// file alone is built for AVX2 + FMA where the build machine has it (runtime/CMakeLists.txt):
// Eigen picks its packet width from the compiler's target, not per function, so an AVX2
// tanh needs a file compiled for AVX2 (and no other file may instantiate the same Eigen
// expressions, or the linker would keep one arbitrary copy).
#pragma once

#include <cstdint>

namespace xag::rt::cpu {

// out[i] = F{}(in[i]) for i < n; T is float or double; `in` may equal `out`. Instantiated for
// every kArrayMath functor (array_math.cpp).
template <class F, class T>
void array_map(const T* in, T* out, int64_t n);

}  // namespace xag::rt::cpu
