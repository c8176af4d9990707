# The CUDA backend's sources (included from runtime/CMakeLists.txt after xag_runtime exists).
# The plain-C++ parts (allocator bookkeeping, index plans, fused-kernel source, op coverage) are
# always built and tested; the CUDA parts only when enable_cuda.cmake found nvcc.
set(_xag_cuda_dir ${CMAKE_CURRENT_SOURCE_DIR}/backend/cuda)
target_sources(xag_runtime PRIVATE
  ${_xag_cuda_dir}/caching_allocator.cpp
  ${_xag_cuda_dir}/coverage.cpp
  ${_xag_cuda_dir}/fused_source.cpp
  ${_xag_cuda_dir}/loop_plan.cpp
  ${_xag_cuda_dir}/strided_plan.cpp)

# The functor headers' text for NVRTC (fused_source.cpp).
file(READ ${CMAKE_CURRENT_SOURCE_DIR}/ops/scalar_math.h XAG_SCALAR_MATH_TEXT)
file(READ ${CMAKE_CURRENT_SOURCE_DIR}/core/host_device.h XAG_HOST_DEVICE_TEXT)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_SOURCE_DIR}/ops/scalar_math.h ${CMAKE_CURRENT_SOURCE_DIR}/core/host_device.h)
configure_file(${_xag_cuda_dir}/embedded_headers.h.in
  ${CMAKE_CURRENT_BINARY_DIR}/generated/runtime/backend/cuda/embedded_headers.h @ONLY)
target_include_directories(xag_runtime PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated)

if(XAG_CUDA_ENABLED)
  file(GLOB _xag_cuda_kernels CONFIGURE_DEPENDS ${_xag_cuda_dir}/*.cu)
  # Kernels: nvcc, their own object library (the runtime's host flags are not nvcc's).
  add_library(xag_cuda_kernels OBJECT ${_xag_cuda_kernels})
  target_include_directories(xag_cuda_kernels PRIVATE ${XAG_RUNTIME_INCLUDE_ROOT})
  target_compile_features(xag_cuda_kernels PRIVATE cuda_std_17)
  set_target_properties(xag_cuda_kernels PROPERTIES POSITION_INDEPENDENT_CODE ON)
  # Relaxed constexpr: the shared functors call std::numeric_limits and friends.
  target_compile_options(xag_cuda_kernels PRIVATE
    $<$<COMPILE_LANGUAGE:CUDA>:--expt-relaxed-constexpr -Xcompiler=-Wall,-Wno-unused-parameter>)
  # Host side of the backend: C++ against the CUDA runtime, cuBLAS and NVRTC.
  target_sources(xag_runtime PRIVATE
    $<TARGET_OBJECTS:xag_cuda_kernels>
    ${_xag_cuda_dir}/cuda_backend.cpp
    ${_xag_cuda_dir}/cuda_construct_ops.cpp
    ${_xag_cuda_dir}/cuda_ops.cpp
    ${_xag_cuda_dir}/cuda_shape_ops.cpp
    ${_xag_cuda_dir}/cuda_status.cpp
    ${_xag_cuda_dir}/device_loop.cpp
    ${_xag_cuda_dir}/lazy_libs.cpp
    ${_xag_cuda_dir}/matmul.cpp
    ${_xag_cuda_dir}/nvrtc_fused.cpp
    ${_xag_cuda_dir}/register.cpp)
  # cuBLAS and NVRTC are dlopen()ed on first use (lazy_libs.h): linking them slowed every import.
  target_link_libraries(xag_runtime PUBLIC CUDA::cudart ${CMAKE_DL_LIBS})
  # NVRTC reads libcu++ (include/cccl) from the toolkit at run time.
  list(GET CUDAToolkit_INCLUDE_DIRS 0 _xag_cuda_include)
  target_compile_definitions(xag_runtime PUBLIC XAG_HAVE_CUDA=1)
  target_compile_definitions(xag_runtime PRIVATE XAG_CUDA_INCLUDE_DIR="${_xag_cuda_include}"
    XAG_CUDA_LIB_DIR="${CUDAToolkit_LIBRARY_DIR}")
endif()
