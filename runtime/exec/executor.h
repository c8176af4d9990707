// The executor: compile() lowers a Graph to flat instruction lists over preassigned value slots
// (registers), once; Executable::run() then executes them. Scalar int/float/bool ops take a fast
// path that bypasses the op dispatcher, While bodies reuse their slots (no per-iteration
// allocation), and runs can be stopped by interrupt_requested() or an embedder poll hook.
//
// No Python here: the bindings release the GIL around run() and provide the print sink and the
// poll hook, which take the GIL themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/core/tensor.h"
#include "runtime/graph/graph.h"

namespace xag::rt {

// Counters a run fills in when RunOptions::stats is set (tests and profiling).
struct RunStats {
  int64_t instructions = 0;        // generic (non-scalar) instructions executed
  int64_t loop_iterations = 0;     // While body executions, all loops together
  int64_t buffer_allocations = 0;  // generic ops whose output slot got a new heap buffer
  int64_t polls = 0;               // calls of RunOptions::poll
  // Calls from native code (runtime/jit) into the interpreter's code for one instruction or a
  // list claim: what the native tier did not do itself.
  int64_t native_helper_calls = 0;
  int64_t device_loops = 0;  // While loops run whole on a device (a CUDA graph)

  // (name, value) of every counter, for the bindings' dict.
  std::vector<std::pair<const char*, int64_t>> fields() const {
    return {{"instructions", instructions},
            {"loop_iterations", loop_iterations},
            {"buffer_allocations", buffer_allocations},
            {"polls", polls},
            {"native_helper_calls", native_helper_calls},
            {"device_loops", device_loops}};
  }
};

struct RunOptions {
  // Receives the text of each Print (separators and `end` included). Empty: written to stdout.
  std::function<void(std::string_view)> print_sink;
  // Called about every `poll_interval_ms` of execution (checked at loop iterations); returning
  // true stops the run with CancelledError. Bindings use it to run PyErr_CheckSignals().
  std::function<bool()> poll;
  double poll_interval_ms = 3.0;
  RunStats* stats = nullptr;
  // The device the graph's ops run on (runtime/backend); arguments elsewhere are copied there.
  DeviceId device = kCpuDevice;
};

// Which tier runs a graph: the interpreter, or native code from the JIT (runtime/jit/tier.h).
struct TierInfo {
  std::string tier;    // "native" or "interpreter"
  std::string reason;  // why interpreted: "compiling", "no loop: ...", "compile failed: ..."
  double compile_seconds = -1;  // the JIT compilation, once done
  double ready_seconds = -1;    // from the first run until native code took over
};

namespace exec {
struct Program;  // executor internals (runtime/exec/program.h)
}
namespace jit {
class Tier;
}

// A compiled graph. Cheap to copy (shares the immutable program); run() may be called from
// several threads at once (each run has its own slots).
class Executable {
 public:
  Executable() = default;

  // Runs with one tensor per graph param (dtype must match, shape must be compatible with the
  // param's spec). Throws InvalidArgumentError (LocatedError when the failing node has a source
  // location) for bad input or a failed assert, CancelledError when interrupted.
  std::vector<Tensor> run(const std::vector<Tensor>& args, const RunOptions& options = {}) const;

  bool valid() const { return program_ != nullptr; }
  const std::vector<Type>& input_types() const;
  const std::vector<Type>& output_types() const;
  // The instruction listing, for debugging.
  std::string dump() const;
  // The tier runs use now; disable_jit() keeps the graph on the interpreter (ag.function's
  // jit=False; copies share the tier).
  TierInfo tier_info() const;
  void disable_jit();

 private:
  friend Executable compile(const Graph& graph);
  std::shared_ptr<const exec::Program> program_;
  std::shared_ptr<jit::Tier> tier_;  // the native tier (XAG_JIT), shared by copies
};

// Lowers `graph` (verified first) to an Executable. The graph can be changed or destroyed
// afterwards. Throws InvalidArgumentError when the graph's params or results are tensor lists.
Executable compile(const Graph& graph);

}  // namespace xag::rt
