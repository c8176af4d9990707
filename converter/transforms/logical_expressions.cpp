// Lazy boolean operators that also work on tensors:
//   a and b and c  ->  ag__.and_(lambda: a, lambda: ag__.and_(lambda: b, lambda: c))
//   a or b         ->  ag__.or_(lambda: a, lambda: b)
//   not a          ->  ag__.not_(a)
//   a < b < c      ->  ag__.and_(lambda: a < b, lambda: b < c)
//   x in c         ->  ag__.in_(x, c)        (also each link of a chain)
//   x not in c     ->  ag__.not_in(x, c)
// Python makes `in` a bool at once (a tensor cannot be one), so it becomes a call that stages
// membership in a tensor or a range with tensor bounds. Other single comparisons are left to
// the operands' own overloads.
#include "converter/transforms/passes.h"
#include "converter/transforms/transformer.h"

namespace xag::transforms::logical_expressions {

namespace {

class Logical : public Transformer {
 public:
  using Transformer::Transformer;

 protected:
  NodeId visit_expr(NodeId e) override {
    generic_visit(e);
    Builder b(t_, e);
    if (t_.kind(e) == NodeKind::UnaryOp && t_.op(e, Field::UnaryOp_op) == Op::Not) {
      // `not not not a` is `not a` (a `not` gives a bool): a chain of `not`s stays at most two
      // calls deep, since CPython compiles ~3,000 nested `not`s but only 200 nested calls.
      NodeId operand = t_.node(e, Field::UnaryOp_operand);
      if (NodeId inner = not_call_argument(operand); inner && not_call_argument(inner))
        return inner;
      return b.call(b.op("not_"), {operand});
    }
    if (t_.kind(e) == NodeKind::Compare && t_.ops(e, Field::Compare_ops).size() > 1)
      return chained_compare(e, b);
    if (t_.kind(e) == NodeKind::Compare)
      return membership(e, b, t_.ops(e, Field::Compare_ops)[0], t_.node(e, Field::Compare_left),
                        t_.list(e, Field::Compare_comparators)[0]);
    if (t_.kind(e) != NodeKind::BoolOp) return e;
    const char* fn = t_.op(e, Field::BoolOp_op) == Op::And ? "and_" : "or_";
    auto values = t_.list(e, Field::BoolOp_values);
    std::vector<NodeId> vs(values.begin(), values.end());
    // Right-nested: a and b and c == a and (b and c), evaluated left to right.
    NodeId acc = vs.back();
    for (size_t i = vs.size() - 1; i-- > 0;)
      acc = b.call(b.op(fn), {b.lambda(vs[i]), b.lambda(acc)});
    return acc;
  }

 private:
  // The argument of `ag__.not_(x)` (what this pass makes of `not x`), or no node.
  NodeId not_call_argument(NodeId e) {
    if (t_.kind(e) != NodeKind::Call) return NodeId();
    NodeId f = t_.node(e, Field::Call_func);
    auto args = t_.list(e, Field::Call_args);
    if (t_.kind(f) != NodeKind::Attribute || t_.ident(f, Field::Attribute_attr) != "not_" ||
        args.size() != 1)
      return NodeId();
    NodeId owner = t_.node(f, Field::Attribute_value);
    if (t_.kind(owner) != NodeKind::Name || t_.ident(owner, Field::Name_id) != "ag__")
      return NodeId();
    return *args.begin();
  }

  // `left in right` / `left not in right` as a call; any other comparison `e` stays.
  NodeId membership(NodeId e, Builder& b, Op op, NodeId left, NodeId right) {
    if (op != Op::In && op != Op::NotIn) return e;
    return b.call(b.op(op == Op::In ? "in_" : "not_in"), {left, right});
  }

  // Python tests each link of a chain as a bool, which a tensor cannot be: the links become
  // an and_ chain. A middle operand is evaluated again in the next link (as TensorFlow's
  // AutoGraph does); it is almost always a name or a constant.
  NodeId chained_compare(NodeId e, Builder& b) {
    // Copies: making nodes may move the tree's storage under the spans.
    auto ops_span = t_.ops(e, Field::Compare_ops);
    auto comps_span = t_.list(e, Field::Compare_comparators);
    const std::vector<Op> ops(ops_span.begin(), ops_span.end());
    const std::vector<NodeId> comps(comps_span.begin(), comps_span.end());
    std::vector<NodeId> links;
    for (size_t i = 0; i < ops.size(); ++i) {
      NodeId left = i == 0 ? t_.node(e, Field::Compare_left) : deep_copy(t_, comps[i - 1]);
      NodeId c = b.make(NodeKind::Compare);
      t_.set_node(c, Field::Compare_left, left);
      t_.set_ops(c, Field::Compare_ops, ast::Span<Op>{&ops[i], 1});
      t_.set_list(c, Field::Compare_comparators, {comps[i]});
      links.push_back(membership(c, b, ops[i], left, comps[i]));
    }
    NodeId acc = links.back();
    for (size_t i = links.size() - 1; i-- > 0;)
      acc = b.call(b.op("and_"), {b.lambda(links[i]), b.lambda(acc)});
    return acc;
  }
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  run_on_function<Logical>(t, fn, ctx);
}

}  // namespace xag::transforms::logical_expressions
