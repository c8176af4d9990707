// GradientTape: reverse-mode automatic differentiation, eager and staged.
//
// Eagerly, a recording tape keeps every op whose inputs it watches (the inputs, the attributes
// and the result), and gradient() walks those records backwards through the gradient rules,
// computing at once. Inside a trace the tape records nothing per op: the ops already are nodes
// of the graph being built, so gradient() walks the nodes added since the tape started and
// appends the backward pass to the same graph (staged_backprop.h), where the graph passes see
// forward and backward together. Control flow needs no special case eagerly (Python ran it);
// staged Cond and While nodes have their own gradients (grad_control.cpp).
//
// A tape is used from one thread; tapes nest (an outer tape records the ops an inner tape's
// gradient() runs, which gives higher derivatives).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "runtime/graph/tracer.h"

namespace xag::rt::autodiff {

// What a gradient is asked for: a tensor, or a variable (its gradient sums over its reads).
struct Source {
  Operand tensor;
  std::shared_ptr<Variable> variable;
};

// Gradients with no path from the target: None, or zeros of the source's shape.
enum class Unconnected : uint8_t { None, Zero };
// GradientTape.gradient's unconnected_gradients argument ('none' or 'zero'); anything else
// throws InvalidArgumentError.
Unconnected unconnected_mode(const std::string& name);

// Whether a tape records eager ops on this thread now (ag.function then runs the Python
// function eagerly, so the tape sees its ops).
bool eager_tape_recording();

class GradientTape {
 public:
  GradientTape(bool persistent, bool watch_accessed_variables);
  ~GradientTape();
  GradientTape(const GradientTape&) = delete;
  GradientTape& operator=(const GradientTape&) = delete;

  // `with tape:` — starts recording on this thread (inside a trace: in the graph being built).
  void start();
  void stop();
  // stop_recording(): ops in between are not recorded.
  void pause();
  void resume();
  bool recording() const { return recording_; }
  bool persistent() const { return persistent_; }
  // Opened inside a trace (its gradient is built into the graph).
  bool staged() const { return region_.graph != nullptr; }

  // Watches a floating tensor (or a variable) so that ops on it are recorded.
  void watch(const Operand& t);
  void watch(const std::shared_ptr<Variable>& var);

  // d(sum of targets)/d(source) for each source; `output_gradients` (one per target, or empty)
  // weights the targets. A non-persistent tape answers once: its records go with the call that
  // has `last_use` (jacobian() asks several gradients and releases the tape with the last).
  std::vector<std::optional<Operand>> gradient(
      const std::vector<Operand>& targets, const std::vector<Source>& sources,
      const std::vector<std::optional<Operand>>& output_gradients, Unconnected unconnected,
      bool last_use = true);

  // ---- called by the thread's observer ----
  void record_op(OpKind op, const Input* inputs, const Tensor* args, size_t n, const OpAttrs& attrs,
                 const Operand& out);
  void record_read(const std::shared_ptr<Variable>& var, const Operand& out);

 private:
  struct Record {  // one eager op
    OpKind op;
    // Null for the element-wise ops, which read no attributes (a third of a record's size).
    std::unique_ptr<const OpAttrs> attrs;
    std::vector<Operand> inputs;
    Operand output;
  };
  // The region of a staged tape: nodes of `graph` from `begin`, minus the paused spans.
  struct Region {
    std::shared_ptr<Trace> trace;
    Graph* graph = nullptr;
    size_t begin = 0;
    size_t end = 0;  // set by stop()
    std::vector<std::pair<size_t, size_t>> paused;
    size_t paused_at = 0;
  };

  size_t node_count() const { return region_.graph->nodes().size(); }
  void check_usable(const char* what) const;
  std::vector<std::optional<Operand>> eager_gradient(
      const std::vector<Operand>& targets, const std::vector<Source>& sources,
      const std::vector<std::optional<Operand>>& output_gradients);
  std::vector<std::optional<Operand>> staged_gradient(
      const std::vector<Operand>& targets, const std::vector<Source>& sources,
      const std::vector<std::optional<Operand>>& output_gradients);
  std::vector<Node*> region_nodes() const;

  bool persistent_;
  bool watch_accessed_variables_;
  bool recording_ = false;
  bool started_ = false;
  bool used_ = false;  // a non-persistent tape after its gradient()

  // Eager: watched tensor ids, the records, reads of variables (read id -> variable).
  std::unordered_set<uint64_t> watched_;
  std::vector<Record> records_;
  std::unordered_map<uint64_t, std::shared_ptr<Variable>> reads_;
  // Variables watched explicitly (any trainability).
  std::unordered_set<const Variable*> watched_vars_;
  // Staged: the region and the values watched explicitly (in the tape's graph).
  Region region_;
  std::unordered_set<Value, ValueHash> watched_values_;
};

}  // namespace xag::rt::autodiff
