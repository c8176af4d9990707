#include "runtime/backend/cuda/coverage.h"

namespace xag::rt::cuda {

namespace {

constexpr CudaCoverage kKernel{CudaPath::Kernel, ""};

CudaCoverage fallback(const char* reason) {
  return {CudaPath::HostFallback, reason};
}

// Every row has a kernel but views and the three declared fallbacks.
CudaCoverage by_op(OpKind op) {
  switch (op) {
    case OpKind::Identity:
    case OpKind::StopGradient:
    case OpKind::Reshape:
      return {CudaPath::View, ""};
    case OpKind::Size:
    case OpKind::ShapeOf:
      return fallback("the result comes from the shape alone: computed on the host, one copy");
    case OpKind::Range:
      return fallback("value-dependent length read on the host anyway; small outputs");
    case OpKind::StringLength:
    case OpKind::StringUpper:
    case OpKind::StringLower:
    case OpKind::StringJoin:
    case OpKind::StringReduceJoin:
    case OpKind::StringFormat:
      return fallback("string tensors live in host memory: placement runs string ops on the CPU");
    default:
      break;
  }
  return kKernel;
}

}  // namespace

CudaCoverage cuda_coverage(OpKind op) {
  switch (op) {
#define XAG_OP_ROW(name, py_name, arity, category, dtype_rule, shape_rule, gradient) \
  case OpKind::name:                                                                 \
    return by_op(op);
#include "runtime/ops/op_kinds.def"
#undef XAG_OP_ROW
  }
  return fallback("unknown op");
}

}  // namespace xag::rt::cuda
