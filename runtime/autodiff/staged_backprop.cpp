// Staged reverse mode over op and tensor-list nodes; Cond and While are in grad_control.cpp and
// grad_while.cpp.
#include "runtime/autodiff/staged_backprop.h"

#include <string>

#include "runtime/autodiff/grad_rule.h"

namespace xag::rt::autodiff {

bool differentiable(const Type& t) {
  return is_floating(t.spec.dtype);
}

namespace {

void collect_reads(const Graph& g, const VariableSet& vars,
                   std::vector<std::shared_ptr<Variable>>& out, VariableSet& seen) {
  for (const auto& n : g.nodes()) {
    if (n->kind == NodeKind::VarRead && vars.count(n->variable.get()) &&
        seen.insert(n->variable.get()).second) {
      out.push_back(n->variable);
    }
    for (const auto& sub : n->subgraphs) collect_reads(*sub, vars, out, seen);
  }
}

}  // namespace

std::vector<std::shared_ptr<Variable>> variables_read(const Graph& g, const VariableSet& vars) {
  std::vector<std::shared_ptr<Variable>> out;
  VariableSet seen;
  if (!vars.empty()) collect_reads(g, vars, out, seen);
  return out;
}

StagedBackprop::StagedBackprop(Trace& trace, const VariableSet& variables)
    : tr_(trace), b_(trace.builder()), variables_(variables) {}

bool StagedBackprop::reads_variables(const Node& n) const {
  for (const auto& sub : n.subgraphs)
    if (!variables_read(*sub, variables_).empty()) return true;
  return false;
}

Value StagedBackprop::variable_gradient(const Variable* var) const {
  auto it = variable_grads_.find(var);
  return it == variable_grads_.end() ? Value{} : it->second;
}

void StagedBackprop::add_variable_gradient(const Variable* var, Value g) {
  auto [it, fresh] = variable_grads_.emplace(var, g);
  if (!fresh) it->second = b_.op(OpKind::Add, {it->second, g});
}

Value StagedBackprop::variable_zeros(const Variable& var) {
  OpAttrs attrs;
  attrs.shape = var.spec().shape;
  attrs.dtype = var.spec().dtype;
  attrs.has_dtype = true;
  return b_.op(OpKind::Zeros, {}, attrs);
}

void StagedBackprop::mark_active(const std::vector<Node*>& nodes,
                                 const std::unordered_set<Value, ValueHash>& sources) {
  for (const Value& v : sources) active_.insert(v);
  for (Node* n : nodes) {
    bool any = (n->kind == NodeKind::VarRead && variables_.count(n->variable.get())) ||
               ((n->kind == NodeKind::Cond || n->kind == NodeKind::While) && reads_variables(*n));
    for (const Value& in : n->inputs) any = any || active_.count(in) > 0;
    for (size_t i = 0; i < n->outputs.size(); ++i) {
      const Value out = n->out(static_cast<int>(i));
      if ((any || sources.count(out)) && differentiable(out.type())) active_.insert(out);
    }
  }
}

void StagedBackprop::accumulate(Value v, Value g) {
  auto [it, fresh] = grads_.emplace(v, g);
  if (fresh) return;
  if (v.is_list()) {
    // Lists are used linearly by converted code (each update makes a new list that replaces
    // the old one), so a list gets one gradient; two would need an element-wise list sum.
    throw StagingError(
        "gradient: a tensor list is used twice on the path to the target (read a list after "
        "appending to it, or stack it once and read the stacked tensor)");
  }
  it->second = b_.op(OpKind::Add, {it->second, g});
}

Value StagedBackprop::gradient_of(Value v) const {
  auto it = grads_.find(v);
  return it == grads_.end() ? Value{} : it->second;
}

void StagedBackprop::run(const std::vector<Node*>& nodes) {
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    Node& n = **it;
    bool has_grad = false;
    if (n.kind == NodeKind::VarRead) {
      const Value g = gradient_of(n.out(0));
      if (g.valid() && variables_.count(n.variable.get()))
        add_variable_gradient(n.variable.get(), g);
      continue;
    }
    for (size_t i = 0; i < n.outputs.size() && !has_grad; ++i)
      has_grad = grads_.count(n.out(static_cast<int>(i))) > 0;
    if (!has_grad) continue;
    switch (n.kind) {
      case NodeKind::Op:
        op_node(n);
        break;
      case NodeKind::Cond:
        cond_node(n);
        break;
      case NodeKind::While:
        while_node(n);
        break;
      case NodeKind::ListPushBack:
      case NodeKind::ListGet:
      case NodeKind::ListSet:
      case NodeKind::ListStack:
      case NodeKind::ListPop:
        list_node(n);
        break;
      case NodeKind::Call:
        // Differentiating a recursive graph function needs a gradient function that calls
        // itself too; without one, a zero gradient would be silently wrong: refuse.
        throw StagingError(
            "gradient: cannot differentiate through the recursive function '" + n.callee->name() +
            "'" + (n.loc.known() ? " (called at " + n.loc.to_string() + ")" : "") +
            "; compute the gradient outside the staged function (eagerly, where the recursion "
            "runs in Python) or write the recursion as a loop");
      default:  // sources and leaves: placeholders, constants, variable reads, list_new
        break;
    }
  }
}

void StagedBackprop::op_node(Node& n) {
  const Value out = n.out(0);
  const Value dy = gradient_of(out);
  const GradRule rule = grad_rule(n.op);
  if (!rule || !differentiable(out.type())) return;
  const std::vector<Operand> inputs = tr_.symbolic(n.inputs);
  const Operand output = tr_.symbolic(out);
  const InputGrads grads = rule(OpCall{n.op, n.attrs, inputs, output}, tr_.symbolic(dy));
  for (size_t i = 0; i < n.inputs.size() && i < grads.size(); ++i) {
    const Value in = n.inputs[i];
    if (grads[i] && active(in) && differentiable(in.type()))
      accumulate(in, tr_.value_of(*grads[i]));
  }
}

Value int_const(GraphBuilder& b, int32_t v) {
  return b.constant(scalar_tensor(WeakScalar::integer(v), DType::Int32));
}

bool is_last_index(Value v) {
  if (v.node->kind != NodeKind::Const) return false;
  const Tensor& t = v.node->value;
  return t.num_elements() == 1 && t.item<double>() == -1.0;
}

void StagedBackprop::list_node(Node& n) {
  switch (n.kind) {
    case NodeKind::ListPushBack: {  // [list, item] -> list
      const auto [rest, item_grad] = b_.list_pop(gradient_of(n.out(0)), int_const(b_, -1));
      if (active(n.inputs[1])) accumulate(n.inputs[1], item_grad);
      if (active(n.inputs[0])) accumulate(n.inputs[0], rest);
      return;
    }
    case NodeKind::ListGet:  // [list, index] -> item
      if (active(n.inputs[0])) list_get_grad(n, gradient_of(n.out(0)));
      return;
    case NodeKind::ListSet: {  // [list, index, item] -> list
      const Value dl = gradient_of(n.out(0));
      const Value index = n.inputs[1];
      if (active(n.inputs[2])) accumulate(n.inputs[2], b_.list_get(dl, index));
      if (active(n.inputs[0])) {
        const Value zero = b_.op(OpKind::ZerosLike, {n.inputs[2]});
        accumulate(n.inputs[0], b_.list_set(dl, index, zero));
      }
      return;
    }
    case NodeKind::ListStack: {  // [list] -> (n, element...): the rows, as a list
      if (!active(n.inputs[0])) return;
      const Value dy = gradient_of(n.out(0));
      const Value size = b_.list_size(n.inputs[0]);
      const TensorSpec element = n.inputs[0].spec();
      OpAttrs row;
      row.slices.push_back(SliceItem::index_input(1));
      const std::vector<Value> done = b_.while_loop(
          {int_const(b_, 0), b_.list_new(element)},
          [&](const std::vector<Value>& v) {
            return b_.op(OpKind::Less, {v[0], size});
          },
          [&](const std::vector<Value>& v) {
            const Value item = b_.op(OpKind::GetItem, {dy, v[0]}, row);
            return std::vector<Value>{b_.op(OpKind::Add, {v[0], int_const(b_, 1)}),
                                      b_.list_push_back(v[1], item)};
          });
      accumulate(n.inputs[0], done[1]);
      return;
    }
    case NodeKind::ListPop: {  // [list, -1] -> (list, item): a stack's pop, undone by a push
      if (!active(n.inputs[0])) return;
      if (!is_last_index(n.inputs[1])) unsupported(n, "pop from the middle of a list");
      Value rest = gradient_of(n.out(0));
      Value item = gradient_of(n.out(1));
      if (!item.valid()) item = b_.op(OpKind::ZerosLike, {n.out(1)});
      if (!rest.valid()) unsupported(n, "a popped list that is not used afterwards");
      accumulate(n.inputs[0], b_.list_push_back(rest, item));
      return;
    }
    default:
      return;
  }
}

void StagedBackprop::list_get_grad(Node& n, Value dy) {
  const Value list = n.inputs[0];
  const Value index = n.inputs[1];
  const Value existing = gradient_of(list);
  if (existing.valid()) {
    // Converted code reads a list and appends to it afterwards, so the appends (later in the
    // program, earlier here) made the list's gradient: add dy at the index read.
    const Value sum = b_.op(OpKind::Add, {b_.list_get(existing, index), dy});
    grads_[list] = b_.list_set(existing, index, sum);
    return;
  }
  const TensorSpec& element = list.spec();
  if (!element.shape.is_fully_defined()) {
    unsupported(n, "a read of a tensor list whose element shape is not known");
  }
  // A list as long as the one read, zeros except at the index (unwritten elements read as
  // zeros).
  const Value zeros = b_.list_new(element, b_.list_size(list));
  grads_[list] = b_.list_set(zeros, index, dy);
}

void StagedBackprop::unsupported(const Node& n, const std::string& why) const {
  const std::string where = n.loc.known() ? " (" + n.loc.to_string() + ")" : "";
  throw StagingError(std::string("gradient of ") + n.op_name() + ": " + why + " is not supported" +
                     where);
}

}  // namespace xag::rt::autodiff
