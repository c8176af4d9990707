// The tracer's core: trace scopes, source locations and apply(), the one path every op takes.
#include "runtime/graph/tracer.h"

#include <atomic>
#include <new>
#include <optional>

#include "runtime/core/errors.h"

namespace xag::rt {

namespace {

// The traces open on this thread, innermost last (nested staged calls inline into the outermost
// trace, so there is usually one).
thread_local std::vector<std::shared_ptr<Trace>> t_traces;
// t_traces.back() or null: every op reads it, and a trivially destructible thread_local is one
// TLS lookup where the vector needs an initialization guard too.
thread_local Trace* t_innermost = nullptr;
// The gradient tapes' observer, when a tape records on this thread.
thread_local OpObserver* t_observer = nullptr;

LocationSource& location_source() {
  static LocationSource source;
  return source;
}

// bool < integer < float; other dtypes (strings) rank above all, so nothing is cast to them.
int kind_rank(DType dt) {
  if (dt == DType::Bool) return 0;
  if (is_integer(dt)) return 1;
  return is_floating(dt) ? 2 : 3;
}

bool is_weak_tensor(const Input& in) {
  return !in.is_scalar() && in.tensor().sym && in.tensor().sym->weak;
}

// Ops whose operands meet element by element: there weak operands take the others' dtype.
bool weak_rules_apply(OpKind op) {
  const OpCategory c = op_category(op);
  return c == OpCategory::Binary || c == OpCategory::Compare || c == OpCategory::Select;
}

// The dtype weak operands take in this op: the promotion of its strongly typed tensor inputs;
// with none, of its weak tensors; nullopt when it has no tensor input. Where's condition is
// skipped: its dtype says nothing about the result.
std::optional<DType> typed_dtype(OpKind op, const Input* inputs, size_t n) {
  std::optional<DType> strong, weak;
  const bool weak_tensors_count = weak_rules_apply(op);
  const bool compare = op_category(op) == OpCategory::Compare;
  for (size_t i = op == OpKind::Where ? 1 : 0; i < n; ++i) {
    if (inputs[i].is_scalar()) continue;
    const DType dt = inputs[i].tensor().dtype();
    if (weak_tensors_count && is_weak_tensor(inputs[i])) {
      // Python numbers of two kinds meet as Python's do: an int with a float is the float
      // (float32), not NumPy's int32 + float32 = float64. Comparisons keep the exact promotion
      // (their result is a bool either way).
      weak = !weak                                          ? dt
             : compare || kind_rank(dt) == kind_rank(*weak) ? promote(*weak, dt)
             : kind_rank(dt) > kind_rank(*weak)             ? dt
                                                            : *weak;
    } else {
      strong = strong ? promote(*strong, dt) : dt;
    }
  }
  return strong ? strong : weak;
}

// Whether the op has strongly typed tensor inputs (not counting where's condition).
bool has_strong_tensor(OpKind op, const Input* inputs, size_t n) {
  for (size_t i = op == OpKind::Where ? 1 : 0; i < n; ++i)
    if (!inputs[i].is_scalar() && !is_weak_tensor(inputs[i])) return true;
  return false;
}

Tensor weak_tensor(const WeakScalar& s, const std::optional<DType>& typed) {
  return scalar_tensor(s, typed ? weak_dtype(s, *typed) : default_dtype(s));
}

// The input tensors of one eager op, constructed in place: an op on scalars is a few hundred ns,
// so default-constructing unused slots would show.
class EagerArgs {
 public:
  explicit EagerArgs(size_t n) : n_(n) {
    if (n > kInline) heap_.reserve(n);
  }
  ~EagerArgs() {
    if (n_ <= kInline) {
      for (size_t i = 0; i < built_; ++i) slot(i)->~Tensor();
    }
  }
  EagerArgs(const EagerArgs&) = delete;
  EagerArgs& operator=(const EagerArgs&) = delete;

  template <class T>  // const Tensor& or Tensor&&: constructed straight into its slot
  void push(T&& t) {
    if (n_ > kInline) {
      heap_.push_back(std::forward<T>(t));
    } else {
      new (slot(built_)) Tensor(std::forward<T>(t));
    }
    ++built_;
  }
  const Tensor* data() const { return n_ > kInline ? heap_.data() : slot(0); }

 private:
  static constexpr size_t kInline = 4;  // every op but concat/stack of many tensors
  Tensor* slot(size_t i) const {
    return std::launder(reinterpret_cast<Tensor*>(const_cast<unsigned char*>(storage_)) + i);
  }

  size_t n_;
  size_t built_ = 0;
  alignas(Tensor) unsigned char storage_[kInline * sizeof(Tensor)];
  std::vector<Tensor> heap_;
};

// SPEC §3 (as JAX): a Python float meeting only integer or bool tensors in an element-wise op
// makes it a float32 op, where promotion alone (int32 with float32) would give float64. True
// when `inputs` are such; their tensors are then cast to float32 first (apply_widened).
bool weak_float_widens(OpKind op, const Input* inputs, size_t n) {
  if (op_dtype_rule(op) == DTypeRule::PromoteFloat && !has_strong_tensor(op, inputs, n)) {
    // True division of Python numbers alone (`i / 2` with a range counter i) is a Python
    // float: float32, where NumPy's int / int is float64.
    const std::optional<DType> typed = typed_dtype(op, inputs, n);
    return typed && !is_floating(*typed);
  }
  bool has_float = false;
  for (size_t i = 0; i < n; ++i) {
    has_float |= inputs[i].is_scalar() && inputs[i].scalar().kind == WeakScalar::Kind::Float;
    has_float |= is_weak_tensor(inputs[i]) && is_floating(inputs[i].tensor().dtype());
  }
  if (!has_float) return false;
  const OpCategory c = op_category(op);
  if (c != OpCategory::Binary && c != OpCategory::Compare && c != OpCategory::Select) return false;
  const std::optional<DType> typed = typed_dtype(op, inputs, n);
  return typed && !is_floating(*typed);
}

// Eager mode: the kernels run at once on the inputs' tensors.
Operand run_eager(OpKind op, const Input* inputs, size_t n, const OpAttrs& attrs) {
  EagerArgs args(n);
  std::optional<std::optional<DType>> typed;  // computed at the first weak scalar
  for (size_t i = 0; i < n; ++i) {
    const Input& in = inputs[i];
    if (in.is_scalar()) {
      if (!typed) typed = typed_dtype(op, inputs, n);
      args.push(weak_tensor(in.scalar(), *typed));
    } else if (in.tensor().symbolic()) {
      throw StagingError(std::string(op_name(op)) +
                         ": a symbolic tensor was used outside the staged function that made it "
                         "(return it from the function instead of keeping it in a global)");
    } else {
      args.push(in.tensor().value);
    }
  }
  Operand out(run(op, args.data(), n, attrs));
  if (t_observer) t_observer->on_eager_op(op, inputs, args.data(), n, attrs, out);
  return out;
}

}  // namespace

// ---- Operand ----

uint64_t Operand::next_id() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

OpObserver* set_op_observer(OpObserver* observer) {
  OpObserver* previous = t_observer;
  t_observer = observer;
  return previous;
}

void notify_variable_read(const std::shared_ptr<Variable>& var, const Operand& out) {
  if (t_observer) t_observer->on_variable_read(var, out);
}

// ---- Trace ----

Trace::Trace(std::string name)
    : graph_(std::make_shared<Graph>(std::move(name))), builder_(*graph_) {}

std::shared_ptr<Trace> Trace::create(std::string name) {
  return std::shared_ptr<Trace>(new Trace(std::move(name)));
}

Operand Trace::placeholder(const TensorSpec& spec, std::string name) {
  return symbolic(builder_.placeholder(spec, std::move(name)));
}

void Trace::set_outputs(const std::vector<Operand>& outputs) {
  locate();
  std::vector<Value> vs;
  vs.reserve(outputs.size());
  for (const Operand& o : outputs) vs.push_back(value_of(o));
  builder_.set_outputs(vs);
}

Value Trace::value_of(const Operand& t) {
  if (!t.symbolic()) return builder_.constant(t.value);
  if (t.sym->trace.get() != this) {
    throw StagingError(
        "a symbolic tensor of another staged function was used here (keep tensors made while "
        "tracing inside that function, or return them)");
  }
  return t.sym->value;
}

Operand Trace::symbolic(Value v, bool weak) {
  Operand t;
  t.sym = std::make_shared<const Symbol>(Symbol{v, shared_from_this(), weak});
  return t;
}

std::vector<Operand> Trace::symbolic(const std::vector<Value>& vs) {
  std::vector<Operand> out;
  out.reserve(vs.size());
  for (const Value& v : vs) out.push_back(symbolic(v));
  return out;
}

void Trace::locate() {
  const LocationSource& source = location_source();
  if (!source) return;
  SourceLoc loc;
  if (source(builder_.location(), &loc)) builder_.set_location(std::move(loc));
}

// ---- scopes ----

void enter_trace(std::shared_ptr<Trace> trace) {
  t_innermost = trace.get();
  t_traces.push_back(std::move(trace));
}

void exit_trace(const Trace& trace) {
  if (t_innermost != &trace) return;
  t_traces.pop_back();
  t_innermost = t_traces.empty() ? nullptr : t_traces.back().get();
}

InitScope::InitScope() : suspended_(std::move(t_traces)) {
  t_traces.clear();
  t_innermost = nullptr;
}

InitScope::~InitScope() {
  t_traces = std::move(suspended_);
  t_innermost = t_traces.empty() ? nullptr : t_traces.back().get();
}

NameScope::NameScope(const std::string& name) {
  if (!t_innermost) return;
  trace_ = t_innermost->shared_from_this();
  trace_->builder().push_scope(name);
}

NameScope::~NameScope() {
  if (trace_) trace_->builder().pop_scope();
}

bool tracing() {
  return t_innermost != nullptr;
}

Trace& current_trace(const char* what) {
  if (!t_innermost) throw InternalError(std::string(what) + ": no graph is being traced");
  return *t_innermost;
}

// ---- locations ----

void set_location_source(LocationSource source) {
  location_source() = std::move(source);
}

namespace {
std::string g_package_dir;  // set once when the host package is imported
}  // namespace

void set_package_dir(std::string dir) {
  g_package_dir = std::move(dir);
}

bool in_package(std::string_view file) {
  return !g_package_dir.empty() && file.substr(0, g_package_dir.size()) == g_package_dir;
}

SourceLoc user_location() {
  SourceLoc loc;
  const LocationSource& source = location_source();
  if (source) source(SourceLoc{}, &loc);
  return loc;
}

// ---- apply ----

namespace {

// `op` with its integer and bool tensor inputs (but where's condition) cast to float32
// (weak_float_widens). A cast of a weak tensor stays weak.
Operand apply_widened(OpKind op, const Input* inputs, size_t n, const OpAttrs& attrs) {
  std::vector<Operand> cast;
  cast.reserve(n);  // (no reallocation: `widened` points into it)
  std::vector<Input> widened(inputs, inputs + n);
  for (size_t i = op == OpKind::Where ? 1 : 0; i < n; ++i) {
    if (inputs[i].is_scalar() || is_floating(inputs[i].tensor().dtype())) continue;
    cast.push_back(apply(OpKind::Cast, {inputs[i]}, OpAttrs::with_dtype(DType::Float32)));
    if (is_weak_tensor(inputs[i])) cast.back() = weakly_typed(cast.back());
    widened[i] = cast.back();
  }
  return apply(op, widened.data(), n, attrs);
}

// The graph value of a weak tensor input in an op whose strongly typed inputs promote to
// `typed`: cast to it when its kind is the same or lower (bool < integer < float).
Value weak_operand(Trace& tr, const Operand& t, DType typed) {
  const Value v = tr.value_of(t);
  const DType dt = t.dtype();
  if (dt == typed || kind_rank(dt) > kind_rank(typed)) return v;
  return tr.builder().op(OpKind::Cast, {v}, OpAttrs::with_dtype(typed));
}

}  // namespace

Operand apply(OpKind op, const Input* inputs, size_t n, const OpAttrs& attrs) {
  if (weak_float_widens(op, inputs, n)) return apply_widened(op, inputs, n, attrs);
  Trace* innermost = t_innermost;
  if (!innermost) return run_eager(op, inputs, n, attrs);
  Trace& tr = *innermost;
  tr.locate();
  const std::optional<DType> typed = typed_dtype(op, inputs, n);
  const bool weak_rules = weak_rules_apply(op);
  const bool strong = !weak_rules || has_strong_tensor(op, inputs, n);
  bool any_weak_tensor = false;
  std::vector<Value> values;
  values.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const Input& in = inputs[i];
    if (in.is_scalar()) {
      values.push_back(tr.builder().constant(weak_tensor(in.scalar(), typed)));
    } else if (weak_rules && is_weak_tensor(in) && !(op == OpKind::Where && i == 0)) {
      any_weak_tensor = true;
      values.push_back(weak_operand(tr, in.tensor(), *typed));
    } else {
      values.push_back(tr.value_of(in.tensor()));
    }
  }
  // Weak operands alone give a weak result (a Python number's arithmetic is still one);
  // comparisons give a strong bool.
  const bool weak_result = any_weak_tensor && !strong && op_category(op) != OpCategory::Compare;
  Operand out = tr.symbolic(tr.builder().op(op, values, attrs), weak_result);
  // So does a unary op that keeps its weak operand's dtype: `abs(n)` and `-n` of a Python int
  // are Python ints (an int32 from a strongly typed `abs(z)` would make `y // (abs(z) + 1)`
  // float64 with a float32 y, where Python gives float32).
  if (op_category(op) == OpCategory::Unary && n == 1 && is_weak_tensor(inputs[0]) &&
      out.dtype() == inputs[0].tensor().dtype())
    out = weakly_typed(out);
  return out;
}

Operand weakly_typed(const Operand& t) {
  if (!t.sym || t.sym->weak) return t;
  Operand out = t;
  out.sym = std::make_shared<const Symbol>(Symbol{t.sym->value, t.sym->trace, true});
  return out;
}

}  // namespace xag::rt
