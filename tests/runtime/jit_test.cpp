// The native tier (runtime/jit): graphs compiled by the LLVM JIT give the interpreter's results
// (wrap-around, floor modulo signs, NaN compares, errors with the same message, print order,
// loop counts), an endless native loop stops on an interrupt within 100 ms, a failed compile
// falls back to the interpreter, and the default tier switches to native code in the background.
// Without LLVM (XAG_WITH_JIT=OFF) only the fallback is checked.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <thread>

#include "graph_test_util.h"
#include "runtime/core/interrupt.h"
#include "runtime/jit/tier.h"

using namespace xag::rt;
using namespace xag::rt::test;
using Clock = std::chrono::steady_clock;

namespace {

// Sets an environment variable for the scope (the tier reads XAG_JIT when a graph is compiled).
class Env {
 public:
  Env(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    setenv(name, value, 1);
  }
  ~Env() {
    if (had_) {
      setenv(name_, old_.c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

// `g` compiled twice: interpreted only, and native from its first run (XAG_JIT=sync).
struct Both {
  Executable interp, native;
};
Both compile_both(const Graph& g) {
  g.verify();
  Both b;
  {
    Env e("XAG_JIT", "0");
    b.interp = compile(g);
  }
  Env e("XAG_JIT", "sync");
  b.native = compile(g);
  return b;
}

// Element-wise equality that counts NaN == NaN (same bits of result).
bool same(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype() || !(a.shape() == b.shape())) return false;
  const Tensor x = a.cast(DType::Float64), y = b.cast(DType::Float64);
  for (int64_t i = 0; i < x.num_elements(); ++i) {
    const double u = x.data<double>()[i], v = y.data<double>()[i];
    if (!(u == v || (std::isnan(u) && std::isnan(v)))) return false;
  }
  return true;
}

// Runs both on `args`; requires equal results and loop counts, and that the native one ran
// native code.
void check_same(const Both& b, const std::vector<Tensor>& args) {
  RunStats si, sn;
  RunOptions oi, on;
  oi.stats = &si;
  on.stats = &sn;
  const std::vector<Tensor> ri = b.interp.run(args, oi);
  const std::vector<Tensor> rn = b.native.run(args, on);
  if (jit::available()) REQUIRE(b.native.tier_info().tier == "native");
  REQUIRE(ri.size() == rn.size());
  for (size_t i = 0; i < ri.size(); ++i) CHECK(same(ri[i], rn[i]));
  CHECK(si.loop_iterations == sn.loop_iterations);
}

// while i < n: acc = acc * 31 + i (wraps int32); r = floor mod / floordiv mixes; i += 1.
void wrap_and_mod(Graph& g) {
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  const Value d = b.placeholder(scalar_spec(DType::Int32), "d");
  const auto r = b.while_loop(
      {i32(b, 0), i32(b, 7), i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[0], n});
      },
      [&](const std::vector<Value>& v) {
        const Value acc = b.op(OpKind::Add, {b.op(OpKind::Mul, {v[1], i32(b, 1000003)}), v[0]});
        const Value m = b.op(OpKind::Mod, {b.op(OpKind::Sub, {i32(b, 0), acc}), d});
        const Value q = b.op(OpKind::FloorDiv, {acc, i32(b, 4)});
        const Value s =
            b.op(OpKind::Add, {v[2], b.op(OpKind::Add, {m, b.op(OpKind::Mod, {q, i32(b, 8)})})});
        return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)}), acc, s};
      });
  b.set_outputs({r[1], r[2]});
}

// Both executables of the graph `fill` builds.
Both build(void (*fill)(Graph&)) {
  Graph g;
  fill(g);
  return compile_both(g);
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

}  // namespace

TEST_CASE("jit: collatz runs native with the interpreter's results", "[jit]") {
  Graph g;
  GraphBuilder b(g);
  b.set_outputs({collatz_steps(b, b.placeholder(scalar_spec(DType::Int32), "n"))});
  const Both both = compile_both(g);
  for (int32_t n : {1, 2, 3, 27, 97, 871}) check_same(both, {Tensor::scalar<int32_t>(n)});
  CHECK(as_int(both.native.run({Tensor::scalar<int32_t>(27)})[0]) == 111);
}

TEST_CASE("jit: int32 wrap-around and Python floor modulo / division signs", "[jit]") {
  const Both both = build(wrap_and_mod);
  for (int32_t d : {3, -3, 7, -8, 1, -1}) {
    check_same(both, {Tensor::scalar<int32_t>(200), Tensor::scalar<int32_t>(d)});
  }
}

TEST_CASE("jit: division by zero raises the interpreter's error", "[jit]") {
  const Both both = build(wrap_and_mod);
  const std::vector<Tensor> args = {Tensor::scalar<int32_t>(5), Tensor::scalar<int32_t>(0)};
  const std::string want = error_message([&] { both.interp.run(args); });
  CHECK(want != "<no error>");
  CHECK(error_message([&] { both.native.run(args); }) == want);
  // Still usable afterwards.
  check_same(both, {Tensor::scalar<int32_t>(50), Tensor::scalar<int32_t>(9)});
}

TEST_CASE("jit: float compares with NaN, selects and abs", "[jit]") {
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(TensorSpec{DType::Float32, Shape{6}}, "x");
  OpAttrs at;
  at.slices = {SliceItem::index_input(1)};
  const auto r = b.while_loop(
      {i32(b, 0), f32(b, 0.0f), i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[0], i32(b, 6)});
      },
      [&](const std::vector<Value>& v) {
        const Value a = b.op(OpKind::GetItem, {x, v[0]}, at);
        const Value small = b.op(OpKind::LessEqual, {b.op(OpKind::Abs, {a}), f32(b, 1.0f)});
        const Value add = b.op(OpKind::Where, {small, b.op(OpKind::Mul, {a, a}), f32(b, 2.0f)});
        const Value big = b.op(OpKind::Greater, {a, f32(b, 0.0f)});
        const Value cnt =
            b.op(OpKind::Add, {v[2], b.op(OpKind::Cast, {big}, OpAttrs::with_dtype(DType::Int32))});
        return std::vector<Value>{b.op(OpKind::Add, {v[0], i32(b, 1)}),
                                  b.op(OpKind::Add, {v[1], add}), cnt};
      });
  b.set_outputs({r[1], r[2]});
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor xs = Tensor::zeros(DType::Float32, Shape{6});
  const float vals[6] = {0.5f, -3.0f, nan, 1.0f, -0.25f, 4.0f};
  for (int i = 0; i < 6; ++i) xs.data<float>()[i] = vals[i];
  check_same(compile_both(g), {xs});
}

TEST_CASE("jit: an endless native loop stops on an interrupt within 100 ms", "[jit][interrupt]") {
  const Both both = build(build_endless_loop);
  check_same(both, {Tensor::scalar<bool>(false)});  // compiled, and correct
  const double latency_ms = interrupt_latency_ms(both.native);
  CHECK(latency_ms >= 0);
  CHECK(latency_ms < 100);
  CHECK(as_int(both.native.run({Tensor::scalar<bool>(false)})[0]) == 5);
}

TEST_CASE("jit: the poll hook stops an endless native loop", "[jit][interrupt]") {
  const Both both = build(build_endless_loop);
  check_same(both, {Tensor::scalar<bool>(false)});
  std::atomic<bool> stop{false};
  std::atomic<int> polls{0};
  RunOptions opts;
  opts.poll_interval_ms = 3;
  opts.poll = [&] {
    ++polls;
    return stop.load();
  };
  double latency_ms = -1;
  Clock::time_point requested;
  std::thread runner([&] {
    try {
      both.native.run({Tensor::scalar<bool>(true)}, opts);
    } catch (const CancelledError&) {
      latency_ms = ms_since(requested);
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  requested = Clock::now();
  stop = true;
  runner.join();
  CHECK(latency_ms >= 0);
  CHECK(latency_ms < 100);
  CHECK(polls.load() >= 3);
}

TEST_CASE("jit: a failed compile falls back to the interpreter", "[jit]") {
  Graph g;
  GraphBuilder b(g);
  b.set_outputs({collatz_steps(b, b.placeholder(scalar_spec(DType::Int32), "n"))});
  Executable exe;
  {
    Env fail("XAG_JIT_TEST_FAIL", "1");
    Env sync("XAG_JIT", "sync");
    exe = compile(g);
    CHECK(as_int(exe.run({Tensor::scalar<int32_t>(27)})[0]) == 111);
  }
  const TierInfo info = exe.tier_info();
  CHECK(info.tier == "interpreter");
  if (jit::available()) {
    CHECK(info.reason.find("compile failed: XAG_JIT_TEST_FAIL=1") != std::string::npos);
  }
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(97)})[0]) == 118);
}

TEST_CASE("jit: the default tier compiles in the background, then runs native", "[jit]") {
  Graph g;
  GraphBuilder b(g);
  b.set_outputs({collatz_steps(b, b.placeholder(scalar_spec(DType::Int32), "n"))});
  Executable exe;
  {
    Env e("XAG_JIT", "1");
    exe = compile(g);
  }
  CHECK(exe.tier_info().reason == "not run yet");
  // The first run is interpreted (it starts the compilation).
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(27)})[0]) == 111);
  if (!jit::available()) {
    CHECK(exe.tier_info().tier == "interpreter");
    return;
  }
  const auto t0 = Clock::now();
  while (exe.tier_info().tier != "native" && ms_since(t0) < 20000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const TierInfo info = exe.tier_info();
  REQUIRE(info.tier == "native");
  CHECK(info.compile_seconds > 0);
  CHECK(info.ready_seconds >= info.compile_seconds);
  CHECK(as_int(exe.run({Tensor::scalar<int32_t>(871)})[0]) == 178);
}

TEST_CASE("jit: disable_jit and XAG_JIT=0 keep a graph interpreted", "[jit]") {
  const Both both = build(build_endless_loop);
  Executable off = both.native;
  off.disable_jit();  // copies share the tier: both now interpret
  CHECK(as_int(off.run({Tensor::scalar<bool>(false)})[0]) == 5);
  CHECK(both.native.tier_info().tier == "interpreter");
  CHECK(both.native.tier_info().reason == "jit=False");
  both.interp.run({Tensor::scalar<bool>(false)});
  CHECK(both.interp.tier_info().reason == "JIT off (XAG_JIT=0)");
}
