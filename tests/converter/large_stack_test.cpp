// The conversion thread of converter/pipeline/large_stack: one long-lived thread with the big
// stack, taking turns, signal-free, and restarted in a forked child.
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <stdexcept>

#include "converter/pipeline/large_stack.h"

using xag::pipeline::kConverterStackBytes;
using xag::pipeline::run_on_large_stack;

namespace {

size_t current_stack_size() {
  pthread_attr_t attr;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstacksize(&attr, &size);
    pthread_attr_destroy(&attr);
  }
  return size;
}

bool sigint_blocked_here() {
  sigset_t mask;
  pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  return sigismember(&mask, SIGINT) == 1;
}

}  // namespace

TEST_CASE("conversions run on one long-lived thread with the large stack", "[large_stack]") {
  // Thread ids, not pthread_t: a new thread may reuse a joined one's pthread_t.
  pid_t first = 0, second = 0;
  size_t stack = 0;
  run_on_large_stack([&] {
    first = gettid();
    stack = current_stack_size();
  });
  run_on_large_stack([&] { second = gettid(); });
  CHECK(first != gettid());
  CHECK(first == second);
  CHECK(stack >= kConverterStackBytes);
}

TEST_CASE("the conversion thread never takes SIGINT, whatever the caller's mask", "[large_stack]") {
  sigset_t sigint, previous;
  sigemptyset(&sigint);
  sigaddset(&sigint, SIGINT);
  pthread_sigmask(SIG_UNBLOCK, &sigint, &previous);
  bool blocked = false;
  run_on_large_stack([&] { blocked = sigint_blocked_here(); });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  CHECK(blocked);
}

TEST_CASE("an exception thrown by the work reaches the caller; nested calls run inline",
          "[large_stack]") {
  CHECK_THROWS_WITH(run_on_large_stack([] { throw std::runtime_error("from the worker"); }),
                    "from the worker");
  pthread_t outer{}, inner{};
  run_on_large_stack([&] {
    outer = pthread_self();
    run_on_large_stack([&] { inner = pthread_self(); });
  });
  CHECK(pthread_equal(outer, inner) != 0);
  int value = 0;
  run_on_large_stack([&] { value = 42; });  // still usable after the exception
  CHECK(value == 42);
}

TEST_CASE("a forked child starts a conversion thread of its own", "[large_stack]") {
  run_on_large_stack([] {});  // the parent's thread exists before the fork
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    int value = 0;
    run_on_large_stack([&] { value = current_stack_size() >= kConverterStackBytes ? 7 : 1; });
    _exit(value);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 7);
}
