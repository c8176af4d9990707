// The op families of the CUDA backend (host code that prepares operands and queues kernels),
// shared by the dispatcher (cuda_ops.cpp) and the families in their own files.
#pragma once

#include "runtime/backend/backend.h"
#include "runtime/backend/cuda/cuda_backend.h"
#include "runtime/backend/cuda/kernels.h"

namespace xag::rt::cuda {

// Runs one op (Backend::run_op's contract) on `b`; errors name the op.
void run_cuda_op(CudaBackend& b, const OpCall& call, Tensor& out);

// The declared fallback: inputs copied to the host, the CPU kernel, the result copied into
// `out`. Also how exact CPU error messages are raised after a kernel reported a bad value.
void run_on_host(CudaBackend& b, const OpCall& call, Tensor& out);

// `t` (on `b`, or a 0-d host scalar) converted to `dt`: itself when it has that dtype already.
Tensor to_dtype(CudaBackend& b, const Tensor& t, DType dt);
// `t` as an element-wise operand of an output of `shape` (broadcast, or a scalar by value).
EwOperand operand(const Tensor& t, const Shape& shape);
// Indices (any integer dtype, here or a 0-d host scalar) as int64 on the device.
Tensor device_indices(CudaBackend& b, const Tensor& t);
// The element counts before and after dimension `axis` of `s`.
void around_axis(const Shape& s, int axis, int64_t* outer, int64_t* inner);
// Element-wise families into `out` (operands of any dtype; converted here).
void unary_into(CudaBackend& b, OpKind op, const Tensor& x, Tensor& out, const OpCall& call);
void binary_into(CudaBackend& b, OpKind op, const Tensor& x, const Tensor& y, Tensor& out,
                 const OpCall& call);

// Shape and reduction families (cuda_shape_ops.cpp); each returns false to ask for the host
// fallback (shapes its kernels do not cover).
bool reduce_into(CudaBackend& b, OpKind op, const Tensor& x, const bool* reduced, Tensor& out);
bool reduce_op(CudaBackend& b, const OpCall& c, Tensor& out);
bool sum_to_like(CudaBackend& b, const Tensor& dy, Tensor& out);
bool softmax(CudaBackend& b, const OpCall& c, Tensor& out);
bool concat(CudaBackend& b, const OpCall& c, bool stack, Tensor& out);
bool gather(CudaBackend& b, const OpCall& c, Tensor& out);
bool getitem_grad(CudaBackend& b, const OpCall& c, Tensor& out);
void strided_copy(CudaBackend& b, const Tensor& x, const StridedPlan& plan, Tensor& out);
// construct_kernels.cu's rows (cuda_construct_ops.cpp).
bool arg_reduce(CudaBackend& b, const OpCall& c, Tensor& out);
bool one_hot(CudaBackend& b, const OpCall& c, Tensor& out);
bool gather_grad(CudaBackend& b, const OpCall& c, Tensor& out);
bool random(CudaBackend& b, const OpCall& c, Tensor& out);
// cuBLAS matmul of float dtypes (matmul.cpp); false for other dtypes or sizes past int range.
bool matmul(CudaBackend& b, const Tensor& x, const Tensor& y, Tensor& out);

}  // namespace xag::rt::cuda
