// The unparser's internals, shared by unparse_stmt.cpp (statements and the
// output buffer), unparse_expr.cpp (expressions, f-strings) and
// unparse_pattern.cpp (match patterns).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "converter/ast/ast.h"
#include "converter/unparse/literals.h"

namespace xag::unparse {

using ast::Field;
using ast::NodeId;
using ast::NodeKind;
using ast::Op;
using ast::Pos;

// Binding strength, weakest first (the order of CPython's grammar levels). An
// expression is parenthesized when its own level is below what its position
// requires; left-associative operators require one level more on the right.
enum class Prec : uint8_t {
  NamedExpr,  // x := v
  Tuple,      // a, b
  Yield,      // yield, yield from
  Test,       // a if b else c, lambda
  Or,
  And,
  Not,
  Cmp,
  BitOr,  // also the level of *starred and **unpacked operands
  BitXor,
  BitAnd,
  Shift,
  Arith,
  Term,
  Factor,  // unary + - ~
  Power,
  Await,
  Atom,
};
inline Prec next(Prec p) {
  return static_cast<Prec>(static_cast<int>(p) + 1);
}

// Where an f-string puts the expression being written. Python 3.11 forbids
// backslashes inside replacement fields, and the string token ends at the
// enclosing quotes: a `'` cannot appear in a field of f'...', nor `'''` in one
// of f'''...''' (a lone `'` can: f'''{'a'}''').
struct FStringContext {
  bool inside = false;           // writing a replacement field's expression
  uint8_t forbidden = 0;         // quote characters in use: 1 = ', 2 = "
  uint8_t forbidden_triple = 0;  // triple quotes in use: 1 = ''', 2 = """
  bool newlines_ok = false;      // every enclosing f-string is triple-quoted
};

class Unparser {
 public:
  explicit Unparser(const ast::Tree& tree, FStringContext fs = {}) : t_(tree), fs_(fs) {}

  // Writes any node: module, statement, expression, pattern or helper node.
  void any(NodeId n);
  std::string& text() { return out_; }
  std::vector<Pos>& origins() { return lines_; }
  // True when an f-string expression could not be written under fs_'s rules.
  bool failed() const { return failed_; }

  // ---- output (unparse_stmt.cpp) ----
  void write(std::string_view s);
  void write(char c) { out_ += c; }
  // An identifier or dotted name. NFKC folds `iſ` to the keyword `is`, so a
  // name that is a keyword is written with a fullwidth first letter (`ｉs`),
  // which CPython folds back to it.
  void write_name(std::string_view name);
  void fill(const Pos& origin);  // starts a new line at the current indentation
  void blank_line();

  // ---- statements (unparse_stmt.cpp) ----
  void statements(ast::Span<NodeId> body, bool allow_docstring);
  void stmt(NodeId n);
  void block(ast::Span<NodeId> body, bool allow_docstring = false);
  void function_def(NodeId n, bool is_async);
  void class_def(NodeId n);
  void decorators(ast::Span<NodeId> list);
  void if_stmt(NodeId n, bool elif);
  void try_stmt(NodeId n, bool star);
  void with_items(ast::Span<NodeId> items);
  void import_names(ast::Span<NodeId> names);
  void match_case(NodeId n);

  // ---- expressions (unparse_expr.cpp) ----
  void expr(NodeId n, Prec p);
  void star_expressions(NodeId n);  // tuples welcome, bare yield not
  void arguments(NodeId n, bool lambda);
  void call(NodeId n);
  void comprehensions(ast::Span<NodeId> gens);
  void constant(NodeId n);
  void joined_str(NodeId n);
  // True when the f-string's first piece is a constant of kind 'u'.
  bool leading_u_kind(NodeId n) const;
  void keyword(NodeId n);
  void comma_list(ast::Span<NodeId> items, Prec p);

  // ---- patterns (unparse_pattern.cpp) ----
  // tight: the pattern must be a closed pattern (inside `|` or before `as`).
  void pattern(NodeId n, bool tight = false);

 private:
  void bin_op(NodeId n, Prec p);
  // spec: n is a format spec, where 3.11 has no `{{` escape for literal braces.
  void fstring_body(NodeId n, std::string& body, char quote, bool triple, bool spec, bool& ok);
  // debug: the field's source as a self-documenting `{<expr>=}` left it in the
  // constant before it; written verbatim in place of the rendered expression.
  bool fstring_field(NodeId n, std::string& body, char quote, bool triple,
                     const std::string_view* debug = nullptr);
  BodyOptions literal_options(bool triple, bool spec) const;
  // Writes f-string n in quotes q if everything fits there.
  bool joined_str_in(NodeId n, Quote q);
  // (unparse_fstring_spec.cpp) A format spec constant with braces followed by
  // field: both written as one self-documenting field, when that parses back.
  bool spec_debug_field(NodeId constant, NodeId field, std::string& body, char quote, bool triple);
  bool spec_piece_reparses(const std::string& piece, NodeId constant, NodeId field,
                           std::string_view quote) const;
  bool fstring_str(std::string_view text, bool bytes, std::string& out);

  const ast::Tree& t_;
  FStringContext fs_;
  std::string out_;
  std::vector<Pos> lines_;
  int indent_ = 0;
  bool failed_ = false;
  // Whether format spec braces may be written \x7b / \x7d (see joined_str).
  bool escape_spec_braces_ = true;
  bool spec_braces_refused_ = false;  // a spec brace wanted an escape
};

}  // namespace xag::unparse
