// The tracer's structured control flow and ordered side effects: cond, while_loop, print and
// assert on the innermost trace. The branch and loop callbacks are the embedding's (Python
// closures through the bindings); their results are captured into the subgraph being built.
#include <string>
#include <utility>

#include "runtime/graph/tracer.h"

namespace xag::rt {

namespace {

std::vector<Value> captured_all(Trace& tr, const std::vector<Operand>& operands) {
  std::vector<Value> out;
  out.reserve(operands.size());
  for (const Operand& o : operands) out.push_back(tr.captured(o));
  return out;
}

}  // namespace

std::vector<Operand> cond(const Operand& pred, const BranchFn& then_fn, const BranchFn& else_fn) {
  Trace& tr = current_trace("cond");
  tr.locate();
  const Value p = tr.value_of(pred);
  auto branch = [&tr](const BranchFn& fn) -> SubgraphFn {
    return [&tr, &fn](const std::vector<Value>&) { return captured_all(tr, fn()); };
  };
  return tr.symbolic(tr.builder().cond(p, {}, branch(then_fn), branch(else_fn)));
}

std::vector<Operand> while_loop(const std::vector<Operand>& loop_vars, const WhileCondFn& cond_fn,
                                const WhileBodyFn& body_fn, const Operand* maximum_iterations) {
  Trace& tr = current_trace("while_loop");
  tr.locate();
  const std::vector<Value> vars = captured_all(tr, loop_vars);
  Value max_it;
  if (maximum_iterations) max_it = tr.value_of(*maximum_iterations);
  // The callbacks trace the user's code, which moves the location; the loop's own checks (a
  // variable changing dtype) name the line where the callback returned.
  LoopCondFn c = [&tr, &cond_fn](const std::vector<Value>& params) {
    Operand r = cond_fn(tr.symbolic(params));
    tr.locate();
    return tr.captured(r);
  };
  SubgraphFn b = [&tr, &body_fn](const std::vector<Value>& params) {
    std::vector<Operand> r = body_fn(tr.symbolic(params));
    tr.locate();
    return captured_all(tr, r);
  };
  return tr.symbolic(tr.builder().while_loop(vars, c, b, max_it));
}

void print(const std::vector<PrintItemArg>& items, std::string sep, std::string end) {
  Trace& tr = current_trace("print");
  tr.locate();
  std::vector<PrintArg> args;
  args.reserve(items.size());
  for (const PrintItemArg& item : items) {
    if (const auto* text = std::get_if<std::string>(&item)) {
      args.push_back(PrintArg::literal(*text));
    } else {
      args.emplace_back(tr.value_of(std::get<Operand>(item)));
    }
  }
  tr.builder().print(args, std::move(sep), std::move(end));
}

void assert_true(const Operand& pred, std::string message) {
  Trace& tr = current_trace("assert");
  tr.locate();
  tr.builder().assert_true(tr.value_of(pred), std::move(message));
}

}  // namespace xag::rt
