// Algebraic simplification as a table of pattern -> rewrite rules, one rule per line. A rule
// proposes a replacement (an existing value or a new op); it is applied only when the
// replacement has exactly the node's type, so broadcasting and dtype promotion can never change
// a result (x + 0.0 with int x stays: its result is float64).
#include <optional>

#include "runtime/graph/pass_util.h"
#include "runtime/graph/passes.h"

namespace xag::rt {

namespace {

struct Repl {
  Value value;                   // use this value, or when invalid:
  OpKind op = OpKind::Identity;  // build op(inputs, attrs)
  std::vector<Value> inputs;
  OpAttrs attrs;
};
using R = std::optional<Repl>;

R use(Value v) {
  return Repl{v, OpKind::Identity, {}, {}};
}
R make(OpKind op, std::vector<Value> in, OpAttrs attrs = {}) {
  return Repl{Value{}, op, std::move(in), std::move(attrs)};
}

// Pattern helpers.
Value in(const Node& n, size_t i) {
  return n.inputs.size() > i ? n.inputs[i] : Value{};
}
bool is_c(const Value& v, double c) {
  return passes::const_all_equal(v, c);
}
bool int_like(const Value& v) {
  return !is_floating(v.spec().dtype);
}
bool is_bool(const Value& v) {
  return v.spec().dtype == DType::Bool;
}
// The op node producing v when it is `op`, else null.
const Node* producer(const Value& v, OpKind op) {
  return v.node->kind == NodeKind::Op && v.node->op == op ? v.node : nullptr;
}

struct Rule {
  OpKind op;
  R (*rewrite)(const Node& n);
};

// clang-format off
const Rule kRules[] = {
  // x + 0 -> x, 0 + x -> x (exact for every dtype: x + 0 == x, -0.0 + 0 aside)
  {OpKind::Add, [](const Node& n) { return is_c(in(n, 1), 0) ? use(in(n, 0)) : R{}; }},
  {OpKind::Add, [](const Node& n) { return is_c(in(n, 0), 0) ? use(in(n, 1)) : R{}; }},
  // x - 0 -> x
  {OpKind::Sub, [](const Node& n) { return is_c(in(n, 1), 0) ? use(in(n, 0)) : R{}; }},
  // x - x -> zeros_like(x), integers only (inf - inf and NaN - NaN are NaN)
  {OpKind::Sub, [](const Node& n) { return in(n, 0) == in(n, 1) && int_like(in(n, 0)) ? make(OpKind::ZerosLike, {in(n, 0)}) : R{}; }},
  // x * 1 -> x, 1 * x -> x
  {OpKind::Mul, [](const Node& n) { return is_c(in(n, 1), 1) ? use(in(n, 0)) : R{}; }},
  {OpKind::Mul, [](const Node& n) { return is_c(in(n, 0), 1) ? use(in(n, 1)) : R{}; }},
  // x * 0 -> zeros_like(x), 0 * x -> zeros_like(x), integers only (NaN * 0 and inf * 0 are NaN)
  {OpKind::Mul, [](const Node& n) { return is_c(in(n, 1), 0) && int_like(in(n, 0)) ? make(OpKind::ZerosLike, {in(n, 0)}) : R{}; }},
  {OpKind::Mul, [](const Node& n) { return is_c(in(n, 0), 0) && int_like(in(n, 1)) ? make(OpKind::ZerosLike, {in(n, 1)}) : R{}; }},
  // x / 1 -> x (floats; int / 1 is float64 and fails the type check)
  {OpKind::TrueDiv, [](const Node& n) { return is_c(in(n, 1), 1) ? use(in(n, 0)) : R{}; }},
  // x // 1 -> x, integers only (float floor division rounds)
  {OpKind::FloorDiv, [](const Node& n) { return is_c(in(n, 1), 1) && int_like(in(n, 0)) ? use(in(n, 0)) : R{}; }},
  // x ** 1 -> x
  {OpKind::Pow, [](const Node& n) { return is_c(in(n, 1), 1) ? use(in(n, 0)) : R{}; }},
  // x ** 2 -> square(x)
  {OpKind::Pow, [](const Node& n) { return is_c(in(n, 1), 2) ? make(OpKind::Square, {in(n, 0)}) : R{}; }},
  // -(-x) -> x
  {OpKind::Neg, [](const Node& n) { const Node* p = producer(in(n, 0), OpKind::Neg); return p ? use(p->inputs[0]) : R{}; }},
  // abs(abs(x)) -> abs(x)
  {OpKind::Abs, [](const Node& n) { return producer(in(n, 0), OpKind::Abs) ? use(in(n, 0)) : R{}; }},
  // cast(x, dtype(x)) -> x
  {OpKind::Cast, [](const Node& n) { return n.outputs[0].spec.dtype == in(n, 0).spec().dtype ? use(in(n, 0)) : R{}; }},
  // logical_not(logical_not(x)) -> x for bool x (otherwise it is bool(x))
  {OpKind::LogicalNot, [](const Node& n) { const Node* p = producer(in(n, 0), OpKind::LogicalNot); return p ? use(p->inputs[0]) : R{}; }},
  // ~~x -> x
  {OpKind::BitwiseNot, [](const Node& n) { const Node* p = producer(in(n, 0), OpKind::BitwiseNot); return p ? use(p->inputs[0]) : R{}; }},
  // reshape(x, shape(x)) -> x (static shapes only; the type check compares them)
  {OpKind::Reshape, [](const Node& n) { return n.inputs.size() == 1 && n.outputs[0].spec.shape.is_fully_defined() ? use(in(n, 0)) : R{}; }},
  // identity(x) -> x
  {OpKind::Identity, [](const Node& n) { return use(in(n, 0)); }},
  // transpose of a scalar or vector -> x
  {OpKind::Transpose, [](const Node& n) { return in(n, 0).spec().shape.rank() <= 1 ? use(in(n, 0)) : R{}; }},
  // maximum(x, x) -> x, minimum(x, x) -> x
  {OpKind::Maximum, [](const Node& n) { return in(n, 0) == in(n, 1) ? use(in(n, 0)) : R{}; }},
  {OpKind::Minimum, [](const Node& n) { return in(n, 0) == in(n, 1) ? use(in(n, 0)) : R{}; }},
  // x and True -> x, x or False -> x (bool x)
  {OpKind::LogicalAnd, [](const Node& n) { return is_c(in(n, 1), 1) && is_bool(in(n, 0)) ? use(in(n, 0)) : R{}; }},
  {OpKind::LogicalOr, [](const Node& n) { return is_c(in(n, 1), 0) && is_bool(in(n, 0)) ? use(in(n, 0)) : R{}; }},
  // x and x -> x, x or x -> x (bool x)
  {OpKind::LogicalAnd, [](const Node& n) { return in(n, 0) == in(n, 1) && is_bool(in(n, 0)) ? use(in(n, 0)) : R{}; }},
  {OpKind::LogicalOr, [](const Node& n) { return in(n, 0) == in(n, 1) && is_bool(in(n, 0)) ? use(in(n, 0)) : R{}; }},
  // where(c, x, x) -> x
  {OpKind::Where, [](const Node& n) { return in(n, 1) == in(n, 2) ? use(in(n, 1)) : R{}; }},
  // where(not c, x, y) -> where(c, y, x) for bool c: a staged `break` guards every loop variable
  // with where(not flag, new, old); one op less on the loop's critical path
  {OpKind::Where, [](const Node& n) { const Node* p = producer(in(n, 0), OpKind::LogicalNot); return p && is_bool(p->inputs[0]) ? make(OpKind::Where, {p->inputs[0], in(n, 2), in(n, 1)}) : R{}; }},
};
// clang-format on

// The replacement's type, or nullopt when infer() rejects it.
std::optional<Type> type_of(const Repl& r, const OpAttrs& attrs) {
  if (r.value.valid()) return r.value.type();
  std::vector<TensorSpec> specs;
  for (const Value& v : r.inputs) specs.push_back(v.spec());
  try {
    return Type::tensor(infer(r.op, specs.data(), specs.size(), attrs));
  } catch (const InvalidArgumentError&) {
    return std::nullopt;
  }
}

bool simplify_graph(Graph& g) {
  passes::GraphEdit edit(g);
  auto& nodes = g.mutable_nodes();
  for (size_t i = 0; i < nodes.size(); ++i) {
    Node& n = *nodes[i];
    edit.resolve_inputs(n);
    if (n.kind != NodeKind::Op) continue;
    for (const Rule& rule : kRules) {
      if (rule.op != n.op) continue;
      const R r = rule.rewrite(n);
      if (!r) continue;
      const auto t = type_of(*r, r->attrs);
      if (!t || *t != n.outputs[0]) continue;
      Value v = r->value;
      if (!v.valid()) {
        auto m = std::make_unique<Node>();
        m->kind = NodeKind::Op;
        m->op = r->op;
        m->attrs = r->attrs;
        m->inputs = r->inputs;
        m->outputs.push_back(*t);
        m->loc = n.loc;
        m->backward = n.backward;
        m->scope = n.scope;
        v = edit.insert(i, std::move(m))->out(0);
      }
      edit.replace(n.out(0), v);
      edit.remove(&n);
      break;
    }
  }
  return edit.commit();
}

}  // namespace

bool simplify_algebra(Graph& graph) {
  bool changed = false;
  // Rewrites chain (--(--x)): sweep until a fixpoint, bounded.
  for (int round = 0; round < 8; ++round) {
    bool any = false;
    passes::for_each_graph(graph, [&](Graph& g) { any |= simplify_graph(g); });
    changed |= any;
    if (!any) break;
  }
  return changed;
}

}  // namespace xag::rt
