// Graph, Node and Type basics: construction, editing helpers used by the builder and passes.
#include "runtime/graph/graph.h"

#include <algorithm>
#include <unordered_set>

#include "runtime/graph/fused.h"

namespace xag::rt {

std::string SourceLoc::to_string() const {
  if (!known()) return "";
  return (file.empty() ? std::string("<unknown>") : file) + ":" + std::to_string(line);
}

namespace {
std::string located_what(const std::string& message, const SourceLoc& loc) {
  if (!loc.known()) return message;
  return message + " (" + loc.to_string() + ")";
}
}  // namespace

LocatedError::LocatedError(const std::string& message, SourceLoc loc, ErrorKind kind)
    : InvalidArgumentError(located_what(message, loc)),
      message_(message),
      loc_(std::move(loc)),
      kind_(kind) {}

std::string Type::to_string() const {
  return is_list() ? "list[" + spec.to_string() + "]" : spec.to_string();
}

const char* node_kind_name(NodeKind kind) noexcept {
  switch (kind) {
    case NodeKind::Op:
      return "op";
    case NodeKind::Placeholder:
      return "placeholder";
    case NodeKind::Const:
      return "const";
    case NodeKind::Cond:
      return "cond";
    case NodeKind::While:
      return "while";
    case NodeKind::ListNew:
      return "tensor_list_new";
    case NodeKind::ListPushBack:
      return "tensor_list_push_back";
    case NodeKind::ListGet:
      return "tensor_list_get";
    case NodeKind::ListSet:
      return "tensor_list_set";
    case NodeKind::ListSize:
      return "tensor_list_size";
    case NodeKind::ListStack:
      return "tensor_list_stack";
    case NodeKind::ListPop:
      return "tensor_list_pop";
    case NodeKind::Print:
      return "print";
    case NodeKind::Assert:
      return "assert";
    case NodeKind::VarRead:
      return "var_read";
    case NodeKind::VarAssign:
      return "var_assign";
    case NodeKind::VarAssignAdd:
      return "var_assign_add";
    case NodeKind::VarAssignSub:
      return "var_assign_sub";
    case NodeKind::FusedElementwise:
      return "fused_elementwise";
    case NodeKind::Call:
      return "call";
  }
  return "?";
}

Node::Node() = default;
Node::~Node() = default;

const char* Node::op_name() const {
  return kind == NodeKind::Op ? rt::op_name(op) : node_kind_name(kind);
}

bool Node::has_side_effects() const {
  switch (kind) {
    case NodeKind::Print:
    case NodeKind::Assert:
    case NodeKind::VarAssign:
    case NodeKind::VarAssignAdd:
    case NodeKind::VarAssignSub:
      return true;
    case NodeKind::Cond:
    case NodeKind::While:
      for (const auto& g : subgraphs)
        for (const auto& n : g->nodes())
          if (n->has_side_effects()) return true;
      return false;
    case NodeKind::Call:
      // The callee may print or assert, and a recursive callee's effects cannot be summed up
      // by walking it (it contains this very node): passes keep every call, in order.
      return true;
    default:
      return false;
  }
}

bool Node::is_ordered() const {
  if (kind == NodeKind::VarRead) return true;
  if (kind == NodeKind::Cond || kind == NodeKind::While) {
    for (const auto& g : subgraphs)
      for (const auto& n : g->nodes())
        if (n->is_ordered()) return true;
    return false;
  }
  return has_side_effects();
}

Graph::Graph(std::string name) : name_(std::move(name)) {}
Graph::~Graph() = default;

Graph* Graph::parent() const {
  return owner_ ? owner_->graph : nullptr;
}

std::vector<Type> Graph::param_types() const {
  std::vector<Type> t;
  for (const Value& v : params_) t.push_back(v.type());
  return t;
}

std::vector<Type> Graph::output_types() const {
  std::vector<Type> t;
  for (const Value& v : outputs_) t.push_back(v.type());
  return t;
}

void Graph::set_outputs(std::vector<Value> outputs) {
  for (const Value& v : outputs) {
    if (!v.valid() || v.graph() != this) {
      throw InvalidArgumentError("graph '" + name_ +
                                 "': an output is not a value of this graph (capture it first)");
    }
  }
  outputs_ = std::move(outputs);
}

size_t Graph::num_nodes(bool recursive) const {
  size_t n = nodes_.size();
  if (recursive)
    for (const auto& node : nodes_)
      for (const auto& g : node->subgraphs) n += g->num_nodes(true);
  return n;
}

Node* Graph::insert_node(std::unique_ptr<Node> node, size_t pos) {
  node->graph = this;
  for (auto& g : node->subgraphs) g->set_owner(node.get());
  Node* raw = node.get();
  if (pos >= nodes_.size()) {
    nodes_.push_back(std::move(node));
  } else {
    nodes_.insert(nodes_.begin() + static_cast<std::ptrdiff_t>(pos), std::move(node));
  }
  return raw;
}

Value Graph::add_param(const Type& type, std::string name) {
  auto node = std::make_unique<Node>();
  node->kind = NodeKind::Placeholder;
  node->outputs.push_back(type);
  node->name = std::move(name);
  // Params go first so that every later node sees them defined. They are the leading
  // placeholders; start past the ones params_ accounts for instead of walking them all.
  size_t pos = std::min(params_.size(), nodes_.size());
  while (pos > 0 && nodes_[pos - 1]->kind != NodeKind::Placeholder) --pos;
  while (pos < nodes_.size() && nodes_[pos]->kind == NodeKind::Placeholder) ++pos;
  Node* n = insert_node(std::move(node), pos);
  params_.push_back(n->out(0));
  return params_.back();
}

Value Graph::append_param(const Type& type) {
  auto node = std::make_unique<Node>();
  node->kind = NodeKind::Placeholder;
  node->outputs.push_back(type);
  Node* n = insert_node(std::move(node));
  params_.push_back(n->out(0));
  return params_.back();
}

void Graph::hoist_params() {
  std::stable_partition(nodes_.begin(), nodes_.end(), [](const std::unique_ptr<Node>& n) {
    return n->kind == NodeKind::Placeholder;
  });
}

void Graph::replace_all_uses(Value from, Value to) {
  for (auto& node : nodes_)
    for (Value& in : node->inputs)
      if (in == from) in = to;
  for (Value& out : outputs_)
    if (out == from) out = to;
}

void Graph::remove_nodes_if(const std::function<bool(const Node&)>& dead) {
  std::unordered_set<const Node*> removed;
  for (const auto& n : nodes_)
    if (dead(*n)) removed.insert(n.get());
  if (removed.empty()) return;
  // Forward control deps through removed nodes, in order so chains of removed nodes collapse.
  for (auto& n : nodes_) {
    std::vector<Node*> deps;
    std::vector<Node*> work(n->control_deps.begin(), n->control_deps.end());
    std::unordered_set<Node*> seen;
    while (!work.empty()) {
      Node* d = work.back();
      work.pop_back();
      if (!seen.insert(d).second) continue;
      if (removed.count(d)) {
        work.insert(work.end(), d->control_deps.begin(), d->control_deps.end());
      } else {
        deps.push_back(d);
      }
    }
    n->control_deps = std::move(deps);
  }
  params_.erase(std::remove_if(params_.begin(), params_.end(),
                               [&](const Value& v) { return removed.count(v.node) > 0; }),
                params_.end());
  std::vector<std::unique_ptr<Node>> kept;
  kept.reserve(nodes_.size() - removed.size());
  for (auto& n : nodes_) (removed.count(n.get()) ? removed_ : kept).push_back(std::move(n));
  nodes_ = std::move(kept);
}

std::string FusedProgram::to_string() const {
  std::string s;
  for (size_t i = 0; i < steps.size(); ++i) {
    const FusedStep& st = steps[i];
    if (i) s += "; ";
    s += "r" + std::to_string(num_inputs + static_cast<int>(i)) + " = " + rt::op_name(st.op) + "(";
    const int16_t ops[3] = {st.a, st.b, st.c};
    bool first = true;
    for (int16_t r : ops) {
      if (r < 0) continue;
      if (!first) s += ", ";
      first = false;
      s += "r" + std::to_string(r);
    }
    s += ")";
  }
  if (reduce != OpKind::Identity) {
    s += "; " + std::string(rt::op_name(reduce)) + "(r" +
         std::to_string(num_inputs + static_cast<int>(steps.size()) - 1) + ")";
  }
  return s;
}

}  // namespace xag::rt
