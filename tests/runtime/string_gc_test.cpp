// The string collector (runtime/core/strings.h): strings no tensor holds are freed; those held by
// live tensors (0-d ones and views included), graph constants, compiled programs, loop state and
// list elements keep their text; no collection happens while another thread runs a graph.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "graph_test_util.h"
#include "runtime/core/strings.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

// Texts no other test makes.
std::string unique(const std::string& what, int i = 0) {
  return "string-gc-test/" + what + "/" + std::to_string(i);
}
std::string text(const Tensor& t) {
  REQUIRE(t.dtype() == DType::String);
  REQUIRE(t.is_scalar());
  return std::string(str_view(*t.data<StrRef>()));
}
Tensor strs(std::vector<std::string> v) {
  return string_tensor(v, Shape{static_cast<int64_t>(v.size())});
}

}  // namespace

TEST_CASE("strings no tensor holds are collected; held ones keep their text", "[strings][gc]") {
  collect_strings();  // from here on the table holds only live strings
  const size_t base = interned_count();
  const size_t base_bytes = string_memory().bytes;
  {
    std::vector<Tensor> garbage;
    for (int i = 0; i < 100; ++i) garbage.push_back(string_scalar(unique("garbage", i)));
    garbage.push_back(strs({unique("garbage-vector", 0), unique("garbage-vector", 1)}));
  }
  const Tensor vector = strs({unique("vector", 0), unique("vector", 1), unique("vector", 2)});
  const Tensor scalar = string_scalar(unique("scalar"));
  const Tensor element = vector.view(Shape{}, 2);  // a 0-d view of the vector's last element
  Tensor updated = string_scalar(unique("replaced"));
  updated.set_scalar(intern(unique("set_scalar")));  // in place: "replaced" is garbage now
  const Tensor copied = scalar.copy();
  CHECK(interned_count() == base + 108);
  CHECK(string_memory().bytes > base_bytes + 108 * 64);

  CHECK(collect_strings() == 103);
  CHECK(interned_count() == base + 5);
  CHECK(string_values(vector) ==
        std::vector<std::string>{unique("vector", 0), unique("vector", 1), unique("vector", 2)});
  CHECK(text(scalar) == unique("scalar"));
  CHECK(text(element) == unique("vector", 2));
  CHECK(text(updated) == unique("set_scalar"));
  CHECK(text(copied) == unique("scalar"));
  // A string made again after its collection is a new, working entry.
  CHECK(text(string_scalar(unique("garbage", 7))) == unique("garbage", 7));
  CHECK(collect_strings() == 1);
  CHECK(interned_count() == base + 5);
  CHECK(string_memory().bytes < base_bytes + 5 * 200);
}

TEST_CASE("graph constants and compiled programs are roots", "[strings][gc]") {
  // f(x) = x + <constant>, the constant's tensor dropped right after it went into the graph.
  auto g = std::make_unique<Graph>();
  {
    GraphBuilder b(*g);
    const Value x = b.placeholder(scalar_spec(DType::String), "x");
    b.set_outputs({b.op(OpKind::Add, {x, b.constant(string_scalar(unique("suffix")))})});
  }
  collect_strings();
  const size_t base = interned_count();
  CHECK(str_view(intern(unique("suffix"))) == unique("suffix"));
  CHECK(interned_count() == base);  // the graph's constant kept it

  const Executable exe = compile(*g);
  g.reset();  // only the program holds the constant now
  collect_strings();
  CHECK(interned_count() == base);
  const auto out = exe.run({string_scalar("x=")});
  CHECK(text(out[0]) == "x=" + unique("suffix"));
}

TEST_CASE("a collection at a run's poll keeps loop state, lists and constants", "[strings][gc]") {
  // s = ""; parts = []; i = 0
  // while i < n: s = s + "ab"; parts.append(format("<{}>", i)); i += 1
  Graph g;
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  OpAttrs fmt;
  fmt.text = "<{}>";
  const auto r = b.while_loop(
      {b.constant(string_scalar("")), b.list_new(scalar_spec(DType::String)), i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[2], n});
      },
      [&](const std::vector<Value>& v) {
        return std::vector<Value>{
            b.op(OpKind::Add, {v[0], b.constant(string_scalar(unique("ab")))}),
            b.list_push_back(v[1], b.op(OpKind::StringFormat, {v[2]}, fmt)),
            b.op(OpKind::Add, {v[2], i32(b, 1)})};
      });
  b.set_outputs({r[0], b.list_stack(r[1])});
  const Executable exe = compile(g);

  size_t freed = 0;
  int polls = 0;
  RunOptions opts;
  opts.poll_interval_ms = 0;
  opts.poll = [&] {
    ++polls;
    freed += string_safe_point(/*force=*/true);
    return false;
  };
  const int count = 3000;
  const auto out = exe.run({Tensor::scalar<int32_t>(count)}, opts);
  REQUIRE(polls > 1);
  // The partial strings s of all but the last iterations before a poll were garbage by then.
  CHECK(freed > static_cast<size_t>(count) / 2);
  std::string want;
  for (int i = 0; i < count; ++i) want += unique("ab");
  CHECK(text(out[0]) == want);
  const std::vector<std::string> parts = string_values(out[1]);
  REQUIRE(parts.size() == static_cast<size_t>(count));
  for (int i = 0; i < count; ++i)
    CHECK(parts[static_cast<size_t>(i)] == "<" + std::to_string(i) + ">");
  // A run again: the constants were kept.
  CHECK(text(exe.run({Tensor::scalar<int32_t>(1)}, opts)[0]) == unique("ab"));
}

TEST_CASE("no collection while another thread runs a graph", "[strings][gc]") {
  Graph g;
  build_endless_loop(g);
  const Executable exe = compile(g);
  std::mutex mu;
  std::condition_variable cv;
  bool running = false, release = false;
  RunOptions opts;
  opts.poll_interval_ms = 0;
  opts.poll = [&] {
    std::unique_lock<std::mutex> lk(mu);
    running = true;
    cv.notify_all();
    cv.wait(lk, [&] { return release; });
    return true;  // stops the endless loop
  };
  std::thread runner([&] {
    try {
      exe.run({Tensor::scalar<bool>(true)}, opts);
    } catch (const CancelledError&) {
    }
  });
  {
    std::unique_lock<std::mutex> lk(mu);
    cv.wait(lk, [&] { return running; });
  }
  const size_t before = interned_count();
  (void)string_scalar(unique("made while a graph runs"));
  CHECK(collect_strings() == 0);
  CHECK(interned_count() == before + 1);
  {
    std::lock_guard<std::mutex> lk(mu);
    release = true;
  }
  cv.notify_all();
  runner.join();
  CHECK(collect_strings() >= 1);
  CHECK(interned_count() <= before);
}

TEST_CASE("0-d strings of a thread that exited are collected", "[strings][gc]") {
  collect_strings();
  const size_t base = interned_count();
  Tensor kept;
  std::thread worker([&] {
    // Freed 0-d buffers are kept for reuse by their thread, and emptied when it exits.
    for (int i = 0; i < 100; ++i) (void)string_scalar(unique("worker", i));
    kept = string_scalar(unique("worker-kept"));
  });
  worker.join();
  CHECK(collect_strings() == 100);
  CHECK(interned_count() == base + 1);
  CHECK(text(kept) == unique("worker-kept"));
  kept = Tensor();  // freed on this thread: its buffer goes to this thread's cache
  CHECK(collect_strings() == 1);
  CHECK(interned_count() == base);
}
