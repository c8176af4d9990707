#include "runtime/backend/cuda/loop_plan.h"

#include <unordered_map>

#include "runtime/backend/cuda/coverage.h"
#include "runtime/backend/fused_dispatch.h"
#include "runtime/graph/fused.h"
#include "runtime/ops/elementwise.h"
#include "runtime/ops/ops.h"

namespace xag::rt {

namespace {

using ValueIndex = std::unordered_map<Value, int32_t, ValueHash>;

// Ops whose result shape (or result) depends on a tensor's value read on the host: reading it
// would stop the stream capture.
bool shape_from_value(const Node& n) {
  const size_t k = n.inputs.size();
  switch (n.op) {
    case OpKind::Range:
      return true;
    case OpKind::Reshape:
      return k == 2;
    case OpKind::Zeros:
    case OpKind::Ones:
      return k == 1;
    case OpKind::Fill:
      return k == 2;
    case OpKind::GetItem:
      return k > 1;  // tensor indices: x[i]
    default:
      return false;
  }
}

// Why node `n` stops the loop from being captured ("" when it does not).
std::string node_reason(const Node& n) {
  switch (n.kind) {
    case NodeKind::Placeholder:
    case NodeKind::Const:
      return "";
    case NodeKind::FusedElementwise:
      return "";  // fusion joins float ops only: nothing there faults
    case NodeKind::Print:
      return "print() runs on the host";
    case NodeKind::Assert:
      return "an assert reads its condition on the host";
    case NodeKind::Cond:
      return "a nested cond (not captured yet)";
    case NodeKind::While:
      return "a nested while loop";
    case NodeKind::VarRead:
    case NodeKind::VarAssign:
    case NodeKind::VarAssignAdd:
    case NodeKind::VarAssignSub:
      return "a variable is read or assigned";
    case NodeKind::Op:
      break;
    default:
      return std::string("a list/TensorArray op (") + n.op_name() + ") grows on the host";
  }
  const std::string op = op_name(n.op);
  // Each call draws its seed on the host: a captured kernel would repeat one draw.
  if (op_category(n.op) == OpCategory::Random)
    return "random op " + op + " draws its seed on the host";
  const cuda::CudaCoverage cov = cuda::cuda_coverage(n.op);
  if (cov.path == cuda::CudaPath::HostFallback)
    return "op " + op + " runs on the host: " + cov.reason;
  if (shape_from_value(n)) return "op " + op + ": its shape depends on a tensor's value";
  // Integer division, modulo and powers read a fault flag back on the host after the op.
  const auto traits = elementwise_traits(n.op);
  if (traits && traits->can_fault && !is_floating(n.outputs[0].spec.dtype))
    return "integer op " + op + " checks for faults on the host";
  return "";
}

// Appends g's nodes as steps (g's params already in `index`); "" or the first reason.
std::string add_steps(const Graph& g, LoopPlan& plan, ValueIndex& index) {
  for (const auto& np : g.nodes()) {
    const Node& n = *np;
    if (n.kind == NodeKind::Placeholder) continue;
    std::string why = node_reason(n);
    if (!why.empty()) return "line " + std::to_string(n.loc.line) + ": " + why;
    if (n.outputs.size() != 1) return std::string("node ") + n.op_name() + " has several results";
    LoopStep s;
    s.kind = n.kind == NodeKind::Const              ? LoopStep::Kind::Const
             : n.kind == NodeKind::FusedElementwise ? LoopStep::Kind::Fused
                                                    : LoopStep::Kind::Op;
    s.op = n.op;
    s.attrs = n.attrs;
    s.fused = n.fused;
    s.value = n.value;
    for (const Value& v : n.inputs) {
      auto it = index.find(v);
      if (it == index.end()) return "an input from outside the loop that is not a capture";
      s.in.push_back(it->second);
    }
    index[Value{const_cast<Node*>(&n), 0}] = plan.num_values();
    plan.steps.push_back(std::move(s));
  }
  return "";
}

std::string shape_change(const Node& w, size_t i) {
  const Graph& body = *w.subgraphs[1];
  const TensorSpec& before = body.params()[i].spec();
  const TensorSpec& after = body.outputs()[i].spec();
  if (before.shape == after.shape && before.dtype == after.dtype) return "";
  return "loop variable " + std::to_string(i) + " changes from " + before.shape.to_string() +
         " to " + after.shape.to_string();
}

}  // namespace

LoopPlanResult plan_device_loop(const Node& w) {
  if (w.kind != NodeKind::While) return {nullptr, "not a while loop"};
  if (w.has_max_iterations) return {nullptr, "maximum_iterations is counted on the host"};
  auto plan = std::make_shared<LoopPlan>();
  plan->loc = w.loc;
  plan->num_vars = w.num_loop_vars;
  plan->num_captures = static_cast<int32_t>(w.inputs.size()) - w.num_loop_vars;
  for (const Value& v : w.inputs)
    if (v.is_list()) return {nullptr, "a list/TensorArray is carried or captured"};
  for (size_t i = 0; i < static_cast<size_t>(w.num_loop_vars); ++i) {
    std::string why = shape_change(w, i);
    if (!why.empty()) return {nullptr, why};
  }
  for (int g = 0; g < 2; ++g) {
    const Graph& sub = *w.subgraphs[static_cast<size_t>(g)];
    ValueIndex index;
    for (size_t i = 0; i < sub.params().size(); ++i)
      index[sub.params()[i]] = static_cast<int32_t>(i);
    std::string why = add_steps(sub, *plan, index);
    if (!why.empty()) return {nullptr, why};
    std::vector<int32_t> outs;
    for (const Value& v : sub.outputs()) outs.push_back(index.at(v));
    if (g == 0) {
      plan->num_cond_steps = plan->steps.size();
      plan->pred = outs.at(0);
      if (sub.outputs()[0].spec().shape.rank() != 0)
        return {nullptr, "the condition is not a scalar"};
    } else {
      plan->results = std::move(outs);
    }
  }
  return {std::move(plan), ""};
}

void run_loop_steps(const LoopPlan& plan, size_t begin, size_t end, std::vector<Tensor>& values) {
  const int32_t base = plan.num_vars + plan.num_captures;
  std::vector<Tensor> in;
  for (size_t i = begin; i < end; ++i) {
    const LoopStep& s = plan.steps[i];
    Tensor& out = values[static_cast<size_t>(base) + i];
    if (s.kind == LoopStep::Kind::Const) {
      if (!out.defined()) out = s.value;  // a device run uploads them once, before capture
      continue;
    }
    in.clear();
    for (int32_t v : s.in) in.push_back(values[static_cast<size_t>(v)]);
    if (s.kind == LoopStep::Kind::Fused) {
      run_fused_into(*s.fused, in.data(), in.size(), out);
    } else {
      run_into(s.op, in.data(), in.size(), s.attrs, out);
    }
  }
}

}  // namespace xag::rt
