// GraphBuilder: typed node creation, automatic captures into subgraphs, automatic control
// dependencies between side effects.
#include "runtime/graph/builder.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace xag::rt {

namespace {

std::string describe(const Type& t) {
  return t.to_string();
}

bool is_int_scalar(const Type& t) {
  return !t.is_list() && t.spec.shape.rank() == 0 && is_integer(t.spec.dtype);
}

// `b` is at least as specific as `a`: same rank, and every known dim of `a` equals b's dim.
bool refines(const Shape& a, const Shape& b) {
  if (a.rank() != b.rank()) return false;
  for (int i = 0; i < a.rank(); ++i)
    if (a[i] != kUnknownDim && a[i] != b[i]) return false;
  return true;
}

// Pops the subgraph scope even when the user's function throws.
struct ScopeGuard {
  std::function<void()> pop;
  ~ScopeGuard() {
    if (pop) pop();
  }
};

}  // namespace

GraphBuilder::GraphBuilder(Graph& graph) : root_(&graph) {
  stack_.push_back(&graph);
  captures_.emplace_back();
  Node* last = nullptr;
  for (const auto& n : graph.nodes())
    if (n->is_ordered()) last = n.get();
  last_ordered_.push_back(last);
}

Node* GraphBuilder::add(std::unique_ptr<Node> node) {
  if (!node->loc.known()) node->loc = loc_;
  node->backward = node->backward || backward_;
  if (node->scope.empty()) node->scope = scope_;
  const bool ordered = node->is_ordered();
  if (ordered && last_ordered_.back()) node->control_deps.push_back(last_ordered_.back());
  Node* n = current().insert_node(std::move(node));
  if (ordered) last_ordered_.back() = n;
  return n;
}

Value GraphBuilder::capture(Value v) {
  if (!v.valid()) throw InvalidArgumentError("graph builder: an undefined value was used");
  if (v.graph() == &current()) return v;
  for (size_t level = stack_.size(); level-- > 0;) {
    if (stack_[level] == v.graph()) return capture_into(stack_.size() - 1, v);
  }
  throw LocatedError(
      "graph builder: a value of graph '" + v.graph()->name() +
          "' is used outside it (values made inside a finished branch or loop body cannot be "
          "used after it; return them from the branch or body instead)",
      loc_);
}

Value GraphBuilder::capture_into(size_t level, Value v) {
  if (stack_[level] == v.graph()) return v;
  const Value outer = capture_into(level - 1, v);
  Captures& caps = captures_[level];
  auto it = caps.param_of.find(outer);
  if (it != caps.param_of.end()) return it->second;
  // Appended, not inserted after the params: build_subgraph hoists the params when done.
  const Value param = stack_[level]->append_param(outer.type());
  param.node->loc = outer.node->loc;
  caps.in_order.emplace_back(outer, param);
  caps.param_of.emplace(outer, param);
  return param;
}

Value GraphBuilder::placeholder(const TensorSpec& spec, std::string name) {
  if (stack_.size() != 1) {
    throw LocatedError("graph builder: placeholders can only be added to the top-level graph",
                       loc_);
  }
  Value v = root_->add_param(Type::tensor(spec), std::move(name));
  v.node->loc = loc_;
  return v;
}

Value GraphBuilder::constant(const Tensor& value) {
  if (!value.defined()) throw LocatedError("constant: the tensor is undefined", loc_);
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::Const;
  n->value = value.host();  // graph constants live on the host; a placed run moves them
  n->outputs.push_back(Type::tensor(TensorSpec{value.dtype(), value.shape()}));
  return add(std::move(n))->out(0);
}

Value GraphBuilder::op(OpKind op, const std::vector<Value>& inputs, const OpAttrs& attrs) {
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::Op;
  n->op = op;
  n->attrs = attrs;
  std::vector<TensorSpec> specs;
  for (const Value& v : inputs) {
    const Value c = capture(v);
    if (c.is_list()) {
      throw LocatedError(std::string(op_name(op)) + ": input " + std::to_string(specs.size()) +
                             " is a tensor list; stack it first",
                         loc_);
    }
    n->inputs.push_back(c);
    specs.push_back(c.spec());
  }
  try {
    n->outputs.push_back(Type::tensor(infer(op, specs.data(), specs.size(), attrs)));
  } catch (const LocatedError&) {
    throw;
  } catch (const InvalidArgumentError& e) {
    throw LocatedError(e.what(), loc_);
  }
  return add(std::move(n))->out(0);
}

std::unique_ptr<Graph> GraphBuilder::build_subgraph(const std::string& name,
                                                    const std::vector<Type>& params,
                                                    const SubgraphFn& fn,
                                                    std::vector<Value>* captured) {
  auto g = std::make_unique<Graph>(name);
  std::vector<Value> args;
  for (const Type& t : params) {
    args.push_back(g->add_param(t));
    args.back().node->loc = loc_;
  }
  stack_.push_back(g.get());
  captures_.emplace_back();
  last_ordered_.push_back(nullptr);
  const SourceLoc saved_loc = loc_;
  {
    ScopeGuard guard{[this] {
      stack_.pop_back();
      captures_.pop_back();
      last_ordered_.pop_back();
    }};
    try {
      std::vector<Value> results = fn(args);
      for (Value& r : results) r = capture(r);
      g->set_outputs(std::move(results));
      g->hoist_params();
    } catch (...) {
      // Tensors the failed branch or body made may outlive it (in the traceback's frames).
      root_->bury(std::move(g));
      throw;
    }
    captured->clear();
    for (const auto& [outer, param] : captures_.back().in_order) captured->push_back(outer);
  }
  // The node itself belongs to the statement that opened the subgraph.
  loc_ = saved_loc;
  return g;
}

namespace {

// Reorders the capture params of `g` (after its `explicit_count` explicit params) to follow
// `all` (the union over sibling subgraphs), adding unused params for captures it lacks.
void align_captures(Graph& g, size_t explicit_count, const std::vector<Value>& own,
                    const std::vector<Value>& all) {
  std::vector<Value> params(g.params().begin(),
                            g.params().begin() + static_cast<std::ptrdiff_t>(explicit_count));
  const std::vector<Value> old = g.params();
  std::unordered_map<Value, size_t, ValueHash> index_of;
  for (size_t i = 0; i < own.size(); ++i) index_of.emplace(own[i], i);
  bool appended = false;
  for (const Value& outer : all) {
    auto it = index_of.find(outer);
    if (it != index_of.end()) {
      params.push_back(old[explicit_count + it->second]);
    } else {
      params.push_back(g.append_param(outer.type()));
      appended = true;
    }
  }
  if (appended) g.hoist_params();
  g.mutable_params() = std::move(params);
}

std::vector<Value> union_of(const std::vector<Value>& a, const std::vector<Value>& b) {
  std::vector<Value> u = a;
  std::unordered_set<Value, ValueHash> seen(a.begin(), a.end());
  for (const Value& v : b)
    if (seen.insert(v).second) u.push_back(v);
  return u;
}

}  // namespace

std::vector<Value> GraphBuilder::cond(Value pred, const std::vector<Value>& inputs,
                                      const SubgraphFn& then_fn, const SubgraphFn& else_fn) {
  pred = capture(pred);
  if (pred.is_list() || pred.spec().shape.rank() != 0) {
    throw LocatedError("cond: the predicate must be a scalar, got " + describe(pred.type()), loc_);
  }
  std::vector<Value> ins;
  std::vector<Type> types;
  for (const Value& v : inputs) {
    ins.push_back(capture(v));
    types.push_back(ins.back().type());
  }
  std::vector<Value> then_caps, else_caps;
  auto then_g = build_subgraph("then", types, then_fn, &then_caps);
  auto else_g = build_subgraph("else", types, else_fn, &else_caps);

  const auto& to = then_g->outputs();
  const auto& eo = else_g->outputs();
  if (to.size() != eo.size()) {
    throw LocatedError("cond: the true branch returns " + std::to_string(to.size()) +
                           " values but the false branch returns " + std::to_string(eo.size()),
                       loc_);
  }
  std::vector<Type> out_types;
  for (size_t i = 0; i < to.size(); ++i) {
    const Type& a = to[i].type();
    const Type& b = eo[i].type();
    if (a.kind != b.kind || a.spec.dtype != b.spec.dtype ||
        a.spec.shape.rank() != b.spec.shape.rank()) {
      throw LocatedError("cond: output " + std::to_string(i) + " is " + describe(a) +
                             " in the true branch but " + describe(b) +
                             " in the false branch; both branches must produce the same dtype "
                             "and rank",
                         loc_);
    }
    Type t = a;
    for (int d = 0; d < t.spec.shape.rank(); ++d)
      if (a.spec.shape[d] != b.spec.shape[d]) t.spec.shape[d] = kUnknownDim;
    out_types.push_back(t);
  }

  const std::vector<Value> all = union_of(then_caps, else_caps);
  align_captures(*then_g, ins.size(), then_caps, all);
  align_captures(*else_g, ins.size(), else_caps, all);

  auto n = std::make_unique<Node>();
  n->kind = NodeKind::Cond;
  n->inputs.push_back(pred);
  n->inputs.insert(n->inputs.end(), ins.begin(), ins.end());
  n->inputs.insert(n->inputs.end(), all.begin(), all.end());
  n->outputs = std::move(out_types);
  n->subgraphs.push_back(std::move(then_g));
  n->subgraphs.push_back(std::move(else_g));
  Node* node = add(std::move(n));
  std::vector<Value> outs;
  for (size_t i = 0; i < node->outputs.size(); ++i) outs.push_back(node->out(static_cast<int>(i)));
  return outs;
}

std::vector<Value> GraphBuilder::while_loop(const std::vector<Value>& loop_vars,
                                            const LoopCondFn& cond_fn, const SubgraphFn& body_fn,
                                            Value maximum_iterations,
                                            const std::vector<std::optional<Shape>>& invariants) {
  std::vector<Value> vars;
  std::vector<Type> types;
  for (const Value& v : loop_vars) {
    vars.push_back(capture(v));
    types.push_back(vars.back().type());
  }
  for (size_t i = 0; i < invariants.size() && i < types.size(); ++i) {
    if (!invariants[i]) continue;
    if (types[i].is_list() || !refines(*invariants[i], types[i].spec.shape)) {
      throw LocatedError("while_loop: loop variable " + std::to_string(i) + " is " +
                             describe(types[i]) + ", which does not fit its shape invariant " +
                             invariants[i]->to_string(),
                         loc_);
    }
    types[i].spec.shape = *invariants[i];
  }
  if (maximum_iterations.valid()) {
    maximum_iterations = capture(maximum_iterations);
    if (!is_int_scalar(maximum_iterations.type())) {
      throw LocatedError("while_loop: maximum_iterations must be an integer scalar, got " +
                             describe(maximum_iterations.type()),
                         loc_);
    }
  }
  std::vector<Value> cond_caps, body_caps;
  auto cond_g = build_subgraph(
      "cond", types, [&](const std::vector<Value>& p) { return std::vector<Value>{cond_fn(p)}; },
      &cond_caps);
  const Type& ct = cond_g->outputs()[0].type();
  if (ct.is_list() || ct.spec.shape.rank() != 0) {
    throw LocatedError("while_loop: the condition must be a scalar, got " + describe(ct), loc_);
  }
  auto body_g = build_subgraph("body", types, body_fn, &body_caps);
  const auto& bo = body_g->outputs();
  if (bo.size() != vars.size()) {
    throw LocatedError("while_loop: the body returns " + std::to_string(bo.size()) +
                           " values for " + std::to_string(vars.size()) + " loop variables",
                       loc_);
  }
  for (size_t i = 0; i < bo.size(); ++i) {
    const Type& a = types[i];
    const Type& b = bo[i].type();
    if (a.kind != b.kind || a.spec.dtype != b.spec.dtype || !refines(a.spec.shape, b.spec.shape)) {
      throw LocatedError("while_loop: loop variable " + std::to_string(i) + " is " + describe(a) +
                             " on entry but " + describe(b) +
                             " after the body; a loop variable must keep its dtype and shape "
                             "across iterations",
                         loc_);
    }
  }

  const std::vector<Value> all = union_of(cond_caps, body_caps);
  align_captures(*cond_g, vars.size(), cond_caps, all);
  align_captures(*body_g, vars.size(), body_caps, all);

  auto n = std::make_unique<Node>();
  n->kind = NodeKind::While;
  n->num_loop_vars = static_cast<int>(vars.size());
  n->inputs = vars;
  n->inputs.insert(n->inputs.end(), all.begin(), all.end());
  if (maximum_iterations.valid()) {
    n->inputs.push_back(maximum_iterations);
    n->has_max_iterations = true;
  }
  n->outputs = types;
  n->subgraphs.push_back(std::move(cond_g));
  n->subgraphs.push_back(std::move(body_g));
  Node* node = add(std::move(n));
  std::vector<Value> outs;
  for (size_t i = 0; i < node->outputs.size(); ++i) outs.push_back(node->out(static_cast<int>(i)));
  return outs;
}

namespace {

Value checked_list(Value v, const char* what, const SourceLoc& loc) {
  if (!v.is_list()) {
    throw LocatedError(std::string(what) + ": expected a tensor list, got " + describe(v.type()),
                       loc);
  }
  return v;
}

void check_item(const Value& list, const Value& item, const char* what, const SourceLoc& loc) {
  const TensorSpec& e = list.spec();
  if (item.is_list() || item.spec().dtype != e.dtype ||
      !item.spec().shape.compatible_with(e.shape)) {
    throw LocatedError(std::string(what) + ": cannot store a " + describe(item.type()) +
                           " in a list of " + e.to_string() +
                           " elements (every element must have the list's dtype and shape)",
                       loc);
  }
}

void check_index(const Value& index, const char* what, const SourceLoc& loc) {
  if (!is_int_scalar(index.type())) {
    throw LocatedError(
        std::string(what) + ": the index must be an integer scalar, got " + describe(index.type()),
        loc);
  }
}

}  // namespace

Value GraphBuilder::list_new(const TensorSpec& element, Value size, bool dynamic_size) {
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::ListNew;
  n->dynamic_size = dynamic_size;
  if (size.valid()) {
    size = capture(size);
    check_index(size, "tensor_list_new (size)", loc_);
    n->inputs.push_back(size);
  }
  n->outputs.push_back(Type::list(element));
  return add(std::move(n))->out(0);
}

Value GraphBuilder::list_push_back(Value list, Value item) {
  list = checked_list(capture(list), "tensor_list_push_back", loc_);
  item = capture(item);
  check_item(list, item, "tensor_list_push_back", loc_);
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::ListPushBack;
  n->inputs = {list, item};
  n->outputs.push_back(list.type());
  return add(std::move(n))->out(0);
}

Value GraphBuilder::list_get(Value list, Value index) {
  list = checked_list(capture(list), "tensor_list_get", loc_);
  index = capture(index);
  check_index(index, "tensor_list_get", loc_);
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::ListGet;
  n->inputs = {list, index};
  n->outputs.push_back(Type::tensor(list.spec()));
  return add(std::move(n))->out(0);
}

Value GraphBuilder::list_set(Value list, Value index, Value item) {
  list = checked_list(capture(list), "tensor_list_set", loc_);
  index = capture(index);
  item = capture(item);
  check_index(index, "tensor_list_set", loc_);
  check_item(list, item, "tensor_list_set", loc_);
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::ListSet;
  n->inputs = {list, index, item};
  n->outputs.push_back(list.type());
  return add(std::move(n))->out(0);
}

Value GraphBuilder::list_size(Value list) {
  list = checked_list(capture(list), "tensor_list_size", loc_);
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::ListSize;
  n->inputs = {list};
  n->outputs.push_back(Type::tensor(TensorSpec{DType::Int32, Shape{}}));
  return add(std::move(n))->out(0);
}

Value GraphBuilder::list_stack(Value list) {
  list = checked_list(capture(list), "tensor_list_stack", loc_);
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::ListStack;
  n->inputs = {list};
  TensorSpec s = list.spec();
  s.shape.insert(0, kUnknownDim);
  n->outputs.push_back(Type::tensor(s));
  return add(std::move(n))->out(0);
}

std::pair<Value, Value> GraphBuilder::list_pop(Value list, Value index) {
  list = checked_list(capture(list), "tensor_list_pop", loc_);
  index = capture(index);
  check_index(index, "tensor_list_pop", loc_);
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::ListPop;
  n->inputs = {list, index};
  // The item's type is the list's element type (from set_element_type or the first append), so
  // a popped value is as specific as what was stored.
  n->outputs.push_back(list.type());
  n->outputs.push_back(Type::tensor(list.spec()));
  Node* node = add(std::move(n));
  return {node->out(0), node->out(1)};
}

Node* GraphBuilder::print(const std::vector<PrintArg>& args, std::string sep, std::string end) {
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::Print;
  n->sep = std::move(sep);
  n->end = std::move(end);
  for (const PrintArg& a : args) {
    PrintItem item;
    if (a.value.valid()) {
      const Value v = capture(a.value);
      if (v.is_list())
        throw LocatedError("print: cannot print a tensor list; stack it first", loc_);
      item.input = static_cast<int>(n->inputs.size());
      n->inputs.push_back(v);
    } else {
      item.text = a.text;
    }
    n->print_items.push_back(std::move(item));
  }
  return add(std::move(n));
}

Node* GraphBuilder::assert_true(Value pred, std::string message) {
  pred = capture(pred);
  if (pred.is_list()) throw LocatedError("assert: the condition is a tensor list", loc_);
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::Assert;
  n->inputs = {pred};
  n->message = std::move(message);
  return add(std::move(n));
}

std::vector<Value> GraphBuilder::call(Graph* callee, const std::vector<Value>& inputs,
                                      const std::vector<Type>& outputs) {
  if (!callee || callee->owner())
    throw LocatedError("call: the callee is not a graph function", loc_);
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::Call;
  n->callee = callee;
  for (const Value& v : inputs) n->inputs.push_back(capture(v));
  n->outputs = outputs;
  Node* node = add(std::move(n));
  std::vector<Value> out;
  for (size_t i = 0; i < outputs.size(); ++i) out.push_back(node->out(static_cast<int>(i)));
  return out;
}

Value GraphBuilder::var_read(const std::shared_ptr<Variable>& var) {
  if (!var) throw LocatedError("var_read: the variable is null", loc_);
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::VarRead;
  n->variable = var;
  n->outputs.push_back(Type::tensor(var->spec()));
  return add(std::move(n))->out(0);
}

namespace {

const char* assign_name(NodeKind k) {
  return k == NodeKind::VarAssign      ? "assign"
         : k == NodeKind::VarAssignAdd ? "assign_add"
                                       : "assign_sub";
}

}  // namespace

static Value add_var_write(GraphBuilder& b, NodeKind kind, const std::shared_ptr<Variable>& var,
                           Value x, const SourceLoc& loc,
                           const std::function<Node*(std::unique_ptr<Node>)>& add) {
  const char* what = assign_name(kind);
  if (!var) throw LocatedError(std::string(what) + ": the variable is null", loc);
  x = b.capture(x);
  if (x.is_list()) throw LocatedError(std::string(what) + ": the value is a tensor list", loc);
  const TensorSpec& vs = var->spec();
  bool ok;
  if (kind == NodeKind::VarAssign) {
    ok = x.spec().shape.compatible_with(vs.shape);
  } else {
    auto s = try_broadcast_shapes(vs.shape, x.spec().shape);
    ok = s && s->compatible_with(vs.shape);
  }
  if (!ok) {
    throw LocatedError(std::string(what) + ": cannot use a value of shape " +
                           x.spec().shape.to_string() + " with a variable of shape " +
                           vs.shape.to_string(),
                       loc);
  }
  auto n = std::make_unique<Node>();
  n->kind = kind;
  n->variable = var;
  n->inputs = {x};
  n->outputs.push_back(Type::tensor(vs));
  return add(std::move(n))->out(0);
}

Value GraphBuilder::var_assign(const std::shared_ptr<Variable>& var, Value value) {
  return add_var_write(*this, NodeKind::VarAssign, var, value, loc_,
                       [this](std::unique_ptr<Node> n) { return add(std::move(n)); });
}

Value GraphBuilder::var_assign_add(const std::shared_ptr<Variable>& var, Value delta) {
  return add_var_write(*this, NodeKind::VarAssignAdd, var, delta, loc_,
                       [this](std::unique_ptr<Node> n) { return add(std::move(n)); });
}

Value GraphBuilder::var_assign_sub(const std::shared_ptr<Variable>& var, Value delta) {
  return add_var_write(*this, NodeKind::VarAssignSub, var, delta, loc_,
                       [this](std::unique_ptr<Node> n) { return add(std::move(n)); });
}

void GraphBuilder::set_outputs(const std::vector<Value>& outputs) {
  std::vector<Value> outs;
  for (const Value& v : outputs) outs.push_back(capture(v));
  current().set_outputs(std::move(outs));
}

}  // namespace xag::rt
