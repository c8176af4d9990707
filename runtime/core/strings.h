// String tensors' elements: interned, immutable UTF-8 strings referred to by StrRef (dtype.h).
//
// Why interning: a StrRef is 8 trivially copyable bytes, so a string tensor is an ordinary
// tensor to everything that only moves elements (views, reshape, concat, stack, gather, getitem,
// where, loop state, TensorArrays, the executor's slots) and no kernel has to know about
// ownership. Equal strings share one ref, so == is a pointer compare.
//
// Why collected: a notebook that formats a line per step or grows a string a character at a
// time creates a distinct string per step, so a table that only grows costs tens of MB per cell
// run. Strings no tensor holds any more are freed by a mark-and-sweep collection
// (string_gc.cpp) that leaves StrRef an 8-byte, trivially copyable element:
//   - roots: every storage of string elements is a host heap buffer that registers itself while
//     it lives (tensor.cpp: a string tensor never keeps its data inline in the handle, not even
//     a 0-d one), so every StrRef that outlives a kernel call lives in a registered buffer:
//     tensors held by Python, graph constants, executor presets and slots, list elements;
//   - safe points: a kernel, or a run of a graph, may hold refs in locals, so a collection
//     happens only where none can: when no run is in progress on any thread (each holds a
//     StringUse) and the caller holds no refs of its own (the bindings' calls hold Python's
//     GIL, which every eager op holds too), or at a poll of the only run in progress, which polls
//     between instructions, when all of its values are in its slots;
//   - pace: collect_strings_if_due() collects when the table has doubled, and grown by at least
//     kMinGrowthBytes, since the last collection, so the cost is amortized.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/core/dtype.h"
#include "runtime/core/shape.h"

namespace xag::rt {

class Tensor;

// The ref of `text` (null for ""). Thread-safe. The ref stays valid while a registered buffer
// holds it; a caller holding it only in a local must not reach a safe point (see above).
StrRef intern(std::string_view text);
// The text of a ref: a view valid while the ref is (copy it to keep it longer).
std::string_view str_view(StrRef s) noexcept;
// Number of distinct strings in the table (for tests and diagnostics).
size_t interned_count() noexcept;

// The table's size: its strings and their approximate footprint in bytes (text + entry).
struct StringMemory {
  size_t count = 0;
  size_t bytes = 0;
};
StringMemory string_memory() noexcept;

// ---- collection (string_gc.cpp) ----

// A host buffer for `count` string elements (64-byte aligned, zeroed: empty strings), registered
// as a root until free_string_buffer; tensor.cpp keeps every string tensor's data in one. Null
// when out of memory.
void* allocate_string_buffer(size_t count);
void free_string_buffer(void* data);

// Held by every run of a graph (Executable::run), for its whole duration: no collection happens
// then, except at the run's own polls (string_safe_point). Nests on a thread.
class StringUse {
 public:
  StringUse();
  ~StringUse();
  StringUse(const StringUse&) = delete;
  StringUse& operator=(const StringUse&) = delete;
};

inline constexpr size_t kMinGrowthBytes = size_t{4} << 20;

// Frees every interned string no registered buffer holds; returns how many. Does nothing
// (returns 0) while a run is in progress or when this thread is inside one. The caller must
// hold no refs outside registered buffers (and, with Python, the GIL).
size_t collect_strings();
// collect_strings() when the table has doubled and grown by kMinGrowthBytes since the last one.
// Cheap when not due: bindings call it after every top-level call.
void collect_strings_if_due();
// For a run's poll, between instructions: when a collection is due (or `force`d: tests) and
// this run is the only one in progress (and not nested), steps out of its StringUse, collects,
// and steps back in. Returns how many strings it freed.
size_t string_safe_point(bool force = false);

// ---- string tensors ----

// A string tensor of `shape` holding `values` (row-major; sizes must agree).
Tensor string_tensor(const std::vector<std::string>& values, const Shape& shape);
// A 0-d string tensor.
Tensor string_scalar(std::string_view text);
// The elements of a host string tensor, row-major.
std::vector<std::string> string_values(const Tensor& t);

}  // namespace xag::rt
