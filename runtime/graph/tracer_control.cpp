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

// Runs `f` (building a cond or while) with the builder's own errors reported as staging errors;
// an exception leaving a callback (`in_callback` still set) passes through unchanged.
template <class F>
auto staging_rule_errors(const bool& in_callback, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const LocatedError& e) {
    if (in_callback) throw;
    throw LocatedError(e.message(), e.loc(), ErrorKind::Staging);
  } catch (const InvalidArgumentError& e) {
    if (in_callback) throw;
    throw StagingError(e.what());
  }
}

// Calls a callback with `in_callback` set; it is cleared only when the callback returns.
template <class F>
auto callback(bool& in_callback, F&& f) -> decltype(f()) {
  in_callback = true;
  auto r = f();
  in_callback = false;
  return r;
}

}  // namespace

std::vector<Operand> cond(const Operand& pred, const BranchFn& then_fn, const BranchFn& else_fn) {
  Trace& tr = current_trace("cond");
  tr.locate();
  bool in_callback = false;
  auto branch = [&](const BranchFn& fn) -> SubgraphFn {
    return [&](const std::vector<Value>&) { return captured_all(tr, callback(in_callback, fn)); };
  };
  return staging_rule_errors(in_callback, [&] {
    const Value p = tr.value_of(pred);
    return tr.symbolic(tr.builder().cond(p, {}, branch(then_fn), branch(else_fn)));
  });
}

std::vector<Operand> while_loop(const std::vector<Operand>& loop_vars, const WhileCondFn& cond_fn,
                                const WhileBodyFn& body_fn,
                                const std::optional<Operand>& maximum_iterations,
                                const std::vector<std::optional<Shape>>& invariants) {
  Trace& tr = current_trace("while_loop");
  tr.locate();
  bool in_callback = false;
  // The callbacks trace the user's code, which moves the location; the loop's own checks (a
  // variable changing dtype) name the line where the callback returned.
  LoopCondFn c = [&](const std::vector<Value>& params) {
    Operand r = callback(in_callback, [&] { return cond_fn(tr.symbolic(params)); });
    tr.locate();
    return tr.captured(r);
  };
  SubgraphFn b = [&](const std::vector<Value>& params) {
    std::vector<Operand> r = callback(in_callback, [&] { return body_fn(tr.symbolic(params)); });
    tr.locate();
    return captured_all(tr, r);
  };
  return staging_rule_errors(in_callback, [&] {
    const std::vector<Value> vars = captured_all(tr, loop_vars);
    Value max_it;
    if (maximum_iterations) max_it = tr.value_of(*maximum_iterations);
    return tr.symbolic(tr.builder().while_loop(vars, c, b, max_it, invariants));
  });
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

std::vector<Operand> call_function(const Trace& callee, const std::vector<Operand>& args,
                                   const std::vector<TensorSpec>& results, bool own) {
  Trace& tr = current_trace("call");
  tr.locate();
  const std::shared_ptr<Graph>& fn = callee.graph();
  if (args.size() != fn->params().size()) {
    throw StagingError("call: '" + fn->name() + "' takes " + std::to_string(fn->params().size()) +
                       " tensors, got " + std::to_string(args.size()));
  }
  std::vector<Value> ins;
  for (size_t i = 0; i < args.size(); ++i) {
    const TensorSpec& want = fn->params()[i].spec();
    // Every dimension the param knows must be the argument's (an unknown one takes any).
    const Shape& got = args[i].shape();
    bool fits =
        args[i].dtype() == want.dtype && !args[i].is_list() && got.rank() == want.shape.rank();
    for (int d = 0; fits && d < got.rank(); ++d)
      fits = want.shape[d] == kUnknownDim || want.shape[d] == got[d];
    if (!fits) {
      throw StagingError("call: argument " + std::to_string(i) + " of '" + fn->name() + "' is " +
                         TensorSpec{args[i].dtype(), args[i].shape()}.to_string() +
                         " but it takes " + want.to_string());
    }
    ins.push_back(tr.value_of(args[i]));
  }
  if (own) tr.graph()->add_function(fn);
  std::vector<Type> types;
  for (const TensorSpec& s : results) types.push_back(Type::tensor(s));
  return tr.symbolic(tr.builder().call(fn.get(), ins, types));
}

}  // namespace xag::rt
