// XAG_HOST_DEVICE: marks plain functions (element math, conversions, index arithmetic) that the
// CUDA backend compiles as device code too; empty in host-only compilers.
#pragma once

#if defined(__CUDACC__)
#define XAG_HOST_DEVICE __host__ __device__
#else
#define XAG_HOST_DEVICE
#endif
