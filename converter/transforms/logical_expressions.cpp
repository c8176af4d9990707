// Lazy boolean operators that also work on tensors:
//   a and b and c  ->  ag__.and_(lambda: a, lambda: ag__.and_(lambda: b, lambda: c))
//   a or b         ->  ag__.or_(lambda: a, lambda: b)
//   not a          ->  ag__.not_(a)
// Comparisons are left to the operands' own overloads.
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
    if (t_.kind(e) == NodeKind::UnaryOp && t_.op(e, Field::UnaryOp_op) == Op::Not)
      return b.call(b.op("not_"), {t_.node(e, Field::UnaryOp_operand)});
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
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  run_on_function<Logical>(t, fn, ctx);
}

}  // namespace xag::transforms::logical_expressions
