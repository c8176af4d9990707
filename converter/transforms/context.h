// What the transforms share while converting one function: fresh names,
// diagnostics, options, and side tables passed from one pass to a later one.
#pragma once

#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "converter/ast/ast.h"
#include "converter/transforms/namer.h"

namespace xag::transforms {

using ast::Field;
using ast::NodeId;
using ast::NodeKind;
using ast::Op;
using ast::Pos;
using ast::Tree;

// A problem found while converting, pointing at what the user wrote.
struct Diagnostic {
  std::string type = "ConversionError";  // or "SyntaxError"
  std::string message;                   // names the construct: "generators (yield) ..."
  Pos pos;
};

struct Options {
  // Emit `ag__.assert_stmt` for assert statements (else leave them alone).
  bool convert_asserts = true;
  // Rewrite lst.append/pop into ag__.list_append/list_pop.
  bool convert_lists = true;
  // Name of the operators module in generated code.
  std::string operators_module = "ag__";
};

struct Context {
  explicit Context(Options o = {}) : options(std::move(o)) {}

  Options options;
  Namer namer;
  std::vector<Diagnostic> errors;

  // For loops whose iteration must also stop when a flag is set (break,
  // return): loop NodeId index -> condition expression, `not break_`.
  // Written by break/return lowering, read by control_flow.
  std::unordered_map<uint32_t, NodeId> extra_test;
  // Each converted function (FunctionDef NodeId index) -> the name of its
  // FunctionScope variable, `fscope`, `fscope_1`, ... Written by the
  // pipeline before the passes run; read by call_trees, return_statements
  // and functions.
  std::unordered_map<uint32_t, std::string> fscope;

  // Variables that control_flow initialized with ag__.Undefined, per user
  // function (FunctionDef NodeId index), and the names of the get_state
  // functions it generated. Read by variables, which checks reads of those
  // variables everywhere except in get_state (which must pass them through).
  std::unordered_map<uint32_t, std::set<std::string>> undefined_vars;
  std::set<std::string> state_getters;
  // Name loads (NodeId index) that may run before their variable is
  // assigned in the function as written (analysis::maybe_undefined_reads),
  // computed by the pipeline before any pass; variables wraps only these.
  std::unordered_set<uint32_t> maybe_undefined_reads;
  // Statements (NodeId index) a pass left with every node positioned, and
  // Tree::unpositioned_made() then: while that count is unchanged the next
  // pass need not walk them to find out again (see Transformer::stmt).
  std::unordered_map<uint32_t, uint64_t> positioned;

  void error(const Pos& pos, std::string message) {
    errors.push_back(Diagnostic{"ConversionError", std::move(message), pos});
  }
};

}  // namespace xag::transforms
