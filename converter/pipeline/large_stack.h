// Running the converter on a stack of its own: parsing and every pass walk the tree
// recursively, and CPython accepts code nested ~3,000 levels deep (if-expressions, `not`s,
// lambdas), which takes a few MB of C++ stack. The caller's thread may have less (a Python thread
// started with threading.stack_size, an embedding's worker), so conversions run on a thread with
// a known stack instead of counting on the caller's.
#pragma once

#include <cstddef>
#include <functional>

namespace xag::pipeline {

// Stack of the conversion thread: ~10x what the deepest input CPython compiles needs. Untouched
// pages cost nothing.
constexpr size_t kConverterStackBytes = size_t{64} << 20;

// Runs `work` on the process's conversion thread, which has a stack of `bytes` and is started on
// first use, and waits for it; an exception thrown by `work` is rethrown in the caller. Calls
// from several threads take turns. Runs `work` inline when called from that thread itself or
// when no thread can be started.
void run_on_large_stack(const std::function<void()>& work, size_t bytes = kConverterStackBytes);

}  // namespace xag::pipeline
