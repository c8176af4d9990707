#include "runtime/backend/cuda/lazy_libs.h"

#include <cuda_runtime_api.h>
#include <dlfcn.h>

#include <string>

#include "runtime/backend/cuda/cuda_status.h"

namespace xag::rt::cuda {

namespace {

// The library of this toolkit's major version: by soname (LD_LIBRARY_PATH, ld.so.conf), then
// from the toolkit the backend was built against (dlopen ignores our RUNPATH).
void* open_library(const char* stem) {
  const std::string soname =
      std::string("lib") + stem + ".so." + std::to_string(CUDART_VERSION / 1000);
  void* h = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) h = dlopen((std::string(XAG_CUDA_LIB_DIR) + "/" + soname).c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* err = dlerror();
    throw DeviceError("cannot load " + soname + ": " + (err ? err : "not found"));
  }
  return h;
}

template <class F>
void bind(void* lib, const char* name, F& fn) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  if (!fn) throw DeviceError(std::string("missing symbol ") + name + " in a CUDA library");
}

CublasApi load_cublas() {
  void* lib = open_library("cublas");
  CublasApi a{};
  bind(lib, "cublasCreate_v2", a.create);
  bind(lib, "cublasDestroy_v2", a.destroy);
  bind(lib, "cublasSetStream_v2", a.set_stream);
  bind(lib, "cublasSgemmStridedBatched", a.sgemm_strided_batched);
  bind(lib, "cublasDgemmStridedBatched", a.dgemm_strided_batched);
  bind(lib, "cublasGetStatusName", a.status_name);
  bind(lib, "cublasGetStatusString", a.status_string);
  return a;
}

NvrtcApi load_nvrtc() {
  void* lib = open_library("nvrtc");
  NvrtcApi a{};
  bind(lib, "nvrtcCreateProgram", a.create_program);
  bind(lib, "nvrtcCompileProgram", a.compile_program);
  bind(lib, "nvrtcDestroyProgram", a.destroy_program);
  bind(lib, "nvrtcGetProgramLogSize", a.get_program_log_size);
  bind(lib, "nvrtcGetProgramLog", a.get_program_log);
  bind(lib, "nvrtcGetCUBINSize", a.get_cubin_size);
  bind(lib, "nvrtcGetCUBIN", a.get_cubin);
  bind(lib, "nvrtcGetErrorString", a.get_error_string);
  return a;
}

}  // namespace

const CublasApi& cublas_api() {
  static const CublasApi api = load_cublas();  // a throw leaves it unset: the next call retries
  return api;
}

const NvrtcApi& nvrtc_api() {
  static const NvrtcApi api = load_nvrtc();
  return api;
}

}  // namespace xag::rt::cuda
