// The tracer's core: trace scopes, source locations and apply(), the one path every op takes.
#include "runtime/graph/tracer.h"

#include <optional>

#include "runtime/core/errors.h"

namespace xag::rt {

namespace {

// The traces open on this thread, innermost last (nested staged calls inline into the outermost
// trace, so there is usually one).
thread_local std::vector<std::shared_ptr<Trace>> t_traces;

LocationSource& location_source() {
  static LocationSource source;
  return source;
}

// The dtype weak scalars take in this op: the promotion of its tensor inputs (nullopt when it
// has none), skipping where's condition, whose dtype says nothing about the result.
std::optional<DType> typed_dtype(OpKind op, const Input* inputs, size_t n) {
  std::optional<DType> typed;
  for (size_t i = op == OpKind::Where ? 1 : 0; i < n; ++i) {
    if (inputs[i].is_scalar()) continue;
    const DType dt = inputs[i].tensor().dtype();
    typed = typed ? promote(*typed, dt) : dt;
  }
  return typed;
}

Tensor weak_tensor(const WeakScalar& s, const std::optional<DType>& typed) {
  return scalar_tensor(s, typed ? weak_dtype(s, *typed) : default_dtype(s));
}

// Eager mode: the kernels run at once on the inputs' tensors.
Operand run_eager(OpKind op, const Input* inputs, size_t n, const OpAttrs& attrs,
                  const std::optional<DType>& typed) {
  constexpr size_t kInline = 4;  // every op but concat/stack of many tensors
  Tensor inline_values[kInline];
  std::vector<Tensor> heap_values;
  Tensor* values = inline_values;
  if (n > kInline) {
    heap_values.resize(n);
    values = heap_values.data();
  }
  for (size_t i = 0; i < n; ++i) {
    const Input& in = inputs[i];
    if (in.is_scalar()) {
      values[i] = weak_tensor(in.scalar(), typed);
    } else if (in.tensor().symbolic()) {
      throw StagingError(std::string(op_name(op)) +
                         ": a symbolic tensor was used outside the staged function that made it "
                         "(return it from the function instead of keeping it in a global)");
    } else {
      values[i] = in.tensor().value;
    }
  }
  return Operand(run(op, values, n, attrs));
}

}  // namespace

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

Operand Trace::symbolic(Value v) {
  Operand t;
  t.sym = std::make_shared<const Symbol>(Symbol{v, shared_from_this()});
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
  t_traces.push_back(std::move(trace));
}

void exit_trace(const Trace& trace) {
  if (!t_traces.empty() && t_traces.back().get() == &trace) t_traces.pop_back();
}

bool tracing() {
  return !t_traces.empty();
}

Trace& current_trace(const char* what) {
  if (t_traces.empty()) throw InternalError(std::string(what) + ": no graph is being traced");
  return *t_traces.back();
}

// ---- locations ----

void set_location_source(LocationSource source) {
  location_source() = std::move(source);
}

SourceLoc user_location() {
  SourceLoc loc;
  const LocationSource& source = location_source();
  if (source) source(SourceLoc{}, &loc);
  return loc;
}

// ---- apply ----

Operand apply(OpKind op, const Input* inputs, size_t n, const OpAttrs& attrs) {
  const std::optional<DType> typed = typed_dtype(op, inputs, n);
  if (t_traces.empty()) return run_eager(op, inputs, n, attrs, typed);
  Trace& tr = *t_traces.back();
  tr.locate();
  std::vector<Value> values;
  values.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const Input& in = inputs[i];
    values.push_back(in.is_scalar() ? tr.builder().constant(weak_tensor(in.scalar(), typed))
                                    : tr.value_of(in.tensor()));
  }
  return tr.symbolic(tr.builder().op(op, values, attrs));
}

}  // namespace xag::rt
