// Reports what cannot be converted at all, wherever it is staged or not:
// generators (their body runs lazily, after the trace is over) and async
// code. `try` inside control flow is different: it only fails if the loop or
// `if` around it is staged, which control_flow tells the runtime about.
#include <string>

#include "converter/transforms/passes.h"

namespace xag::transforms::unsupported_constructs {

namespace {

std::string where(const Pos& p) {
  return "line " + std::to_string(p.lineno) + ", column " + std::to_string(p.col_offset + 1);
}

void walk(Tree& t, NodeId n, Context& ctx) {
  const Pos& p = t.pos(n);
  switch (t.kind(n)) {
    case NodeKind::Yield:
    case NodeKind::YieldFrom:
      ctx.error(p, std::string("generators cannot be converted: '") +
                       (t.kind(n) == NodeKind::Yield ? "yield" : "yield from") + "' at " +
                       where(p) +
                       "; return a list or tensor instead, or mark the function with "
                       "@ag.do_not_convert");
      break;
    case NodeKind::Await:
      ctx.error(p, "async code cannot be converted: 'await' at " + where(p));
      break;
    case NodeKind::AsyncFunctionDef:
      ctx.error(p, "async code cannot be converted: 'async def' at " + where(p));
      break;
    case NodeKind::AsyncFor:
      ctx.error(p, "async code cannot be converted: 'async for' at " + where(p));
      break;
    case NodeKind::AsyncWith:
      ctx.error(p, "async code cannot be converted: 'async with' at " + where(p));
      break;
    default:
      break;
  }
  ast::for_each_child(t, n, [&](NodeId c) { walk(t, c, ctx); });
}

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  // Decorators and defaults run outside the converted function.
  for (NodeId s : t.list(fn, Field::FunctionDef_body)) walk(t, s, ctx);
}

}  // namespace xag::transforms::unsupported_constructs
