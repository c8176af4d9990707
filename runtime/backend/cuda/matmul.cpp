// matmul through cuBLAS: one strided-batched GEMM for every NumPy case (1-D operands as a row or
// column, batch dims broadcast). An operand whose batch is broadcast from a single matrix gets
// stride 0; any other broadcast batch is first materialized with a strided copy.
#include <climits>

#include "runtime/backend/cuda/cuda_ops.h"
#include "runtime/backend/cuda/cuda_status.h"
#include "runtime/backend/cuda/lazy_libs.h"

namespace xag::rt::cuda {

namespace {

struct Operand {
  Tensor t;
  long long stride = 0;  // elements between batch matrices
};

// `x` viewed as a batch of (rows x cols) matrices for an output batch of `batch` dims.
Operand batched(CudaBackend& b, const Tensor& x, const Shape& as_matrix, const Shape& batch) {
  const int64_t rows = as_matrix[as_matrix.rank() - 2], cols = as_matrix[as_matrix.rank() - 1];
  const int64_t own = as_matrix.num_elements() / (rows * cols);
  const int64_t total = batch.num_elements();
  if (own == total) return {x, static_cast<long long>(rows * cols)};
  if (own == 1) return {x, 0};
  Shape full = batch;
  full.push_back(rows);
  full.push_back(cols);
  Tensor t = b.empty(x.dtype(), full);
  strided_copy(b, x, broadcast_plan(as_matrix, full), t);
  return {t, static_cast<long long>(rows * cols)};
}

Shape batch_dims(const Shape& s) {
  Shape r;
  for (int d = 0; d + 2 < s.rank(); ++d) r.push_back(s[d]);
  return r;
}

}  // namespace

bool matmul(CudaBackend& b, const Tensor& x0, const Tensor& y0, Tensor& out) {
  const DType dt = out.dtype();
  if (!is_floating(dt) || x0.on_host() || y0.on_host()) return false;
  const Tensor x = to_dtype(b, x0, dt), y = to_dtype(b, y0, dt);
  const Shape xs = x.rank() == 1 ? Shape{1, x.shape()[0]} : x.shape();
  const Shape ys = y.rank() == 1 ? Shape{y.shape()[0], 1} : y.shape();
  const int64_t m = xs[xs.rank() - 2], k = xs[xs.rank() - 1], n = ys[ys.rank() - 1];
  const Shape batch = broadcast_shapes(batch_dims(xs), batch_dims(ys), "matmul");
  const int64_t count = batch.num_elements();
  if (m > INT_MAX || n > INT_MAX || k > INT_MAX || count > INT_MAX) return false;
  const Operand a = batched(b, x, xs, batch), c = batched(b, y, ys, batch);
  // Row-major C = A B is column-major C^T = B^T A^T: cuBLAS gets B first.
  cublasHandle_t h = b.cublas();
  const int M = static_cast<int>(m), N = static_cast<int>(n), K = static_cast<int>(k);
  const long long sc = static_cast<long long>(m) * n;
  cublasStatus_t s;
  if (dt == DType::Float32) {
    const float one = 1.0f, zero = 0.0f;
    s = cublas_api().sgemm_strided_batched(
        h, CUBLAS_OP_N, CUBLAS_OP_N, N, M, K, &one, static_cast<const float*>(c.t.raw_data()), N,
        c.stride, static_cast<const float*>(a.t.raw_data()), K, a.stride, &zero,
        static_cast<float*>(out.raw_data()), N, sc, static_cast<int>(count));
  } else {
    const double one = 1.0, zero = 0.0;
    s = cublas_api().dgemm_strided_batched(
        h, CUBLAS_OP_N, CUBLAS_OP_N, N, M, K, &one, static_cast<const double*>(c.t.raw_data()), N,
        c.stride, static_cast<const double*>(a.t.raw_data()), K, a.stride, &zero,
        static_cast<double*>(out.raw_data()), N, sc, static_cast<int>(count));
  }
  check_cublas(s, "matmul", b.name());
  return true;
}

}  // namespace xag::rt::cuda
