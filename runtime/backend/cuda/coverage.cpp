#include "runtime/backend/cuda/coverage.h"

namespace xag::rt::cuda {

namespace {

constexpr CudaCoverage kKernel{CudaPath::Kernel, ""};

CudaCoverage fallback(const char* reason) {
  return {CudaPath::HostFallback, reason};
}

// Rows whose category alone does not decide.
CudaCoverage by_op(OpKind op, OpCategory category) {
  switch (op) {
    case OpKind::Identity:
    case OpKind::StopGradient:
    case OpKind::Reshape:
      return {CudaPath::View, ""};
    case OpKind::ArgMax:
    case OpKind::ArgMin:
      return fallback("index reductions (first-occurrence and NaN rules) are not ported yet");
    case OpKind::Size:
    case OpKind::ShapeOf:
      return fallback("the result comes from the shape alone: computed on the host, one copy");
    case OpKind::Range:
      return fallback("value-dependent length read on the host anyway; small outputs");
    case OpKind::OneHot:
      return fallback("not ported yet");
    case OpKind::GatherGrad:
      return fallback("scatter-add with repeated indices needs atomics per dtype: not ported yet");
    default:
      break;
  }
  switch (category) {
    case OpCategory::Random:
      return fallback("the counter-based generator (runtime/cpu/construct.cpp) is host code");
    default:
      return kKernel;
  }
}

}  // namespace

CudaCoverage cuda_coverage(OpKind op) {
  switch (op) {
#define XAG_OP_ROW(name, py_name, arity, category, dtype_rule, shape_rule, gradient) \
  case OpKind::name:                                                                 \
    return by_op(op, OpCategory::category);
#include "runtime/ops/op_kinds.def"
#undef XAG_OP_ROW
  }
  return fallback("unknown op");
}

}  // namespace xag::rt::cuda
