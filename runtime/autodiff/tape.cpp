#include "runtime/autodiff/tape.h"

#include <algorithm>
#include <string>

#include "runtime/autodiff/grad_rule.h"
#include "runtime/autodiff/staged_backprop.h"

namespace xag::rt::autodiff {

namespace {

// The tapes recording on this thread, as the tracer's observer (installed while there is one).
class ThreadTapes : public OpObserver {
 public:
  void add(GradientTape* t) {
    if (std::find(tapes_.begin(), tapes_.end(), t) != tapes_.end()) return;
    tapes_.push_back(t);
    if (tapes_.size() == 1) set_op_observer(this);
  }
  void remove(GradientTape* t) {
    tapes_.erase(std::remove(tapes_.begin(), tapes_.end(), t), tapes_.end());
    if (tapes_.empty()) set_op_observer(nullptr);
  }
  void on_eager_op(OpKind op, const Input* inputs, const Tensor* args, size_t n,
                   const OpAttrs& attrs, const Operand& out) override {
    for (GradientTape* t : tapes_)
      if (t->recording()) t->record_op(op, inputs, args, n, attrs, out);
  }
  bool eager_recording() const {
    for (GradientTape* t : tapes_)
      if (t->recording() && !t->staged()) return true;
    return false;
  }
  void on_variable_read(const std::shared_ptr<Variable>& var, const Operand& out) override {
    for (GradientTape* t : tapes_)
      if (t->recording()) t->record_read(var, out);
  }

 private:
  std::vector<GradientTape*> tapes_;
};

thread_local ThreadTapes t_tapes;

}  // namespace

bool eager_tape_recording() {
  return t_tapes.eager_recording();
}

GradientTape::GradientTape(bool persistent, bool watch_accessed_variables)
    : persistent_(persistent), watch_accessed_variables_(watch_accessed_variables) {}

GradientTape::~GradientTape() {
  t_tapes.remove(this);
}

void GradientTape::start() {
  if (used_) {
    throw InvalidArgumentError(
        "GradientTape: this non-persistent tape was used already; create a new tape (or one "
        "with persistent=True)");
  }
  if (tracing()) {
    Trace& tr = current_trace("GradientTape");
    if (started_ && region_.trace.get() != &tr) {
      throw StagingError("GradientTape: a tape cannot be reopened in another staged function");
    }
    if (!started_) {
      region_.trace = tr.shared_from_this();
      region_.graph = &tr.builder().current();
      region_.begin = node_count();
    }
  } else if (staged()) {
    throw StagingError(
        "GradientTape: a tape opened in a staged function cannot be reopened "
        "outside it");
  }
  started_ = true;
  recording_ = true;
  region_.end = 0;
  t_tapes.add(this);
}

void GradientTape::stop() {
  if (!started_) return;
  if (staged() && recording_) region_.end = node_count();
  recording_ = false;
  t_tapes.remove(this);
}

void GradientTape::pause() {
  if (!recording_) return;
  recording_ = false;
  if (staged()) region_.paused_at = node_count();
}

void GradientTape::resume() {
  if (recording_ || !started_) return;
  recording_ = true;
  if (staged()) region_.paused.emplace_back(region_.paused_at, node_count());
}

void GradientTape::watch(const Operand& t) {
  if (!is_floating(t.dtype())) return;  // nothing flows to integers (TensorFlow warns, we ignore)
  if (!t.symbolic()) {
    watched_.insert(t.id);
    return;
  }
  if (!staged() || t.sym->trace != region_.trace) {
    throw StagingError("GradientTape.watch: the tensor belongs to another staged function");
  }
  watched_values_.insert(region_.trace->builder().capture(t.sym->value));
}

void GradientTape::watch(const std::shared_ptr<Variable>& var) {
  watched_vars_.insert(var.get());
}

void GradientTape::record_op(OpKind op, const Input* inputs, const Tensor* args, size_t n,
                             const OpAttrs& attrs, const Operand& out) {
  if (staged() || !is_floating(out.dtype()) || !grad_rule(op)) return;
  bool watched = false;
  for (size_t i = 0; i < n && !watched; ++i)
    watched = !inputs[i].is_scalar() && watched_.count(inputs[i].tensor().id) > 0;
  if (!watched) return;
  const OpCategory category = op_category(op);
  const bool reads_attrs = !is_elementwise(category) && category != OpCategory::Select;
  Record r{op, reads_attrs ? std::make_unique<const OpAttrs>(attrs) : nullptr, {}, out};
  r.inputs.reserve(n);
  for (size_t i = 0; i < n; ++i)
    r.inputs.push_back(inputs[i].is_scalar() ? Operand(args[i]) : inputs[i].tensor());
  records_.push_back(std::move(r));
  watched_.insert(out.id);
}

void GradientTape::record_read(const std::shared_ptr<Variable>& var, const Operand& out) {
  const bool auto_watch = watch_accessed_variables_ && var->trainable();
  if (!auto_watch && !watched_vars_.count(var.get())) return;
  if (!is_floating(var->spec().dtype)) return;
  watched_vars_.insert(var.get());  // its reads inside staged ifs and loops count too
  if (!out.symbolic()) {
    reads_[out.id] = var;
    watched_.insert(out.id);
  }
}

void GradientTape::check_usable(const char* what) const {
  if (used_) {
    throw InvalidArgumentError(
        std::string(what) +
        ": a non-persistent GradientTape can compute gradients only once; create it with "
        "GradientTape(persistent=True) to call gradient() or jacobian() more than once");
  }
  if (!started_) throw InvalidArgumentError(std::string(what) + ": the tape recorded nothing");
}

Unconnected unconnected_mode(const std::string& name) {
  if (name == "none") return Unconnected::None;
  if (name == "zero") return Unconnected::Zero;
  throw InvalidArgumentError(
      "GradientTape.gradient: unconnected_gradients must be 'none' or 'zero', got '" + name + "'");
}

std::vector<std::optional<Operand>> GradientTape::gradient(
    const std::vector<Operand>& targets, const std::vector<Source>& sources,
    const std::vector<std::optional<Operand>>& output_gradients, Unconnected unconnected,
    bool last_use) {
  check_usable("GradientTape.gradient");
  if (!output_gradients.empty() && output_gradients.size() != targets.size()) {
    throw InvalidArgumentError("GradientTape.gradient: " + std::to_string(targets.size()) +
                               " targets but " + std::to_string(output_gradients.size()) +
                               " output_gradients");
  }
  // The gradient's own ops are not recorded on this tape (an outer tape records them).
  const bool was_recording = recording_;
  pause();
  std::vector<std::optional<Operand>> out;
  try {
    out = staged() ? staged_gradient(targets, sources, output_gradients)
                   : eager_gradient(targets, sources, output_gradients);
  } catch (...) {
    if (was_recording) resume();
    throw;
  }
  if (was_recording) resume();
  if (unconnected == Unconnected::Zero) {
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i]) continue;
      const Operand like =
          sources[i].variable ? read_variable(sources[i].variable) : sources[i].tensor;
      out[i] = apply(OpKind::ZerosLike, {like});
    }
  }
  if (!persistent_ && last_use) {
    used_ = true;
    records_.clear();
    reads_.clear();
  }
  return out;
}

namespace {

Operand seed(const Operand& target, const std::optional<Operand>& given) {
  if (!given) return apply(OpKind::OnesLike, {target});
  if (given->dtype() == target.dtype()) return *given;
  OpAttrs cast;
  cast.dtype = target.dtype();
  cast.has_dtype = true;
  return apply(OpKind::Cast, {*given}, cast);
}

}  // namespace

std::vector<std::optional<Operand>> GradientTape::eager_gradient(
    const std::vector<Operand>& targets, const std::vector<Source>& sources,
    const std::vector<std::optional<Operand>>& output_gradients) {
  std::unordered_map<uint64_t, Operand> grads;
  auto add = [&](uint64_t id, const Operand& g) {
    auto [it, fresh] = grads.emplace(id, g);
    if (!fresh) it->second = apply(OpKind::Add, {it->second, g});
  };
  for (size_t i = 0; i < targets.size(); ++i) {
    const Operand& t = targets[i];
    if (t.symbolic()) {
      throw StagingError(
          "GradientTape.gradient: the target is a symbolic tensor but the tape "
          "was opened outside the staged function");
    }
    if (is_floating(t.dtype()) && watched_.count(t.id))
      add(t.id, seed(t, output_gradients.empty() ? std::nullopt : output_gradients[i]));
  }
  for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
    const auto found = grads.find(it->output.id);
    if (found == grads.end()) continue;
    const Operand dy = found->second;
    static const OpAttrs kNoAttrs;
    const OpAttrs& attrs = it->attrs ? *it->attrs : kNoAttrs;
    const InputGrads g = grad_rule(it->op)(OpCall{it->op, attrs, it->inputs, it->output}, dy);
    for (size_t i = 0; i < it->inputs.size() && i < g.size(); ++i) {
      const Operand& in = it->inputs[i];
      if (g[i] && is_floating(in.dtype()) && watched_.count(in.id)) add(in.id, *g[i]);
    }
  }
  std::vector<std::optional<Operand>> out;
  for (const Source& s : sources) {
    std::optional<Operand> g;
    auto sum = [&](uint64_t id) {
      auto f = grads.find(id);
      if (f == grads.end()) return;
      g = g ? apply(OpKind::Add, {*g, f->second}) : f->second;
    };
    if (s.variable) {
      for (const auto& [id, var] : reads_)
        if (var == s.variable) sum(id);
    } else {
      sum(s.tensor.id);
    }
    out.push_back(g);
  }
  return out;
}

std::vector<Node*> GradientTape::region_nodes() const {
  const auto& nodes = region_.graph->nodes();
  const size_t end = recording_ || region_.end == 0 ? nodes.size() : region_.end;
  std::vector<Node*> out;
  size_t span = 0;
  for (size_t i = region_.begin; i < end && i < nodes.size(); ++i) {
    while (span < region_.paused.size() && region_.paused[span].second <= i) ++span;
    if (span < region_.paused.size() && region_.paused[span].first <= i) continue;
    out.push_back(nodes[i].get());
  }
  return out;
}

std::vector<std::optional<Operand>> GradientTape::staged_gradient(
    const std::vector<Operand>& targets, const std::vector<Source>& sources,
    const std::vector<std::optional<Operand>>& output_gradients) {
  Trace& tr = current_trace("GradientTape.gradient");
  if (&tr != region_.trace.get()) {
    throw StagingError("GradientTape.gradient: the tape was opened in another staged function");
  }
  GraphBuilder& b = tr.builder();
  if (&b.current() != region_.graph) {
    throw StagingError(
        "GradientTape.gradient: call it in the same block as the `with GradientTape()` "
        "(not inside a staged if or loop the tape is outside of, or the other way round)");
  }
  const std::vector<Node*> nodes = region_nodes();
  VariableSet vars(watched_vars_.begin(), watched_vars_.end());
  // A value's key: the value in the tape's graph (values of enclosing graphs are captured).
  auto key = [&](const Operand& t) -> Value {
    if (!t.symbolic() || t.sym->trace.get() != &tr) return Value{};
    return b.capture(t.sym->value);
  };
  const bool was_backward = b.set_backward(true);
  struct Restore {
    GraphBuilder& b;
    bool was;
    ~Restore() { b.set_backward(was); }
  } restore{b, was_backward};

  StagedBackprop bp(tr, vars);
  bp.mark_active(nodes, watched_values_);
  for (size_t i = 0; i < targets.size(); ++i) {
    const Value v = key(targets[i]);
    if (!v.valid() || !bp.active(v)) continue;
    const Operand s =
        seed(targets[i], output_gradients.empty() ? std::nullopt : output_gradients[i]);
    bp.accumulate(v, tr.value_of(s));
  }
  bp.run(nodes);
  std::vector<std::optional<Operand>> out;
  for (const Source& s : sources) {
    Value g;
    if (s.variable) {
      g = bp.variable_gradient(s.variable.get());
    } else if (const Value v = key(s.tensor); v.valid()) {
      g = bp.gradient_of(v);
    }
    out.push_back(g.valid() ? std::optional<Operand>(tr.symbolic(g)) : std::nullopt);
  }
  return out;
}

}  // namespace xag::rt::autodiff
