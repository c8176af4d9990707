#include "runtime/backend/cuda/nvrtc_fused.h"

#include <nvrtc.h>

#include <vector>

#include "runtime/backend/cuda/cuda_backend.h"
#include "runtime/backend/cuda/cuda_status.h"
#include "runtime/backend/cuda/fused_source.h"
#include "runtime/backend/cuda/kernels.h"
#include "runtime/backend/cuda/lazy_libs.h"
#include "runtime/core/errors.h"

namespace xag::rt::cuda {

namespace {

void check_nvrtc(nvrtcResult r, nvrtcProgram prog, const char* what) {
  if (r == NVRTC_SUCCESS) return;
  std::string log;
  size_t size = 0;
  if (prog && nvrtc_api().get_program_log_size(prog, &size) == NVRTC_SUCCESS && size > 1) {
    log.resize(size);
    nvrtc_api().get_program_log(prog, log.data());
  }
  throw DeviceError(std::string("fused kernel: ") + what + ": " + nvrtc_api().get_error_string(r) +
                    (log.empty() ? "" : "\n" + log));
}

// The program's registers hold one dtype: the fused step the value enters.
struct Arg {
  const void* ptr;
  long long stride;
  double f64;
  float f32;
};

}  // namespace

std::string compile_cuda_source(const std::string& source, int sm) {
  const std::vector<SourceHeader> headers = fused_kernel_headers();
  std::vector<const char*> texts, names;
  for (const SourceHeader& h : headers) {
    names.push_back(h.name);
    texts.push_back(h.text);
  }
  nvrtcProgram prog = nullptr;
  check_nvrtc(
      nvrtc_api().create_program(&prog, source.c_str(), "xag_fused.cu",
                                 static_cast<int>(headers.size()), texts.data(), names.data()),
      nullptr, "nvrtcCreateProgram");
  const std::string arch = "-arch=sm_" + std::to_string(sm);
  const std::string cccl = std::string("-I") + XAG_CUDA_INCLUDE_DIR + "/cccl";
  const char* opts[] = {"--std=c++17", arch.c_str(), "-default-device", cccl.c_str()};
  const nvrtcResult r = nvrtc_api().compile_program(prog, 4, opts);
  std::string cubin;
  try {
    check_nvrtc(r, prog, "compile");
    size_t size = 0;
    check_nvrtc(nvrtc_api().get_cubin_size(prog, &size), prog, "nvrtcGetCUBINSize");
    cubin.resize(size);
    check_nvrtc(nvrtc_api().get_cubin(prog, cubin.data()), prog, "nvrtcGetCUBIN");
  } catch (...) {
    nvrtc_api().destroy_program(&prog);
    throw;
  }
  nvrtc_api().destroy_program(&prog);
  return cubin;
}

FusedKernelCache::~FusedKernelCache() {
  for (auto& [key, e] : cache_)
    if (e.library) cudaLibraryUnload(e.library);
}

size_t FusedKernelCache::size() const {
  std::lock_guard<std::mutex> lk(mu_);
  return cache_.size();
}

const FusedKernelCache::Entry& FusedKernelCache::get(const FusedProgram& prog) {
  const std::string key = std::string(dtype_name(prog.dtype)) + ":" +
                          std::to_string(prog.num_inputs) + ":" + prog.to_string() + ":" +
                          op_name(prog.reduce);
  std::lock_guard<std::mutex> lk(mu_);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  Entry e;
  const std::string source = fused_kernel_source(prog);
  if (!source.empty()) {
    int major = 0, minor = 0;
    check(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, backend_.ordinal()),
          "fused kernel", backend_.name());
    check(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, backend_.ordinal()),
          "fused kernel", backend_.name());
    const std::string cubin = compile_cuda_source(source, major * 10 + minor);
    check(cudaLibraryLoadData(&e.library, cubin.data(), nullptr, nullptr, 0, nullptr, nullptr, 0),
          "fused kernel (load)", backend_.name());
    check(cudaLibraryGetKernel(&e.kernel, e.library, kFusedKernelName), "fused kernel (lookup)",
          backend_.name());
  }
  return cache_.emplace(key, e).first->second;
}

bool FusedKernelCache::run(const FusedProgram& prog, const Tensor* in, size_t n, Tensor& out) {
  if (static_cast<int>(n) != prog.num_inputs) return false;
  backend_.activate();
  const Entry& e = get(prog);
  if (!e.kernel) return false;
  // The output has the shape of the largest input (others are 0-d, broadcast).
  Shape shape;
  for (size_t i = 0; i < n; ++i)
    if (in[i].rank() > 0 && in[i].num_elements() >= shape.num_elements()) shape = in[i].shape();
  for (size_t i = 0; i < n; ++i) {
    if (in[i].dtype() != prog.dtype) return false;
    if (in[i].rank() > 0 && in[i].shape() != shape) return false;
  }
  if (!(out.defined() && out.dtype() == prog.dtype && out.shape() == shape &&
        out.device() == backend_.id() && out.is_exclusively_owned()))
    out = backend_.empty(prog.dtype, shape);
  std::vector<Arg> args(n);
  std::vector<void*> params;
  const bool f64 = prog.dtype == DType::Float64;
  for (size_t i = 0; i < n; ++i) {
    Arg& a = args[i];
    const bool host = in[i].on_host();
    a.ptr = host ? nullptr : in[i].raw_data();
    a.stride = in[i].rank() == 0 ? 0 : 1;
    a.f64 = host ? in[i].item<double>() : 0.0;
    a.f32 = static_cast<float>(a.f64);
    params.push_back(&a.ptr);
    params.push_back(&a.stride);
    params.push_back(f64 ? static_cast<void*>(&a.f64) : static_cast<void*>(&a.f32));
  }
  void* optr = out.raw_data();
  long long count = shape.num_elements();
  params.push_back(&optr);
  params.push_back(&count);
  if (count == 0) return true;
  const int64_t blocks = (count + 255) / 256;
  const dim3 grid(static_cast<unsigned>(blocks < 4096 ? blocks : 4096));
  check(cudaLaunchKernel(reinterpret_cast<const void*>(e.kernel), grid, dim3(256), params.data(), 0,
                         backend_.stream()),
        "fused kernel", backend_.name());
  return true;
}

}  // namespace xag::rt::cuda
