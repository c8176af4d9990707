// Catch2's main for the GPU tests: without a CUDA device it prints why and exits 77, which CTest
// (SKIP_RETURN_CODE) reports as skipped, so `ctest -L gpu` never passes silently.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>

#include "runtime/backend/cuda/register.h"
#include "runtime/backend/registry.h"
#include "runtime/jit/tier.h"

int main(int argc, char** argv) {
  if (!xag::rt::find_backend("gpu:0")) {
    std::printf("SKIP: no CUDA device (%s)\n", xag::rt::cuda::cuda_probe_message().c_str());
    return 77;
  }
  const int failed = Catch::Session().run(argc, argv);
  xag::rt::jit::shutdown();  // before exit() tears down what a compile in progress uses
  return failed;
}
