// The tracer: one path for every op, eager or staged. With no trace open on this thread, apply()
// runs an op at once on the CPU kernels (eager mode); inside a trace it adds a typed node to the
// trace's graph instead, capturing eager tensors as constants. Control flow, tensor lists,
// prints, asserts and variable access follow the same rule (see tracer_*.cpp).
//
// Nothing here knows Python: an embedding (the pybind11 module) converts its values to Operands
// and its callables to std::functions, and installs a LocationSource so nodes carry the user's
// file and line. C++ programs and tests trace the same way (tests/runtime/tracer_test.cpp).
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "runtime/graph/builder.h"
#include "runtime/graph/graph.h"
#include "runtime/graph/variable.h"
#include "runtime/ops/weak_scalar.h"

namespace xag::rt {

class Trace;

// A tracing rule was broken (a symbolic tensor used outside the trace that made it). Bindings
// report it as ag.StagingError.
class StagingError : public std::runtime_error {
 public:
  explicit StagingError(const std::string& msg) : std::runtime_error(msg) {}
};

// The symbolic half of an Operand: a value of the graph `trace` is building.
struct Symbol {
  Value value;
  std::shared_ptr<Trace> trace;  // keeps the graph alive while the value is referenced
  // Weakly typed (JAX's weak_type): a value the user's program holds as a Python number (a
  // `range` counter, a variable that is a Python number on every path of a staged `if`). In an
  // element-wise op next to strongly typed tensors it takes their dtype when of the same or a
  // lower kind, as a Python number does (weak_scalar.h), instead of NumPy's promotion.
  bool weak = false;
};

// What an ag.Tensor holds: an eager tensor, or a symbolic value of a trace.
struct Operand {
  Tensor value;                       // defined for eager operands
  std::shared_ptr<const Symbol> sym;  // non-null for symbolic operands
  // Identity of an eager operand: fresh for every tensor made, kept by copies (the gradient
  // tape watches and records tensors by it). 0 for symbolic operands (their Value says it).
  uint64_t id = 0;

  Operand() = default;
  explicit Operand(Tensor t) : value(std::move(t)), id(next_id()) {}
  static uint64_t next_id();

  bool symbolic() const { return sym != nullptr; }
  DType dtype() const { return sym ? sym->value.spec().dtype : value.dtype(); }
  const Shape& shape() const { return sym ? sym->value.spec().shape : value.shape(); }
  // True for a symbolic tensor list (staged list appends, ag.TensorArray).
  bool is_list() const { return sym && sym->value.is_list(); }
};

// One input of apply(): an operand (borrowed for the call) or a weakly typed number, whose dtype
// follows the op's tensor inputs (weak_scalar.h).
class Input {
 public:
  Input() = default;                        // the integer 0, until assigned (for arrays of inputs)
  Input(const Operand& t) : tensor_(&t) {}  // NOLINT: implicit, so apply(op, {a, b}) reads well
  Input(WeakScalar s) : scalar_(s) {}       // NOLINT
  bool is_scalar() const { return tensor_ == nullptr; }
  const Operand& tensor() const { return *tensor_; }
  const WeakScalar& scalar() const { return scalar_; }

 private:
  const Operand* tensor_ = nullptr;
  WeakScalar scalar_;
};

// Where the user's program is now. Called before every node is built with the location in
// effect; returns false to keep it (the common, cheap case) or fills `out` and returns true.
using LocationSource = std::function<bool(const SourceLoc& current, SourceLoc* out)>;

// A graph being traced: owns the graph and its builder. Operands of the trace keep it alive.
class Trace : public std::enable_shared_from_this<Trace> {
 public:
  static std::shared_ptr<Trace> create(std::string name = "main");

  // The graph built so far (shared, not copied).
  const std::shared_ptr<Graph>& graph() const { return graph_; }
  GraphBuilder& builder() { return builder_; }

  // A function argument of the graph.
  Operand placeholder(const TensorSpec& spec, std::string name = {});
  // Sets the graph's results (eager operands become constants).
  void set_outputs(const std::vector<Operand>& outputs);

  // The graph value of `t` in this trace: an eager tensor becomes a constant; a symbolic value
  // of another trace throws StagingError.
  Value value_of(const Operand& t);
  // value_of, captured into the subgraph being built (cond branches, loop bodies).
  Value captured(const Operand& t) { return builder_.capture(value_of(t)); }
  Operand symbolic(Value v, bool weak = false);
  std::vector<Operand> symbolic(const std::vector<Value>& vs);
  // Moves the builder's location to the user's current line (via the LocationSource).
  void locate();

 private:
  explicit Trace(std::string name);

  std::shared_ptr<Graph> graph_;
  GraphBuilder builder_;
};

// `t` marked weakly typed (Symbol::weak); eager operands are returned unchanged (only values
// of a trace are ever weak: a Python number outside one stays a Python number).
Operand weakly_typed(const Operand& t);

// ---- trace scopes (per thread; nested traces stack, ops go to the innermost) ----
void enter_trace(std::shared_ptr<Trace> trace);
// Closes `trace` when it is the innermost one (a no-op otherwise).
void exit_trace(const Trace& trace);
// True while a trace is open on this thread.
bool tracing();
// The innermost open trace; throws InternalError naming `what` when there is none.
Trace& current_trace(const char* what);

// Suspends every open trace of this thread for a scope: ops in it run eagerly (TensorFlow's
// init_scope; layers create their variables there when first called while tracing).
class InitScope {
 public:
  InitScope();
  ~InitScope();
  InitScope(const InitScope&) = delete;
  InitScope& operator=(const InitScope&) = delete;

 private:
  std::vector<std::shared_ptr<Trace>> suspended_;
};

// A name scope on the innermost trace for a C++ scope (nothing in eager mode): nodes made inside
// carry it (Node::scope).
class NameScope {
 public:
  explicit NameScope(const std::string& name);
  ~NameScope();
  NameScope(const NameScope&) = delete;
  NameScope& operator=(const NameScope&) = delete;

 private:
  std::shared_ptr<Trace> trace_;
};

// Opens a trace for a C++ scope.
class TraceScope {
 public:
  explicit TraceScope(std::shared_ptr<Trace> trace) : trace_(std::move(trace)) {
    enter_trace(trace_);
  }
  ~TraceScope() { exit_trace(*trace_); }
  TraceScope(const TraceScope&) = delete;
  TraceScope& operator=(const TraceScope&) = delete;

 private:
  std::shared_ptr<Trace> trace_;
};

// ---- source locations ----
// Installs the process-wide location source (null: nodes carry no location).
void set_location_source(LocationSource source);
// The location nodes would get now (unknown when no source is installed or it has none).
SourceLoc user_location();
// Files whose path starts with `dir` belong to the host package (autograph/): a LocationSource
// skips their frames, so nodes are located at the user's code. Empty (the default): none do.
void set_package_dir(std::string dir);
bool in_package(std::string_view file);

// ---- ops ----
// Applies `op`: eagerly when no trace is open, else as a node of the innermost trace. Weak
// scalars take the promoted dtype of the tensor inputs (where's condition does not count).
Operand apply(OpKind op, const Input* inputs, size_t n, const OpAttrs& attrs = {});
inline Operand apply(OpKind op, std::initializer_list<Input> inputs, const OpAttrs& attrs = {}) {
  return apply(op, inputs.begin(), inputs.size(), attrs);
}

// ---- op observers (the gradient tape, runtime/autodiff/) ----
// Sees the eager ops and the variable reads of this thread while installed. The tracer does
// not depend on what observes it.
class OpObserver {
 public:
  virtual ~OpObserver() = default;
  // An eager op ran: `inputs` as given to apply(), `args` the tensors it ran on (weak scalars
  // materialized), `out` its result.
  virtual void on_eager_op(OpKind op, const Input* inputs, const Tensor* args, size_t n,
                           const OpAttrs& attrs, const Operand& out) = 0;
  // A variable was read: `out` is its value (eager) or its VarRead (staged).
  virtual void on_variable_read(const std::shared_ptr<Variable>& var, const Operand& out) = 0;
};
// Installs the observer of this thread (null removes it); returns the previous one.
OpObserver* set_op_observer(OpObserver* observer);
// Tells the observer about a variable read (read_variable calls it).
void notify_variable_read(const std::shared_ptr<Variable>& var, const Operand& out);

// ---- control flow (tracer_control.cpp; a trace must be open) ----
// A branch of cond: its results (values of enclosing graphs are captured).
using BranchFn = std::function<std::vector<Operand>()>;
using WhileCondFn = std::function<Operand(const std::vector<Operand>& loop_vars)>;
using WhileBodyFn = std::function<std::vector<Operand>(const std::vector<Operand>& loop_vars)>;

// Functional if over a scalar predicate; both branches return the same number of results of the
// same dtypes and ranks (GraphBuilder::cond).
// The checks of cond and while_loop themselves (branches disagree, a loop variable changes dtype
// or shape) break tracing rules: they throw StagingError, or LocatedError of ErrorKind::Staging.
// Errors thrown by the callbacks (the user's ops) pass through unchanged.
std::vector<Operand> cond(const Operand& pred, const BranchFn& then_fn, const BranchFn& else_fn);
// Functional while; `maximum_iterations` (an integer scalar) is optional; `invariants` (empty,
// or one optional shape per loop variable) types loop variables whose size may change.
std::vector<Operand> while_loop(const std::vector<Operand>& loop_vars, const WhileCondFn& cond_fn,
                                const WhileBodyFn& body_fn,
                                const std::optional<Operand>& maximum_iterations = std::nullopt,
                                const std::vector<std::optional<Shape>>& invariants = {});

// Calls graph function `callee` (a finished or still-traced top-level trace: a recursive
// function calls itself) on `args` in the innermost trace; its results have `results` specs.
// `own`: the innermost trace's graph keeps the callee alive (Graph::add_function); a call of a
// function being traced, from inside it, must not (the graph would own itself). An argument
// that does not fit the callee's param throws StagingError.
std::vector<Operand> call_function(const Trace& callee, const std::vector<Operand>& args,
                                   const std::vector<TensorSpec>& results, bool own);

// Side effects, in program order. A print item is literal text or a tensor.
using PrintItemArg = std::variant<std::string, Operand>;
void print(const std::vector<PrintItemArg>& items, std::string sep = " ", std::string end = "\n");
void assert_true(const Operand& pred, std::string message);

// ---- tensor lists (tracer_state.cpp; a trace must be open; each update returns a new list) ----
Operand list_new(const TensorSpec& element, const Operand* size, bool dynamic_size);
Operand list_push_back(const Operand& list, const Operand& item);
Operand list_get(const Operand& list, const Operand& index);
Operand list_set(const Operand& list, const Operand& index, const Operand& item);
Operand list_size(const Operand& list);
Operand list_stack(const Operand& list);
// (the list without element `index`, that element); -1 is the last.
std::pair<Operand, Operand> list_pop(const Operand& list, const Operand& index);

// ---- variables (tracer_state.cpp; eager or staged) ----
enum class AssignMode : uint8_t { Set, Add, Sub };
// The current value: a VarRead node while tracing, else the variable's tensor.
Operand read_variable(const std::shared_ptr<Variable>& var);
// Sets, adds to or subtracts from the variable; returns its new value.
Operand assign_variable(const std::shared_ptr<Variable>& var, const Operand& value,
                        AssignMode mode);
// The dtype an assigned value should be converted to before assign_variable: the variable's in
// eager mode, none while tracing (the graph casts when the assignment runs).
std::optional<DType> assign_value_dtype(const Variable& var);
// The mode named "set", "add" or "sub"; InvalidArgumentError otherwise.
AssignMode assign_mode(std::string_view name);
// A variable holding `initial`, which must be eager: StagingError for a symbolic value (variables
// are created outside staged functions).
std::shared_ptr<Variable> new_variable(const Operand& initial, const std::string& name);

}  // namespace xag::rt
