#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "helpers.h"
#include "runtime/core/interrupt.h"
#include "runtime/core/parallel.h"

using namespace xag::rt;
using namespace xag::rt::test;

TEST_CASE("parallel_for covers the range exactly once", "[parallel]") {
  for (int64_t n : {1, 7, 100, 131072, 1000003}) {
    std::vector<std::atomic<int>> hits(n);
    parallel_for(n, 1000, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) hits[i].fetch_add(1, std::memory_order_relaxed);
    });
    int64_t bad = 0;
    for (auto& h : hits) bad += h.load() != 1;
    CHECK(bad == 0);
  }
}

TEST_CASE("big ops from several threads at once", "[parallel]") {
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Tensor x = Tensor::full(DType::Float64, {200000}, t);
      for (int k = 0; k < 10; ++k) {
        Tensor y = run(OpKind::Add, {x, Tensor::scalar(1.0)});
        if (run(OpKind::ReduceSum, {y}).item<double>() != 200000.0 * (t + 1)) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(wrong.load() == 0);
}

TEST_CASE("long kernels stop on interrupt", "[interrupt]") {
  Tensor a = Tensor::full(DType::Float32, {8, 64, 64}, 1.0);
  request_interrupt();
  CHECK_THROWS_AS(run(OpKind::MatMul, {a, a}), CancelledError);
  clear_interrupt();
  CHECK(run(OpKind::MatMul, {a, a}).data<float>()[0] == 64.0f);
}

TEST_CASE("back-to-back parallel jobs from two threads", "[parallel]") {
  std::atomic<int64_t> wrong{0};
  auto hammer = [&] {
    for (int rep = 0; rep < 2000; ++rep) {
      std::atomic<int64_t> sum{0};
      parallel_for(64, 1, [&](int64_t b, int64_t e) {
        int64_t s = 0;
        for (int64_t i = b; i < e; ++i) s += i;
        sum.fetch_add(s);
      });
      if (sum.load() != 64 * 63 / 2) wrong.fetch_add(1);
    }
  };
  std::thread t1(hammer), t2(hammer);
  t1.join();
  t2.join();
  CHECK(wrong.load() == 0);
}

TEST_CASE("parallel_for_balanced covers the range once in chunks of at least min_chunk",
          "[parallel]") {
  const int saved = num_threads();
  for (const int threads : {1, 2, 4}) {
    set_num_threads(threads);
    for (int64_t n : {1, 999, 2000, 100000, 1000003}) {
      CAPTURE(threads, n);
      std::vector<std::atomic<int>> hits(n);
      std::atomic<int64_t> short_chunks{0}, chunks{0};
      parallel_for_balanced(n, 1000, [&](int64_t b, int64_t e) {
        chunks.fetch_add(1);
        if (e - b < 1000 && e - b != n) short_chunks.fetch_add(1);
        for (int64_t i = b; i < e; ++i) hits[i].fetch_add(1, std::memory_order_relaxed);
      });
      int64_t bad = 0;
      for (auto& h : hits) bad += h.load() != 1;
      CHECK(bad == 0);
      CHECK(short_chunks.load() == 0);
      // Several chunks per thread when the range allows it (dynamic balancing), or the whole
      // range on the caller during a solo stretch (when helpers were slow on a busy machine).
      const int64_t want = n < 2000 || threads == 1
                               ? 1
                               : std::min<int64_t>(int64_t{threads} * kBalanceChunks, n / 1000);
      CHECK((chunks.load() == want || chunks.load() == 1));
    }
  }
  set_num_threads(saved);
}

TEST_CASE("the pool runs jobs after its workers went to sleep", "[parallel]") {
  const int saved = num_threads();
  set_num_threads(2);
  for (int rep = 0; rep < 3; ++rep) {
    // Longer than the workers' spin: they are asleep on the condition variable when the next
    // job comes, and must be woken (or the caller does all chunks itself).
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::atomic<int64_t> sum{0};
    parallel_for_balanced(1 << 20, 1 << 12, [&](int64_t b, int64_t e) {
      int64_t s = 0;
      for (int64_t i = b; i < e; ++i) s += i;
      sum.fetch_add(s);
    });
    CHECK(sum.load() == int64_t{1 << 20} * ((1 << 20) - 1) / 2);
  }
  set_num_threads(saved);
}

TEST_CASE("after a job slowed down by a helper the caller runs the next jobs alone", "[parallel]") {
  const int saved = num_threads();
  set_num_threads(2);
  const std::thread::id caller = std::this_thread::get_id();
  bool helped = false;
  // A helper that takes far longer over its chunk than the caller over all the others is what
  // a worker preempted on a busy machine looks like. The caller's chunks take 0.1 ms each (64
  // of them), so that even on a loaded machine the worker wakes while chunks are left to claim;
  // its 40 ms chunk is still far slower than the caller's pace. (Retried: the worker may still
  // not get to run.)
  for (int attempt = 0; attempt < 20 && !helped; ++attempt) {
    std::atomic<bool> worker_ran{false};
    parallel_for_balanced(1 << 16, 1 << 10, [&](int64_t, int64_t) {
      if (std::this_thread::get_id() != caller) {
        worker_ran = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
      } else {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
      }
    });
    helped = worker_ran.load();
  }
  REQUIRE(helped);
  std::atomic<int> chunks{0};
  std::atomic<bool> other_thread{false};
  parallel_for_balanced(1 << 16, 1 << 10, [&](int64_t b, int64_t e) {
    chunks.fetch_add(1);
    if (std::this_thread::get_id() != caller) other_thread = true;
    CHECK((b == 0 && e == (1 << 16)));
  });
  CHECK(chunks.load() == 1);
  CHECK_FALSE(other_thread.load());
  set_num_threads(saved);
}
