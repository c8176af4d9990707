// See array_math.h. Built with -march=x86-64-v3 when the build machine runs it.
#include "runtime/cpu/array_math.h"

#include <Eigen/Core>

#include "runtime/ops/scalar_math.h"

namespace xag::rt::cpu {

template <class F, class T>
void array_map(const T* in, T* out, int64_t n) {
  using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;
  Eigen::Map<Arr>(out, n) = F{}(Eigen::Map<const Arr>(in, n));
}

#define XAG_ARRAY_MAP(Fn)                                                  \
  template void array_map<math::Fn, float>(const float*, float*, int64_t); \
  template void array_map<math::Fn, double>(const double*, double*, int64_t);
XAG_ARRAY_MAP(Exp)
XAG_ARRAY_MAP(Log)
XAG_ARRAY_MAP(Sqrt)
XAG_ARRAY_MAP(Sin)
XAG_ARRAY_MAP(Cos)
XAG_ARRAY_MAP(Tanh)
XAG_ARRAY_MAP(Sigmoid)
XAG_ARRAY_MAP(Floor)
XAG_ARRAY_MAP(Ceil)
#undef XAG_ARRAY_MAP

}  // namespace xag::rt::cpu
