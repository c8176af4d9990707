// rt::run_session, the run policy the Python bindings use: prints reach the host in order (in
// batches during the run, the rest at the end) with the host's lock held, the run itself goes
// without the lock, the host's signal exception wins over CancelledError (seen at a poll, or
// after a run stopped through the stop source), a broken output does not stop the run while the
// final write's error propagates, and the stop flag is left cleared.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "graph_test_util.h"
#include "runtime/core/interrupt.h"
#include "runtime/exec/run_session.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

// while keep_going or i < n: print("i =", i); i += 1
Executable printing_loop() {
  Graph g;
  GraphBuilder b(g);
  const Value go = b.placeholder(scalar_spec(DType::Bool), "keep_going");
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  const auto r = b.while_loop(
      {i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::LogicalOr, {go, b.op(OpKind::Less, {v[0], n})});
      },
      [&](const std::vector<Value>& v) {
        b.print({PrintArg::literal("i ="), v[0]});
        return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)})};
      });
  b.set_outputs({r[0]});
  return compile(g);
}

std::vector<Tensor> args(bool keep_going, int32_t n) {
  return {Tensor::scalar<bool>(keep_going), Tensor::scalar<int32_t>(n)};
}

struct HostSignal {};  // what the test host's raise_signal throws (Python: KeyboardInterrupt)

// A host whose lock is a flag: records what the session does and checks it holds the lock.
struct TestHost : RunHost {
  bool locked = true;  // the session is entered with the lock held
  bool running = false;
  bool lock_misuse = false;
  std::string written;
  int writes = 0;
  bool throw_in_run = false, throw_at_end = false;
  std::atomic<bool> signal{false};
  bool signal_only_after_run = false;
  bool after_run_called = false;
  // A stop source like the kernel's, with one slot.
  bool stop_source = false;
  std::atomic<void (*)(void*)> stop_callback{nullptr};
  int removed_id = -1;

  void without_lock(const std::function<void()>& f) override {
    lock_misuse |= !locked;
    locked = false;
    running = true;
    f();
    running = false;
    locked = true;
  }
  void with_lock(const std::function<void()>& f) override {
    lock_misuse |= locked;
    locked = true;
    f();
    locked = false;
  }
  void write(const std::string& text) override {
    lock_misuse |= !locked || text.empty();
    ++writes;
    if ((running && throw_in_run) || (!running && throw_at_end)) throw std::runtime_error("w");
    written += text;
  }
  bool signal_pending() override {
    lock_misuse |= !locked;
    return signal.load() && !(signal_only_after_run && running);
  }
  void raise_signal() override { throw HostSignal{}; }
  void after_run() override { after_run_called = true; }
  int add_stop_callback(void (*callback)(void*)) override {
    if (!stop_source) return -1;
    stop_callback = callback;
    return 7;
  }
  void remove_stop_callback(int id) override { removed_id = id; }
};

// Sets `flag` after `ms` milliseconds, on another thread.
std::thread set_later(std::atomic<bool>& flag, int ms) {
  return std::thread([&flag, ms] {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    flag = true;
  });
}

}  // namespace

TEST_CASE("run_session writes the prints with the lock held and returns the results",
          "[exec][session]") {
  TestHost host;
  const auto r = run_session(printing_loop(), args(false, 3), {}, host);
  CHECK(as_int(r[0]) == 3);
  CHECK(host.written == "i = 0\ni = 1\ni = 2\n");
  CHECK(host.writes == 1);
  CHECK(host.after_run_called);
  CHECK_FALSE(host.lock_misuse);
  CHECK(host.locked);
}

TEST_CASE("run_session: a signal seen at a poll stops the run and its exception wins",
          "[exec][session]") {
  TestHost host;
  std::thread t = set_later(host.signal, 60);
  CHECK_THROWS_AS(run_session(printing_loop(), args(true, 0), {}, host), HostSignal);
  t.join();
  CHECK_FALSE(interrupt_requested());
  CHECK(host.after_run_called);
  CHECK_FALSE(host.lock_misuse);
  // Batches during the run (every 10 ms or so), in order, the rest at the end.
  CHECK(host.writes >= 2);
  CHECK(host.written.rfind("i = 0\ni = 1\ni = 2\n", 0) == 0);
  CHECK(host.written.back() == '\n');
}

TEST_CASE("run_session: the stop source stops the run; the host's exception wins if recorded",
          "[exec][session]") {
  const Executable exe = printing_loop();
  for (const bool recorded : {false, true}) {
    TestHost host;
    host.stop_source = true;
    host.signal_only_after_run = true;
    std::thread t([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(40));
      if (recorded) host.signal = true;  // the host's handler ran before the callback
      host.stop_callback.load()(nullptr);
    });
    if (recorded) {
      CHECK_THROWS_AS(run_session(exe, args(true, 0), {}, host), HostSignal);
    } else {
      CHECK_THROWS_AS(run_session(exe, args(true, 0), {}, host), CancelledError);
    }
    t.join();
    CHECK(host.removed_id == 7);
    CHECK_FALSE(interrupt_requested());
    CHECK_FALSE(host.lock_misuse);
  }
}

TEST_CASE("run_session: a failing write during the run is ignored, at the end it propagates",
          "[exec][session]") {
  const Executable exe = printing_loop();
  TestHost host;
  host.throw_in_run = true;
  std::thread t = set_later(host.signal, 60);
  CHECK_THROWS_AS(run_session(exe, args(true, 0), {}, host), HostSignal);
  t.join();
  CHECK(host.writes >= 2);  // batches were due during the run: the failed writes did not stop it

  TestHost broken;
  broken.throw_at_end = true;
  CHECK_THROWS_AS(run_session(exe, args(false, 3), {}, broken), std::runtime_error);
}
