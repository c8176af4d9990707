// FusedElementwise evaluation. Instead of one pass over memory per op (what separate kernels
// cost), each block of kFusedBlock elements runs the whole program through L1-resident stack
// buffers; simple loops over a block vectorize. Blocks are split across the thread pool.
#include "runtime/exec/fused_eval.h"

#include <cmath>
#include <string>

#include "runtime/core/interrupt.h"
#include "runtime/core/parallel.h"

namespace xag::rt::exec {

namespace {

constexpr int kMaxSteps = 64;  // the fusion pass never builds longer programs

template <class T>
void step(OpKind op, const T* a, const T* b, T* o, int n) {
  switch (op) {
    case OpKind::Add:
      for (int j = 0; j < n; ++j) o[j] = a[j] + b[j];
      return;
    case OpKind::Sub:
      for (int j = 0; j < n; ++j) o[j] = a[j] - b[j];
      return;
    case OpKind::Mul:
      for (int j = 0; j < n; ++j) o[j] = a[j] * b[j];
      return;
    case OpKind::TrueDiv:
      for (int j = 0; j < n; ++j) o[j] = a[j] / b[j];
      return;
    case OpKind::Maximum:
      for (int j = 0; j < n; ++j) o[j] = (a[j] != a[j] || a[j] > b[j]) ? a[j] : b[j];
      return;
    case OpKind::Minimum:
      for (int j = 0; j < n; ++j) o[j] = (a[j] != a[j] || a[j] < b[j]) ? a[j] : b[j];
      return;
    case OpKind::Neg:
      for (int j = 0; j < n; ++j) o[j] = -a[j];
      return;
    case OpKind::Abs:
      for (int j = 0; j < n; ++j) o[j] = std::fabs(a[j]);
      return;
    case OpKind::Square:
      for (int j = 0; j < n; ++j) o[j] = a[j] * a[j];
      return;
    case OpKind::Relu:
      for (int j = 0; j < n; ++j) o[j] = a[j] < T(0) ? T(0) : a[j];  // NaN stays NaN
      return;
    case OpKind::Exp:
      for (int j = 0; j < n; ++j) o[j] = std::exp(a[j]);
      return;
    case OpKind::Log:
      for (int j = 0; j < n; ++j) o[j] = std::log(a[j]);
      return;
    case OpKind::Sqrt:
      for (int j = 0; j < n; ++j) o[j] = std::sqrt(a[j]);
      return;
    case OpKind::Sin:
      for (int j = 0; j < n; ++j) o[j] = std::sin(a[j]);
      return;
    case OpKind::Cos:
      for (int j = 0; j < n; ++j) o[j] = std::cos(a[j]);
      return;
    case OpKind::Tanh:
      for (int j = 0; j < n; ++j) o[j] = std::tanh(a[j]);
      return;
    case OpKind::Sigmoid:
      for (int j = 0; j < n; ++j) o[j] = T(1) / (T(1) + std::exp(-a[j]));
      return;
    case OpKind::Floor:
      for (int j = 0; j < n; ++j) o[j] = std::floor(a[j]);
      return;
    case OpKind::Ceil:
      for (int j = 0; j < n; ++j) o[j] = std::ceil(a[j]);
      return;
    default:
      return;  // the fusion pass only emits the ops above
  }
}

template <class T>
void run_typed(const FusedProgram& prog, const Tensor* inputs, size_t n, Tensor& out) {
  const int64_t numel = out.num_elements();
  const int ni = prog.num_inputs;
  const int ns = static_cast<int>(prog.steps.size());
  // Scalar inputs are broadcast from a block-sized buffer filled once.
  std::vector<T> splat(static_cast<size_t>(ni) * kFusedBlock);
  std::vector<const T*> base(static_cast<size_t>(ni));
  std::vector<bool> full(static_cast<size_t>(ni));
  for (int i = 0; i < ni; ++i) {
    const Tensor& x = inputs[i];
    full[static_cast<size_t>(i)] = x.num_elements() == numel && x.rank() > 0;
    if (full[static_cast<size_t>(i)]) {
      base[static_cast<size_t>(i)] = x.data<T>();
    } else {
      const T v = x.data<T>()[0];
      T* s = splat.data() + static_cast<size_t>(i) * kFusedBlock;
      for (int j = 0; j < kFusedBlock; ++j) s[j] = v;
      base[static_cast<size_t>(i)] = s;
    }
  }
  T* dst = out.data<T>();
  parallel_for(numel, int64_t{1} << 15, [&](int64_t begin, int64_t end) {
    alignas(64) T buf[kMaxSteps][kFusedBlock];
    const T* reg[kMaxSteps + 64];
    for (int64_t i0 = begin; i0 < end; i0 += kFusedBlock) {
      const int len = static_cast<int>(std::min<int64_t>(kFusedBlock, end - i0));
      for (int i = 0; i < ni; ++i) {
        reg[i] = full[static_cast<size_t>(i)] ? base[static_cast<size_t>(i)] + i0
                                              : base[static_cast<size_t>(i)];
      }
      for (int s = 0; s < ns; ++s) {
        const FusedStep& st = prog.steps[static_cast<size_t>(s)];
        T* o = s + 1 == ns ? dst + i0 : buf[s];
        step<T>(st.op, reg[st.a], st.b >= 0 ? reg[st.b] : nullptr, o, len);
        reg[ni + s] = o;
      }
    }
  });
}

}  // namespace

void run_fused(const FusedProgram& prog, const Tensor* inputs, size_t n, Tensor& out) {
  if (prog.steps.empty() || static_cast<int>(prog.steps.size()) > kMaxSteps ||
      prog.num_inputs > 64 || static_cast<size_t>(prog.num_inputs) != n) {
    throw InternalError("fused_elementwise: malformed program");
  }
  // Result shape: the common shape of the non-scalar inputs.
  Shape shape;
  bool have = false;
  for (size_t i = 0; i < n; ++i) {
    const Tensor& x = inputs[i];
    if (x.dtype() != prog.dtype) {
      throw InternalError("fused_elementwise: input dtype differs from the program's");
    }
    if (x.num_elements() == 1 && x.rank() == 0) continue;
    if (!have) {
      shape = x.shape();
      have = true;
    } else if (x.shape() != shape) {
      throw InvalidArgumentError("fused_elementwise: operand shapes " + shape.to_string() +
                                 " and " + x.shape().to_string() + " differ");
    }
  }
  bool reuse = out.defined() && out.dtype() == prog.dtype && out.shape() == shape &&
               out.is_exclusively_owned();
  for (size_t i = 0; i < n && reuse; ++i) reuse = !out.shares_buffer_with(inputs[i]);
  if (!reuse) out = Tensor::empty(prog.dtype, shape);
  check_interrupt();
  if (prog.dtype == DType::Float32) {
    run_typed<float>(prog, inputs, n, out);
  } else if (prog.dtype == DType::Float64) {
    run_typed<double>(prog, inputs, n, out);
  } else {
    throw InternalError(std::string("fused_elementwise: unsupported dtype ") +
                        dtype_name(prog.dtype));
  }
}

}  // namespace xag::rt::exec
