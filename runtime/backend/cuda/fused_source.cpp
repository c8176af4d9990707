#include "runtime/backend/cuda/fused_source.h"

#include "runtime/backend/cuda/embedded_headers.h"  // generated: kScalarMathText, kHostDeviceText
#include "runtime/ops/elementwise.h"

namespace xag::rt::cuda {

namespace {

// NVRTC has no C++ standard library; scalar_math.h's <cmath> and <type_traits> come from
// libcu++ (cuda/std, in the toolkit's include/cccl), made visible under std::.
constexpr const char* kStdShim =
    "#pragma once\n"
    "#include <cuda/std/cmath>\n"
    "#include <cuda/std/type_traits>\n"
    "#include <cuda/std/limits>\n"
    "namespace std { using namespace ::cuda::std; }\n";

const char* c_type(DType dt) {
  return dt == DType::Float64 ? "double" : "float";
}

std::string reg(int r) {
  return "r" + std::to_string(r);
}

}  // namespace

const char* functor_name(OpKind op) {
  switch (op) {
#define XAG_OP_ROW(name, py_name, arity, category, dtype_rule, shape_rule, gradient) \
  case OpKind::name:                                                                 \
    return elementwise_traits(OpKind::name) ? #name : nullptr;
#include "runtime/ops/op_kinds.def"
#undef XAG_OP_ROW
  }
  return nullptr;
}

std::string fused_kernel_source(const FusedProgram& prog) {
  if (!is_floating(prog.dtype) || prog.reduce != OpKind::Identity || prog.steps.empty()) return {};
  std::string s;
  s += "#include \"runtime/ops/scalar_math.h\"\n";
  s += "// " + prog.to_string() + "\n";
  s += "typedef " + std::string(c_type(prog.dtype)) + " T;\n";
  s += "extern \"C\" __global__ void " + std::string(kFusedKernelName) + "(";
  for (int k = 0; k < prog.num_inputs; ++k) {
    const std::string i = std::to_string(k);
    s += "const T* __restrict__ p" + i + ", long long s" + i + ", T v" + i + ", ";
  }
  s += "T* __restrict__ out, long long n) {\n";
  s += "  const long long step = (long long)gridDim.x * blockDim.x;\n";
  s += "  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += step) "
       "{\n";
  for (int k = 0; k < prog.num_inputs; ++k) {
    const std::string i = std::to_string(k);
    s += "    const T r" + i + " = p" + i + " ? p" + i + "[i * s" + i + "] : v" + i + ";\n";
  }
  int r = prog.num_inputs;
  for (const FusedStep& st : prog.steps) {
    const char* fn = functor_name(st.op);
    const auto traits = elementwise_traits(st.op);
    if (!fn || !traits || traits->can_fault || st.c >= 0 || st.a < 0 || st.a >= r) return {};
    std::string args = reg(st.a);
    if (traits->arity == 2) {
      if (st.b < 0 || st.b >= r) return {};
      args += ", " + reg(st.b);
    }
    s += "    const T " + reg(r) + " = (T)xag::rt::math::" + fn + "{}(" + args + ");\n";
    ++r;
  }
  s += "    out[i] = " + reg(r - 1) + ";\n  }\n}\n";
  return s;
}

std::vector<SourceHeader> fused_kernel_headers() {
  return {{"runtime/ops/scalar_math.h", kScalarMathText},
          {"runtime/core/host_device.h", kHostDeviceText},
          {"cmath", kStdShim},
          {"type_traits", kStdShim}};
}

}  // namespace xag::rt::cuda
