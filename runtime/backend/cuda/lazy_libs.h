// cuBLAS and NVRTC, loaded on first use with dlopen rather than linked: together with cuBLASLt
// they are about a gigabyte of shared libraries, and linking them made `import autograph` about
// 0.3 s slower on every machine, GPU or not. Only the functions the backend calls are looked up.
// A missing library is a DeviceError when a matmul or fused kernel first needs it.
#pragma once

#include <cublas_v2.h>
#include <nvrtc.h>

namespace xag::rt::cuda {

struct CublasApi {
  decltype(&cublasCreate_v2) create;
  decltype(&cublasDestroy_v2) destroy;
  decltype(&cublasSetStream_v2) set_stream;
  decltype(&cublasSgemmStridedBatched) sgemm_strided_batched;
  decltype(&cublasDgemmStridedBatched) dgemm_strided_batched;
  decltype(&cublasGetStatusName) status_name;
  decltype(&cublasGetStatusString) status_string;
};

struct NvrtcApi {
  decltype(&nvrtcCreateProgram) create_program;
  decltype(&nvrtcCompileProgram) compile_program;
  decltype(&nvrtcDestroyProgram) destroy_program;
  decltype(&nvrtcGetProgramLogSize) get_program_log_size;
  decltype(&nvrtcGetProgramLog) get_program_log;
  decltype(&nvrtcGetCUBINSize) get_cubin_size;
  decltype(&nvrtcGetCUBIN) get_cubin;
  decltype(&nvrtcGetErrorString) get_error_string;
};

// The loaded functions (loaded once, thread-safe); throws DeviceError naming the library.
const CublasApi& cublas_api();
const NvrtcApi& nvrtc_api();

}  // namespace xag::rt::cuda
