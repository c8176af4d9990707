// Catch2's main for the runtime tests. The JIT's compile thread may still be compiling a test's
// graph when the tests end: it is stopped before exit() tears down LLVM's static objects, which
// that compile would still be using (runtime/jit/tier.h: every host calls shutdown at exit).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "runtime/jit/tier.h"

int main(int argc, char** argv) {
  const int failed = Catch::Session().run(argc, argv);
  xag::rt::jit::shutdown();
  return failed;
}
