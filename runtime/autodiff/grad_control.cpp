// The gradient of a staged `if`: a Cond over the gradients of its two branches. Each branch of
// the backward Cond replays its forward branch (recomputing what it needs) and differentiates
// the replay, so the forward Cond keeps its outputs unchanged and stores nothing extra.
#include <string>

#include "runtime/autodiff/replay.h"
#include "runtime/autodiff/staged_backprop.h"

namespace xag::rt::autodiff {

void StagedBackprop::cond_node(Node& n) {
  const size_t nx = n.inputs.size() - 1;  // the branches' params: explicit inputs + captures
  std::vector<size_t> wanted;             // inputs that receive a gradient
  for (size_t i = 0; i < nx; ++i) {
    const Value x = n.inputs[1 + i];
    if (active(x) && differentiable(x.type())) {
      if (x.is_list()) unsupported(n, "a tensor list passed through a staged if");
      wanted.push_back(i);
    }
  }
  std::vector<size_t> outs;  // outputs with a gradient
  std::vector<Value> ins(n.inputs.begin() + 1, n.inputs.end());
  for (size_t j = 0; j < n.outputs.size(); ++j) {
    const Value dy = gradient_of(n.out(static_cast<int>(j)));
    if (!dy.valid()) continue;
    if (dy.is_list()) unsupported(n, "a tensor list produced by a staged if");
    outs.push_back(j);
    ins.push_back(dy);
  }
  // Variables read in either branch: each branch returns a gradient for all of them.
  const std::vector<std::shared_ptr<Variable>> vars = [&] {
    VariableSet seen;
    std::vector<std::shared_ptr<Variable>> all;
    for (const auto& sub : n.subgraphs)
      for (auto& v : variables_read(*sub, variables_))
        if (seen.insert(v.get()).second) all.push_back(v);
    return all;
  }();
  if ((wanted.empty() && vars.empty()) || outs.empty()) return;

  auto branch = [&](const Graph& forward) -> SubgraphFn {
    return [&, nx](const std::vector<Value>& params) {
      std::vector<Value> args(params.begin(), params.begin() + static_cast<long>(nx));
      std::unordered_set<Value, ValueHash> sources;
      for (size_t i : wanted) {  // distinct values, so two inputs get two gradients
        args[i] = b_.op(OpKind::Identity, {args[i]});
        sources.insert(args[i]);
      }
      const Replayed r = replay(b_, forward, args);
      StagedBackprop inner(tr_, variables_);
      inner.mark_active(r.nodes, sources);
      for (size_t o = 0; o < outs.size(); ++o) inner.accumulate(r.outputs[outs[o]], params[nx + o]);
      inner.run(r.nodes);
      std::vector<Value> grads;
      for (size_t i : wanted) {
        const Value g = inner.gradient_of(args[i]);
        grads.push_back(g.valid() ? g : b_.op(OpKind::ZerosLike, {args[i]}));
      }
      for (const auto& var : vars) {
        const Value g = inner.variable_gradient(var.get());
        grads.push_back(g.valid() ? g : variable_zeros(*var));
      }
      return grads;
    };
  };
  const std::vector<Value> grads =
      b_.cond(n.inputs[0], ins, branch(*n.subgraphs[0]), branch(*n.subgraphs[1]));
  for (size_t w = 0; w < wanted.size(); ++w) accumulate(n.inputs[1 + wanted[w]], grads[w]);
  for (size_t v = 0; v < vars.size(); ++v)
    add_variable_gradient(vars[v].get(), grads[wanted.size() + v]);
}

}  // namespace xag::rt::autodiff
