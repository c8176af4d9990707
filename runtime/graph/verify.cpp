// Graph::verify(): the IR's validity rules, kept apart from the builder so tests can check every
// graph a pass produces.
#include <unordered_map>
#include <unordered_set>

#include "runtime/graph/fused.h"
#include "runtime/graph/graph.h"

namespace xag::rt {

namespace {

// `b` is at least as specific as `a` (same kind, dtype and rank; a's known dims equal b's).
bool refines(const Type& a, const Type& b) {
  if (a.kind != b.kind || a.spec.dtype != b.spec.dtype) return false;
  if (a.spec.shape.rank() != b.spec.shape.rank()) return false;
  for (int i = 0; i < a.spec.shape.rank(); ++i)
    if (a.spec.shape[i] != kUnknownDim && a.spec.shape[i] != b.spec.shape[i]) return false;
  return true;
}

bool compatible(const Type& a, const Type& b) {
  return a.kind == b.kind && a.spec.dtype == b.spec.dtype &&
         a.spec.shape.compatible_with(b.spec.shape);
}

bool is_int_scalar(const Type& t) {
  return !t.is_list() && t.spec.shape.rank() == 0 && is_integer(t.spec.dtype);
}

class Verifier {
 public:
  explicit Verifier(const Graph& g) : g_(g) {}

  void run() {
    std::unordered_set<const Node*> params;
    for (const Value& p : g_.params()) {
      if (!p.valid() || p.graph() != &g_ || p.node->kind != NodeKind::Placeholder) {
        fail(nullptr, "a param is not a placeholder of this graph");
      }
      if (!params.insert(p.node).second) fail(p.node, "placeholder listed twice as a param");
    }
    for (size_t i = 0; i < g_.nodes().size(); ++i) {
      const Node* n = g_.nodes()[i].get();
      index_ = i;
      if (n->graph != &g_) fail(n, "node's graph pointer does not point to its graph");
      for (size_t k = 0; k < n->inputs.size(); ++k) check_input(n, k);
      for (const Node* d : n->control_deps)
        if (!pos_.count(d)) fail(n, "control dependency on a node that does not come before it");
      if (n->kind == NodeKind::Placeholder && !params.count(n)) {
        fail(n, "placeholder is not a param of its graph");
      }
      check_node(n);
      pos_[n] = i;
    }
    for (size_t i = 0; i < g_.outputs().size(); ++i) {
      const Value& v = g_.outputs()[i];
      if (!v.valid() || v.graph() != &g_ || !pos_.count(v.node) ||
          v.index >= static_cast<int>(v.node->outputs.size())) {
        fail(nullptr, "output " + std::to_string(i) + " is not a value of this graph");
      }
    }
  }

 private:
  [[noreturn]] void fail(const Node* n, const std::string& what) const {
    std::string where = "verify: graph '" + g_.name() + "'";
    if (n) where += ", node " + std::to_string(index_) + " (" + n->op_name() + ")";
    throw InternalError(where + ": " + what);
  }

  void check_input(const Node* n, size_t k) {
    const Value& v = n->inputs[k];
    if (!v.valid()) fail(n, "input " + std::to_string(k) + " is undefined");
    if (v.graph() != &g_) {
      fail(n, "input " + std::to_string(k) + " belongs to graph '" + v.graph()->name() +
                  "' (outer values must be captured as params)");
    }
    if (!pos_.count(v.node)) {
      fail(n, "input " + std::to_string(k) + " is used before it is defined (or forms a cycle)");
    }
    if (v.index < 0 || v.index >= static_cast<int>(v.node->outputs.size())) {
      fail(n, "input " + std::to_string(k) + " names a missing output");
    }
  }

  void expect_tensor_inputs(const Node* n) {
    for (const Value& v : n->inputs)
      if (v.is_list()) fail(n, "a tensor input is a tensor list");
  }

  void expect_arity(const Node* n, size_t ins, size_t outs) {
    if (n->inputs.size() != ins || n->outputs.size() != outs) {
      fail(n, "expected " + std::to_string(ins) + " inputs and " + std::to_string(outs) +
                  " outputs, got " + std::to_string(n->inputs.size()) + " and " +
                  std::to_string(n->outputs.size()));
    }
  }

  void expect_list(const Node* n, size_t k) {
    if (!n->inputs[k].is_list()) fail(n, "input " + std::to_string(k) + " must be a tensor list");
  }

  void check_subgraph_params(const Node* n, const Graph& sg, const std::vector<Type>& expected) {
    if (sg.owner() != n) fail(n, "subgraph '" + sg.name() + "' does not point back to its node");
    const auto types = sg.param_types();
    if (types.size() != expected.size()) {
      fail(n, "subgraph '" + sg.name() + "' takes " + std::to_string(types.size()) +
                  " params but the node passes " + std::to_string(expected.size()));
    }
    for (size_t i = 0; i < types.size(); ++i) {
      if (!refines(types[i], expected[i])) {
        fail(n, "subgraph '" + sg.name() + "' param " + std::to_string(i) + " is " +
                    types[i].to_string() + " but the node passes " + expected[i].to_string());
      }
    }
    sg.verify();
  }

  void check_node(const Node* n) {
    switch (n->kind) {
      case NodeKind::Op: {
        expect_tensor_inputs(n);
        if (n->outputs.size() != 1) fail(n, "an op has exactly one output");
        std::vector<TensorSpec> specs;
        for (const Value& v : n->inputs) specs.push_back(v.spec());
        TensorSpec want;
        try {
          want = infer(n->op, specs.data(), specs.size(), n->attrs);
        } catch (const InvalidArgumentError& e) {
          fail(n, std::string("inputs rejected by infer(): ") + e.what());
        }
        if (!compatible(Type::tensor(want), n->outputs[0])) {
          fail(n, "output type " + n->outputs[0].to_string() +
                      " disagrees with infer(): " + want.to_string());
        }
        break;
      }
      case NodeKind::Placeholder:
        expect_arity(n, 0, 1);
        break;
      case NodeKind::Const:
        expect_arity(n, 0, 1);
        if (!n->value.defined()) fail(n, "constant without a value");
        if (n->outputs[0] != Type::tensor(TensorSpec{n->value.dtype(), n->value.shape()})) {
          fail(n, "output type " + n->outputs[0].to_string() + " differs from the value's");
        }
        break;
      case NodeKind::Cond: {
        if (n->inputs.empty()) fail(n, "cond without a predicate");
        const Type& p = n->inputs[0].type();
        if (p.is_list() || p.spec.shape.rank() != 0) fail(n, "predicate is not a scalar");
        if (n->subgraphs.size() != 2) fail(n, "cond needs two subgraphs");
        std::vector<Type> ins;
        for (size_t i = 1; i < n->inputs.size(); ++i) ins.push_back(n->inputs[i].type());
        for (const auto& sg : n->subgraphs) {
          check_subgraph_params(n, *sg, ins);
          if (sg->outputs().size() != n->outputs.size()) {
            fail(n, "subgraph '" + sg->name() + "' returns " +
                        std::to_string(sg->outputs().size()) + " values, the node has " +
                        std::to_string(n->outputs.size()) + " outputs");
          }
          for (size_t i = 0; i < n->outputs.size(); ++i) {
            if (!refines(n->outputs[i], sg->outputs()[i].type())) {
              fail(n, "subgraph '" + sg->name() + "' output " + std::to_string(i) + " is " +
                          sg->outputs()[i].type().to_string() + " but the node's is " +
                          n->outputs[i].to_string());
            }
          }
        }
        break;
      }
      case NodeKind::While: {
        const size_t k = static_cast<size_t>(n->num_loop_vars);
        const size_t extra = n->has_max_iterations ? 1 : 0;
        if (n->inputs.size() < k + extra || n->outputs.size() != k) {
          fail(n, "while needs one output per loop variable");
        }
        if (n->subgraphs.size() != 2) fail(n, "while needs a cond and a body subgraph");
        std::vector<Type> ins;
        for (size_t i = 0; i < n->inputs.size() - extra; ++i) {
          const Type& t = n->inputs[i].type();
          if (i < k && !refines(n->outputs[i], t)) {
            fail(n, "loop variable " + std::to_string(i) + " enters as " + t.to_string() +
                        " but is typed " + n->outputs[i].to_string());
          }
          ins.push_back(i < k ? n->outputs[i] : t);
        }
        if (extra && !is_int_scalar(n->inputs.back().type())) {
          fail(n, "maximum_iterations is not an integer scalar");
        }
        const Graph& cg = *n->subgraphs[0];
        const Graph& bg = *n->subgraphs[1];
        check_subgraph_params(n, cg, ins);
        check_subgraph_params(n, bg, ins);
        if (cg.outputs().size() != 1 || cg.outputs()[0].is_list() ||
            cg.outputs()[0].spec().shape.rank() != 0) {
          fail(n, "the cond subgraph must return one scalar");
        }
        if (bg.outputs().size() != k) fail(n, "the body must return one value per loop variable");
        for (size_t i = 0; i < k; ++i) {
          if (!refines(n->outputs[i], bg.outputs()[i].type())) {
            fail(n, "loop variable " + std::to_string(i) + " is " + n->outputs[i].to_string() +
                        " but the body returns " + bg.outputs()[i].type().to_string() +
                        " (loop-variable types must be invariant)");
          }
        }
        break;
      }
      case NodeKind::ListNew:
        if (n->inputs.size() > 1 || n->outputs.size() != 1 || !n->outputs[0].is_list()) {
          fail(n, "expects an optional size and one list output");
        }
        if (n->inputs.size() == 1 && !is_int_scalar(n->inputs[0].type())) {
          fail(n, "size is not an integer scalar");
        }
        break;
      case NodeKind::ListPushBack:
      case NodeKind::ListSet: {
        const bool set = n->kind == NodeKind::ListSet;
        expect_arity(n, set ? 3 : 2, 1);
        expect_list(n, 0);
        if (set && !is_int_scalar(n->inputs[1].type())) fail(n, "index is not an integer scalar");
        const Value& item = n->inputs[set ? 2 : 1];
        if (!compatible(Type::tensor(n->inputs[0].spec()), item.type())) {
          fail(n, "item " + item.type().to_string() + " does not fit the list's elements");
        }
        if (n->outputs[0] != n->inputs[0].type()) fail(n, "output list type changed");
        break;
      }
      case NodeKind::ListGet:
        expect_arity(n, 2, 1);
        expect_list(n, 0);
        if (!is_int_scalar(n->inputs[1].type())) fail(n, "index is not an integer scalar");
        if (n->outputs[0] != Type::tensor(n->inputs[0].spec())) fail(n, "wrong output type");
        break;
      case NodeKind::ListSize:
        expect_arity(n, 1, 1);
        expect_list(n, 0);
        break;
      case NodeKind::ListPop:
        expect_arity(n, 2, 2);
        expect_list(n, 0);
        if (!is_int_scalar(n->inputs[1].type())) fail(n, "index is not an integer scalar");
        if (n->outputs[0] != n->inputs[0].type()) fail(n, "output list type changed");
        if (n->outputs[1] != Type::tensor(n->inputs[0].spec())) fail(n, "wrong item type");
        break;
      case NodeKind::ListStack:
        expect_arity(n, 1, 1);
        expect_list(n, 0);
        if (n->outputs[0].is_list() || n->outputs[0].spec.dtype != n->inputs[0].spec().dtype) {
          fail(n, "wrong output type");
        }
        break;
      case NodeKind::Print:
        expect_tensor_inputs(n);
        if (!n->outputs.empty()) fail(n, "print has no outputs");
        for (const PrintItem& it : n->print_items)
          if (it.input >= static_cast<int>(n->inputs.size())) fail(n, "print item out of range");
        break;
      case NodeKind::Assert:
        expect_arity(n, 1, 0);
        expect_tensor_inputs(n);
        break;
      case NodeKind::VarRead:
      case NodeKind::VarAssign:
      case NodeKind::VarAssignAdd:
      case NodeKind::VarAssignSub:
        expect_arity(n, n->kind == NodeKind::VarRead ? 0 : 1, 1);
        expect_tensor_inputs(n);
        if (!n->variable) fail(n, "no variable");
        if (n->outputs[0] != Type::tensor(n->variable->spec())) {
          fail(n, "output type differs from the variable's");
        }
        break;
      case NodeKind::Call: {
        if (!n->callee) fail(n, "no callee");
        const std::vector<Type> params = n->callee->param_types();
        const std::vector<Type> results = n->callee->output_types();
        expect_arity(n, params.size(), results.size());
        for (size_t i = 0; i < params.size(); ++i) {
          if (!refines(params[i], n->inputs[i].type())) {
            fail(n, "argument " + std::to_string(i) + " is " + n->inputs[i].type().to_string() +
                        " but '" + n->callee->name() + "' takes " + params[i].to_string());
          }
        }
        for (size_t i = 0; i < results.size(); ++i) {
          if (!refines(n->outputs[i], results[i])) {
            fail(n, "result " + std::to_string(i) + " is " + n->outputs[i].to_string() + " but '" +
                        n->callee->name() + "' returns " + results[i].to_string());
          }
        }
        break;
      }
      case NodeKind::FusedElementwise: {
        expect_tensor_inputs(n);
        if (!n->fused || n->outputs.size() != 1) fail(n, "missing fused program");
        const FusedProgram& p = *n->fused;
        if (p.num_inputs != static_cast<int>(n->inputs.size()) || p.steps.empty()) {
          fail(n, "fused program does not match the node's inputs");
        }
        for (size_t s = 0; s < p.steps.size(); ++s) {
          const int limit = p.num_inputs + static_cast<int>(s);
          const FusedStep& st = p.steps[s];
          if (st.a < 0 || st.a >= limit || st.b >= limit || st.c >= limit) {
            fail(n, "fused step " + std::to_string(s) + " reads a register not yet computed");
          }
        }
        if (n->outputs[0].spec.dtype != p.dtype) fail(n, "fused output dtype mismatch");
        if (p.reduce != OpKind::Identity) {
          if (p.reduce != OpKind::ReduceMax && p.reduce != OpKind::ReduceMin) {
            fail(n, "fused reduction is not max/min");
          }
          if (n->outputs[0].spec.shape.rank() != 0) fail(n, "fused reduction output is not 0-d");
        }
        break;
      }
    }
  }

  const Graph& g_;
  std::unordered_map<const Node*, size_t> pos_;
  size_t index_ = 0;
};

}  // namespace

void Graph::verify() const {
  Verifier(*this).run();
}

}  // namespace xag::rt
