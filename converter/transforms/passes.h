// The conversion passes, one per file, each with the same entry point:
// transform(tree, fn, ctx) rewrites the function fn (a FunctionDef in tree)
// and the user functions nested in it. pipeline/convert.cpp runs them in
// order; see there for why the order is what it is.
#pragma once

#include "converter/transforms/context.h"

namespace xag::transforms {

#define XAG_PASS(name)                              \
  namespace name {                                  \
  void transform(Tree& t, NodeId fn, Context& ctx); \
  }

XAG_PASS(unsupported_constructs)   // yield, async: ConversionError
XAG_PASS(break_statements)         // break -> flag + guards; loop else clauses
XAG_PASS(asserts)                  // assert -> ag__.assert_stmt
XAG_PASS(continue_statements)      // continue -> flag + guards
XAG_PASS(return_statements)        // return -> do_return/retval_ + single exit
XAG_PASS(lists)                    // lst.append/pop -> ag__.list_append/list_pop
XAG_PASS(call_trees)               // f(x) -> ag__.converted_call(f, (x,), None, fscope)
XAG_PASS(deletions)                // del x inside if/while/for -> x = ag__.Undefined('x')
XAG_PASS(control_flow)             // if/while/for -> ag__.if_stmt/while_stmt/for_stmt
XAG_PASS(conditional_expressions)  // a if c else b -> ag__.if_exp
XAG_PASS(logical_expressions)      // and/or/not -> ag__.and_/or_/not_
XAG_PASS(variables)                // reads of maybe-undefined x -> ag__.ld(x)
XAG_PASS(functions)                // body -> with ag__.FunctionScope(...) as fscope

#undef XAG_PASS

}  // namespace xag::transforms
