#include "converter/pipeline/convert.h"

#include <stdexcept>

#include "converter/analysis/undefined_reads.h"
#include "converter/parse/parser.h"
#include "converter/pipeline/large_stack.h"
#include "converter/pipeline/source_map.h"
#include "converter/transforms/passes.h"
#include "converter/unparse/unparse.h"

namespace xag::pipeline {

using ast::Field;
using ast::NodeId;
using ast::NodeKind;
using ast::Tree;

namespace {

// The passes, in order. Like AutoGraph's impl/api.py, order matters:
void run_passes(Tree& t, NodeId fn, transforms::Context& ctx) {
  namespace tr = transforms;
  // Refuse generators and async code before anything is rewritten, so the
  // diagnostics point at what the user wrote.
  tr::unsupported_constructs::transform(t, fn, ctx);
  if (!ctx.errors.empty()) return;
  // break first: it also removes loop `else` clauses, which every later pass
  // can then ignore.
  tr::break_statements::transform(t, fn, ctx);
  tr::asserts::transform(t, fn, ctx);
  // continue before return: return lowering guards with `if not do_return`
  // and must see the continue flag's guards already in place, not the jump.
  tr::continue_statements::transform(t, fn, ctx);
  tr::return_statements::transform(t, fn, ctx);
  // lists before call_trees: lst.append(x) must be recognized before it
  // becomes converted_call(lst.append, ...).
  tr::lists::transform(t, fn, ctx);
  // call_trees before control_flow: the ag__ calls control flow generates
  // (and those of asserts and lists, which it skips by name) are not user
  // calls to convert.
  tr::call_trees::transform(t, fn, ctx);
  // deletions right before control_flow, which moves its blocks into
  // functions where `del x` would delete a local of that function.
  tr::deletions::transform(t, fn, ctx);
  // control_flow after every lowering: breaks, continues and returns are
  // plain assignments and ifs by now, so they become state like any other.
  tr::control_flow::transform(t, fn, ctx);
  // Expression passes after control_flow: they also rewrite the `not break_`
  // style conditions the lowerings generated, inside the new local functions.
  tr::conditional_expressions::transform(t, fn, ctx);
  tr::logical_expressions::transform(t, fn, ctx);
  // After every pass that writes reads of variables (control flow's bodies,
  // the lambdas of and_/if_exp): a variable given an ag__.Undefined
  // placeholder is read through ag__.ld, which raises like Python would.
  tr::variables::transform(t, fn, ctx);
  // Last: wraps bodies in FunctionScope; nothing after needs to analyze them.
  tr::functions::transform(t, fn, ctx);
}

// Gives each user function under fn (fn included) its fscope variable name.
// Also records, from the code as written, which reads may see an unassigned
// variable (variables checks those).
void name_function_scopes(const Tree& t, NodeId n, transforms::Context& ctx) {
  if (t.kind(n) == NodeKind::FunctionDef) {
    ctx.fscope[n.index] = ctx.namer.fresh("fscope");
    auto reads = analysis::maybe_undefined_reads(t, n);
    ctx.maybe_undefined_reads.insert(reads.begin(), reads.end());
  }
  if (t.kind(n) == NodeKind::ClassDef) return;  // methods are converted when called
  ast::for_each_child(t, n, [&](NodeId c) { name_function_scopes(t, c, ctx); });
}

struct Parsed {
  Tree tree;
  std::vector<Diagnostic> errors;
};

Parsed parse(std::string_view source) {
  parse::ParseResult r = parse::parse_module(source);
  Parsed p{std::move(r.tree), {}};
  if (r.error) {
    Diagnostic d;
    d.type = r.error->type;
    d.message = r.error->message;
    d.pos = {r.error->lineno, r.error->col_offset, r.error->end_lineno, r.error->end_col_offset};
    p.errors.push_back(d);
  }
  return p;
}

// names: every identifier of the module as the user wrote it, so that each
// function's generated names are numbered from scratch yet never collide.
void convert_one(Tree& t, NodeId fn, const Options& options, const transforms::Namer& names,
                 std::vector<Diagnostic>& errors) {
  transforms::Context ctx(options);
  ctx.namer = names;
  name_function_scopes(t, fn, ctx);
  try {
    run_passes(t, fn, ctx);
  } catch (const std::exception& e) {
    ctx.error(t.pos(fn), std::string("internal converter error: ") + e.what());
  }
  errors.insert(errors.end(), ctx.errors.begin(), ctx.errors.end());
}

ConversionResult finish(Tree& t, NodeId n, std::vector<Diagnostic> errors) {
  ConversionResult r;
  r.errors = std::move(errors);
  if (!r.errors.empty()) return r;
  unparse::Unparsed u = unparse::unparse_with_origins(t, n);
  r.code = std::move(u.text);
  if (!r.code.empty() && r.code.back() != '\n') r.code += '\n';
  r.map = build_source_map(u.origins);
  return r;
}

ConversionResult convert_function_here(std::string_view source, std::string_view function_name,
                                       const Options& options) {
  Parsed p = parse(source);
  if (!p.errors.empty()) return ConversionResult{"", {}, p.errors};
  Tree& t = p.tree;
  NodeId fn;
  for (NodeId s : t.list(t.root(), Field::Module_body))
    if (t.kind(s) == NodeKind::FunctionDef && t.ident(s, Field::FunctionDef_name) == function_name)
      fn = s;  // the last definition wins, as when the module runs
  if (!fn) {
    Diagnostic d;
    d.message = "no top-level function named '" + std::string(function_name) + "' to convert";
    d.pos = {1, 0, 1, 0};
    for (NodeId s : t.list(t.root(), Field::Module_body))
      if (t.kind(s) == NodeKind::AsyncFunctionDef &&
          t.ident(s, Field::AsyncFunctionDef_name) == function_name) {
        d.message = "async code cannot be converted: 'async def " + std::string(function_name) +
                    "' at line " + std::to_string(t.pos(s).lineno);
        d.pos = t.pos(s);
      }
    return ConversionResult{"", {}, {d}};
  }
  std::vector<Diagnostic> errors;
  transforms::Namer names;
  names.reserve_all(t, t.root());
  convert_one(t, fn, options, names, errors);
  t.set_list(fn, Field::FunctionDef_decorator_list, std::vector<NodeId>{});
  return finish(t, fn, std::move(errors));
}

ConversionResult convert_module_here(std::string_view source, const Options& options) {
  Parsed p = parse(source);
  if (!p.errors.empty()) return ConversionResult{"", {}, p.errors};
  Tree& t = p.tree;
  std::vector<Diagnostic> errors;
  transforms::Namer names;
  names.reserve_all(t, t.root());
  for (NodeId s : std::vector<NodeId>(t.list(t.root(), Field::Module_body).begin(),
                                      t.list(t.root(), Field::Module_body).end()))
    if (t.kind(s) == NodeKind::FunctionDef) convert_one(t, s, options, names, errors);
  return finish(t, t.root(), std::move(errors));
}

}  // namespace

ConversionResult convert_function_source(std::string_view source, std::string_view function_name,
                                         const Options& options) {
  ConversionResult r;
  run_on_large_stack([&] { r = convert_function_here(source, function_name, options); });
  return r;
}

ConversionResult convert_module(std::string_view source, const Options& options) {
  ConversionResult r;
  run_on_large_stack([&] { r = convert_module_here(source, options); });
  return r;
}

std::string format_source_map(const std::vector<SourceMapEntry>& map) {
  std::string out;
  for (const auto& e : map)
    out += std::to_string(e.generated_line) + " " + std::to_string(e.original_line) + ":" +
           std::to_string(e.original_col) + "\n";
  return out;
}

}  // namespace xag::pipeline
