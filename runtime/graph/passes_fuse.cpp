// Element-wise fusion: a tree of float element-wise ops whose intermediate results have one use
// each becomes a single FusedElementwise node, evaluated in one pass over memory (see
// runtime/exec/fused_eval.cpp) instead of one pass (and one temporary buffer) per op.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "runtime/graph/fused.h"
#include "runtime/graph/pass_util.h"
#include "runtime/graph/passes.h"
#include "runtime/ops/elementwise.h"

namespace xag::rt {

namespace {

constexpr size_t kMaxGroup = 32;  // steps per program (stack buffers per block)

// Ops whose functor is marked kFusable in runtime/ops/scalar_math.h (the fused evaluator runs
// exactly those bodies).
bool fusable_op(OpKind op) {
  const auto traits = elementwise_traits(op);
  return traits && traits->fusable;
}

// A float op over a static non-scalar shape whose inputs have its dtype and its shape, none
// (scalars broadcast) or a row of it (is_fused_row: a bias broadcast over a batch).
bool fusable(const Node& n) {
  if (n.kind != NodeKind::Op || !fusable_op(n.op)) return false;
  const TensorSpec& o = n.outputs[0].spec;
  if (!is_floating(o.dtype) || o.shape.rank() == 0 || !o.shape.is_fully_defined()) return false;
  for (const Value& v : n.inputs) {
    if (v.is_list() || v.spec().dtype != o.dtype) return false;
    const Shape& s = v.spec().shape;
    if (s != o.shape && s.rank() != 0 && !(s.is_fully_defined() && is_fused_row(s, o.shape))) {
      return false;
    }
  }
  return true;
}

// The inputs of `n` that are rows of the group's shape `out` and not yet in `rows`: each row
// costs the evaluator a block buffer, so a group takes at most kMaxFusedRows of them.
std::vector<Value> new_rows(const Node& n, const Shape& out, const std::vector<Value>& rows) {
  std::vector<Value> fresh;
  for (const Value& v : n.inputs) {
    if (v.spec().shape == out || v.spec().shape.rank() == 0) continue;
    if (std::count(rows.begin(), rows.end(), v) || std::count(fresh.begin(), fresh.end(), v)) {
      continue;
    }
    fresh.push_back(v);
  }
  return fresh;
}

// A max/min over every element of one float array into a 0-d result: the fusion pass folds it
// into the fused program producing that array (see FusedProgram::reduce).
bool fusable_reduction(const Node& n) {
  if (n.kind != NodeKind::Op || (n.op != OpKind::ReduceMax && n.op != OpKind::ReduceMin)) {
    return false;
  }
  if (n.inputs.size() != 1 || n.outputs.size() != 1 || n.inputs[0].is_list()) return false;
  const TensorSpec& o = n.outputs[0].spec;
  const TensorSpec& x = n.inputs[0].spec();
  if (o.shape.rank() != 0 || o.dtype != x.dtype || x.shape.rank() == 0) return false;
  if (!x.shape.is_fully_defined() || x.shape.num_elements() == 0) return false;  // empty: error
  if (n.attrs.has_axes && static_cast<int>(n.attrs.axes.size()) != x.shape.rank()) return false;
  return true;
}

bool fuse_graph(Graph& g) {
  auto uses = passes::count_uses(g);
  std::unordered_set<const Node*> absorbed;
  passes::GraphEdit edit(g);
  auto& nodes = g.mutable_nodes();
  // Node positions, once: new fused nodes are inserted by commit(), so they stay valid.
  std::unordered_map<const Node*, size_t> pos;
  for (size_t k = 0; k < nodes.size(); ++k) pos[nodes[k].get()] = k;
  // Roots are visited last to first so each takes the longest chain feeding it.
  for (size_t i = nodes.size(); i-- > 0;) {
    Node* root = nodes[i].get();
    if (absorbed.count(root)) continue;
    // A reduction roots the group at the array it reduces, when nothing else reads that array.
    Node* red = nullptr;
    if (fusable_reduction(*root)) {
      Node* p = root->inputs[0].node;
      if (p->graph != &g || absorbed.count(p) || !fusable(*p) || uses[root->inputs[0]] != 1) {
        continue;
      }
      red = root;
      root = p;
    }
    if (!fusable(*root)) continue;
    // Collect producers feeding only this group.
    const Shape& out = root->outputs[0].spec.shape;
    std::vector<Value> rows = new_rows(*root, out, {});
    std::vector<Node*> members = {root};
    std::vector<Node*> work = {root};
    while (!work.empty() && members.size() < kMaxGroup) {
      Node* m = work.back();
      work.pop_back();
      for (const Value& v : m->inputs) {
        Node* p = v.node;
        if (members.size() >= kMaxGroup) break;
        if (p->graph != &g || absorbed.count(p) || !fusable(*p) || uses[v] != 1) continue;
        if (p->outputs[0].spec != root->outputs[0].spec) continue;
        if (std::find(members.begin(), members.end(), p) != members.end()) continue;
        const std::vector<Value> more = new_rows(*p, out, rows);
        if (rows.size() + more.size() > static_cast<size_t>(kMaxFusedRows)) continue;
        rows.insert(rows.end(), more.begin(), more.end());
        members.push_back(p);
        work.push_back(p);
      }
    }
    // One op alone gains nothing from fusion, unless it also absorbs a reduction.
    if (members.size() < 2 && !red) continue;
    for (Node* m : members) absorbed.insert(m);
    if (red) absorbed.insert(red);
    // Steps in node order (producers first).
    std::sort(members.begin(), members.end(),
              [&](const Node* a, const Node* b) { return pos[a] < pos[b]; });
    auto prog = std::make_shared<FusedProgram>();
    prog->dtype = root->outputs[0].spec.dtype;
    std::vector<Value> inputs;
    std::unordered_map<const Node*, int16_t> reg_of_member;
    auto reg = [&](const Value& v) -> int16_t {
      auto it = reg_of_member.find(v.node);
      if (it != reg_of_member.end()) return it->second;
      auto found = std::find(inputs.begin(), inputs.end(), v);
      if (found != inputs.end()) return static_cast<int16_t>(found - inputs.begin());
      inputs.push_back(v);
      return static_cast<int16_t>(inputs.size() - 1);
    };
    // Inputs get the first registers; collect them before numbering steps.
    std::vector<FusedStep> steps;
    for (Node* m : members) {
      for (const Value& v : m->inputs)
        if (!std::count(members.begin(), members.end(), v.node)) reg(v);
    }
    const int16_t ni = static_cast<int16_t>(inputs.size());
    for (size_t s = 0; s < members.size(); ++s) {
      const Node* m = members[s];
      FusedStep st;
      st.op = m->op;
      int16_t r[3] = {-1, -1, -1};
      for (size_t k = 0; k < m->inputs.size() && k < 3; ++k) r[k] = reg(m->inputs[k]);
      st.a = r[0];
      st.b = r[1];
      st.c = r[2];
      steps.push_back(st);
      reg_of_member[m] = static_cast<int16_t>(ni + static_cast<int16_t>(s));
    }
    prog->num_inputs = ni;
    prog->steps = std::move(steps);
    Node* last = red ? red : root;  // the node whose value the fused node replaces
    if (red) prog->reduce = red->op;
    auto f = std::make_unique<Node>();
    f->kind = NodeKind::FusedElementwise;
    f->inputs = inputs;
    f->outputs = last->outputs;
    f->loc = last->loc;
    f->backward = last->backward;  // a fused backward chain stays drawn as the gradient
    f->scope = last->scope;
    f->fused = std::move(prog);
    // Right after the last replaced node: every input is defined before it.
    Node* fn = edit.insert(pos[last] + 1, std::move(f));
    edit.replace(last->out(0), fn->out(0));
    for (Node* m : members) edit.remove(m);
    if (red) edit.remove(red);
  }
  return edit.commit();
}

}  // namespace

bool fuse_elementwise(Graph& graph) {
  bool changed = false;
  passes::for_each_graph(graph, [&](Graph& g) { changed |= fuse_graph(g); });
  return changed;
}

}  // namespace xag::rt
