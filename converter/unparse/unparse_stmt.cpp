// Statements, blocks and the line-tracking output buffer of the unparser.
#include <cstring>

#include "converter/unparse/literals.h"
#include "converter/unparse/unparse.h"
#include "converter/unparse/unparser.h"

namespace xag::unparse {
namespace {

bool is_definition(const ast::Tree& t, NodeId n) {
  NodeKind k = t.kind(n);
  return k == NodeKind::FunctionDef || k == NodeKind::AsyncFunctionDef || k == NodeKind::ClassDef;
}

bool is_docstring(const ast::Tree& t, NodeId n) {
  if (t.kind(n) != NodeKind::Expr) return false;
  NodeId v = t.node(n, Field::Expr_value);
  return t.kind(v) == NodeKind::Constant &&
         t.constant(v, Field::Constant_value).kind == ast::ConstKind::Str;
}

const char* aug_op_text(Op op) {
  switch (op) {
    case Op::Add:
      return "+=";
    case Op::Sub:
      return "-=";
    case Op::Mult:
      return "*=";
    case Op::MatMult:
      return "@=";
    case Op::Div:
      return "/=";
    case Op::Mod:
      return "%=";
    case Op::Pow:
      return "**=";
    case Op::LShift:
      return "<<=";
    case Op::RShift:
      return ">>=";
    case Op::BitOr:
      return "|=";
    case Op::BitXor:
      return "^=";
    case Op::BitAnd:
      return "&=";
    case Op::FloorDiv:
      return "//=";
    default:
      return "?=";
  }
}

}  // namespace

// ---- output ----

void Unparser::write(std::string_view s) {
  out_.append(s.data(), s.size());
  // Line breaks inside what is written (docstrings, triple-quoted f-strings)
  // belong to the line that started them.
  for (const char* p = s.data();
       (p = static_cast<const char*>(std::memchr(p, '\n', s.data() + s.size() - p))); ++p)
    lines_.push_back(lines_.empty() ? Pos{} : lines_.back());
}

void Unparser::write_name(std::string_view name) {
  static constexpr std::string_view kKeywords[] = {
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  while (true) {
    size_t dot = name.find('.');
    std::string_view part = name.substr(0, dot);
    bool keyword = false;
    for (std::string_view k : kKeywords) keyword = keyword || part == k;
    if (keyword) {
      // U+FF21.. / U+FF41.. (FULLWIDTH LATIN CAPITAL / SMALL LETTER A), in UTF-8.
      char c = part[0];
      uint32_t cp = c >= 'a' ? 0xFF41 + (c - 'a') : 0xFF21 + (c - 'A');
      out_ += static_cast<char>(0xE0 | (cp >> 12));
      out_ += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out_ += static_cast<char>(0x80 | (cp & 0x3F));
      part.remove_prefix(1);
    }
    write(part);
    if (dot == std::string_view::npos) return;
    write('.');
    name.remove_prefix(dot + 1);
  }
}

void Unparser::fill(const Pos& origin) {
  if (!out_.empty()) out_ += '\n';
  lines_.push_back(origin);
  out_.append(4 * indent_, ' ');
}

void Unparser::blank_line() {
  if (out_.empty()) return;
  out_ += '\n';
  lines_.push_back(Pos{});
}

// ---- blocks ----

void Unparser::statements(ast::Span<NodeId> body, bool allow_docstring) {
  for (uint32_t i = 0; i < body.size(); ++i) {
    NodeId s = body[i];
    // PEP 8 spacing: definitions stand apart, by two lines at module level.
    if (i > 0 && (is_definition(t_, s) || is_definition(t_, body[i - 1]))) {
      blank_line();
      if (indent_ == 0) blank_line();
    }
    if (i == 0 && allow_docstring && is_docstring(t_, s)) {
      NodeId v = t_.node(s, Field::Expr_value);
      fill(t_.pos(s));
      if (t_.has_str(v, Field::Constant_kind)) write(t_.str(v, Field::Constant_kind));
      write(docstring_literal(t_.constant(v, Field::Constant_value).text));
      continue;
    }
    stmt(s);
  }
}

void Unparser::block(ast::Span<NodeId> body, bool allow_docstring) {
  write(":");
  ++indent_;
  if (body.empty()) {
    // Only a hand-built tree has an empty body; keep the output parseable.
    fill(lines_.empty() ? Pos{} : lines_.back());
    write("pass");
  } else {
    statements(body, allow_docstring);
  }
  --indent_;
}

// ---- statements ----

void Unparser::stmt(NodeId n) {
  const Pos& pos = t_.pos(n);
  switch (t_.kind(n)) {
    case NodeKind::FunctionDef:
      return function_def(n, false);
    case NodeKind::AsyncFunctionDef:
      return function_def(n, true);
    case NodeKind::ClassDef:
      return class_def(n);
    case NodeKind::Return:
      fill(pos);
      write("return");
      if (NodeId v = t_.node(n, Field::Return_value)) {
        write(" ");
        star_expressions(v);
      }
      return;
    case NodeKind::Delete:
      fill(pos);
      write("del ");
      comma_list(t_.list(n, Field::Delete_targets), Prec::Test);
      return;
    case NodeKind::Assign:
      fill(pos);
      for (NodeId target : t_.list(n, Field::Assign_targets)) {
        expr(target, Prec::Tuple);
        write(" = ");
      }
      expr(t_.node(n, Field::Assign_value), Prec::Tuple);
      return;
    case NodeKind::AugAssign:
      fill(pos);
      expr(t_.node(n, Field::AugAssign_target), Prec::Test);
      write(" ");
      write(aug_op_text(t_.op(n, Field::AugAssign_op)));
      write(" ");
      expr(t_.node(n, Field::AugAssign_value), Prec::Tuple);
      return;
    case NodeKind::AnnAssign: {
      fill(pos);
      NodeId target = t_.node(n, Field::AnnAssign_target);
      // `(x): int` is not simple; the parentheses are all that records it.
      bool parens = !t_.int_value(n, Field::AnnAssign_simple) && t_.kind(target) == NodeKind::Name;
      if (parens) write("(");
      expr(target, Prec::Test);
      if (parens) write(")");
      write(": ");
      expr(t_.node(n, Field::AnnAssign_annotation), Prec::Test);
      if (NodeId v = t_.node(n, Field::AnnAssign_value)) {
        write(" = ");
        expr(v, Prec::Tuple);
      }
      return;
    }
    case NodeKind::For:
    case NodeKind::AsyncFor: {
      bool async = t_.kind(n) == NodeKind::AsyncFor;
      fill(pos);
      write(async ? "async for " : "for ");
      expr(t_.node(n, async ? Field::AsyncFor_target : Field::For_target), Prec::Tuple);
      write(" in ");
      star_expressions(t_.node(n, async ? Field::AsyncFor_iter : Field::For_iter));
      block(t_.list(n, async ? Field::AsyncFor_body : Field::For_body));
      auto orelse = t_.list(n, async ? Field::AsyncFor_orelse : Field::For_orelse);
      if (!orelse.empty()) {
        fill(pos);
        write("else");
        block(orelse);
      }
      return;
    }
    case NodeKind::While: {
      fill(pos);
      write("while ");
      expr(t_.node(n, Field::While_test), Prec::Test);
      block(t_.list(n, Field::While_body));
      auto orelse = t_.list(n, Field::While_orelse);
      if (!orelse.empty()) {
        fill(pos);
        write("else");
        block(orelse);
      }
      return;
    }
    case NodeKind::If:
      return if_stmt(n, false);
    case NodeKind::With:
    case NodeKind::AsyncWith: {
      bool async = t_.kind(n) == NodeKind::AsyncWith;
      fill(pos);
      write(async ? "async with " : "with ");
      with_items(t_.list(n, async ? Field::AsyncWith_items : Field::With_items));
      block(t_.list(n, async ? Field::AsyncWith_body : Field::With_body));
      return;
    }
    case NodeKind::Match:
      fill(pos);
      write("match ");
      star_expressions(t_.node(n, Field::Match_subject));
      write(":");
      ++indent_;
      for (NodeId c : t_.list(n, Field::Match_cases)) match_case(c);
      --indent_;
      return;
    case NodeKind::Raise:
      fill(pos);
      write("raise");
      if (NodeId e = t_.node(n, Field::Raise_exc)) {
        write(" ");
        expr(e, Prec::Test);
      }
      if (NodeId c = t_.node(n, Field::Raise_cause)) {
        write(" from ");
        expr(c, Prec::Test);
      }
      return;
    case NodeKind::Try:
      return try_stmt(n, false);
    case NodeKind::TryStar:
      return try_stmt(n, true);
    case NodeKind::Assert:
      fill(pos);
      write("assert ");
      expr(t_.node(n, Field::Assert_test), Prec::Test);
      if (NodeId m = t_.node(n, Field::Assert_msg)) {
        write(", ");
        expr(m, Prec::Test);
      }
      return;
    case NodeKind::Import:
      fill(pos);
      write("import ");
      import_names(t_.list(n, Field::Import_names));
      return;
    case NodeKind::ImportFrom:
      fill(pos);
      write("from ");
      out_.append(t_.int_value(n, Field::ImportFrom_level), '.');
      if (t_.has_str(n, Field::ImportFrom_module))
        write_name(t_.ident(n, Field::ImportFrom_module));
      write(" import ");
      import_names(t_.list(n, Field::ImportFrom_names));
      return;
    case NodeKind::Global:
    case NodeKind::Nonlocal: {
      bool global = t_.kind(n) == NodeKind::Global;
      fill(pos);
      write(global ? "global " : "nonlocal ");
      auto names = t_.idents(n, global ? Field::Global_names : Field::Nonlocal_names);
      for (uint32_t i = 0; i < names.size(); ++i) {
        if (i) write(", ");
        write_name(t_.string(names[i]));
      }
      return;
    }
    case NodeKind::Expr:
      fill(pos);
      expr(t_.node(n, Field::Expr_value), Prec::Tuple);
      return;
    case NodeKind::Pass:
      fill(pos), write("pass");
      return;
    case NodeKind::Break:
      fill(pos), write("break");
      return;
    case NodeKind::Continue:
      fill(pos), write("continue");
      return;
    default:
      fill(pos);
      write("<unknown statement>");
      return;
  }
}

void Unparser::decorators(ast::Span<NodeId> list) {
  for (NodeId d : list) {
    fill(t_.pos(d));
    write("@");
    expr(d, Prec::Test);
  }
}

void Unparser::function_def(NodeId n, bool is_async) {
  auto f = [&](Field plain, Field async) { return is_async ? async : plain; };
  decorators(
      t_.list(n, f(Field::FunctionDef_decorator_list, Field::AsyncFunctionDef_decorator_list)));
  fill(t_.pos(n));
  write(is_async ? "async def " : "def ");
  write_name(t_.ident(n, f(Field::FunctionDef_name, Field::AsyncFunctionDef_name)));
  write("(");
  arguments(t_.node(n, f(Field::FunctionDef_args, Field::AsyncFunctionDef_args)), false);
  write(")");
  if (NodeId r = t_.node(n, f(Field::FunctionDef_returns, Field::AsyncFunctionDef_returns))) {
    write(" -> ");
    expr(r, Prec::Test);
  }
  block(t_.list(n, f(Field::FunctionDef_body, Field::AsyncFunctionDef_body)), true);
}

void Unparser::class_def(NodeId n) {
  decorators(t_.list(n, Field::ClassDef_decorator_list));
  fill(t_.pos(n));
  write("class ");
  write_name(t_.ident(n, Field::ClassDef_name));
  auto bases = t_.list(n, Field::ClassDef_bases);
  auto keywords = t_.list(n, Field::ClassDef_keywords);
  if (!bases.empty() || !keywords.empty()) {
    write("(");
    comma_list(bases, Prec::Test);
    for (uint32_t i = 0; i < keywords.size(); ++i) {
      if (i || !bases.empty()) write(", ");
      keyword(keywords[i]);
    }
    write(")");
  }
  block(t_.list(n, Field::ClassDef_body), true);
}

void Unparser::if_stmt(NodeId n, bool elif) {
  fill(t_.pos(n));
  write(elif ? "elif " : "if ");
  expr(t_.node(n, Field::If_test), Prec::Test);
  block(t_.list(n, Field::If_body));
  auto orelse = t_.list(n, Field::If_orelse);
  if (orelse.empty()) return;
  // `else:` holding a lone `if` is what `elif` means; the tree is the same.
  if (orelse.size() == 1 && t_.kind(orelse[0]) == NodeKind::If) return if_stmt(orelse[0], true);
  fill(t_.pos(n));
  write("else");
  block(orelse);
}

void Unparser::try_stmt(NodeId n, bool star) {
  auto f = [&](Field plain, Field s) { return star ? s : plain; };
  fill(t_.pos(n));
  write("try");
  block(t_.list(n, f(Field::Try_body, Field::TryStar_body)));
  for (NodeId h : t_.list(n, f(Field::Try_handlers, Field::TryStar_handlers))) {
    fill(t_.pos(h));
    write(star ? "except*" : "except");
    if (NodeId type = t_.node(h, Field::ExceptHandler_type)) {
      write(" ");
      expr(type, Prec::Test);
      if (t_.has_str(h, Field::ExceptHandler_name)) {
        write(" as ");
        write_name(t_.ident(h, Field::ExceptHandler_name));
      }
    }
    block(t_.list(h, Field::ExceptHandler_body));
  }
  auto orelse = t_.list(n, f(Field::Try_orelse, Field::TryStar_orelse));
  if (!orelse.empty()) {
    fill(t_.pos(n));
    write("else");
    block(orelse);
  }
  auto finalbody = t_.list(n, f(Field::Try_finalbody, Field::TryStar_finalbody));
  if (!finalbody.empty()) {
    fill(t_.pos(n));
    write("finally");
    block(finalbody);
  }
}

void Unparser::with_items(ast::Span<NodeId> items) {
  // `with (a, b):` means two items since 3.9; a tuple as the context manager
  // itself needs the whole item list in parentheses.
  bool wrap = false;
  for (NodeId item : items)
    if (t_.kind(t_.node(item, Field::withitem_context_expr)) == NodeKind::Tuple) wrap = true;
  if (wrap) write("(");
  for (uint32_t i = 0; i < items.size(); ++i) {
    if (i) write(", ");
    expr(t_.node(items[i], Field::withitem_context_expr), Prec::Test);
    if (NodeId v = t_.node(items[i], Field::withitem_optional_vars)) {
      write(" as ");
      expr(v, Prec::Test);
    }
  }
  if (wrap) write(")");
}

void Unparser::import_names(ast::Span<NodeId> names) {
  for (uint32_t i = 0; i < names.size(); ++i) {
    if (i) write(", ");
    write_name(t_.ident(names[i], Field::alias_name));
    if (t_.has_str(names[i], Field::alias_asname)) {
      write(" as ");
      write_name(t_.ident(names[i], Field::alias_asname));
    }
  }
}

void Unparser::match_case(NodeId n) {
  NodeId pat = t_.node(n, Field::match_case_pattern);
  fill(t_.pos(pat));
  write("case ");
  pattern(pat);
  if (NodeId g = t_.node(n, Field::match_case_guard)) {
    write(" if ");
    expr(g, Prec::Test);
  }
  block(t_.list(n, Field::match_case_body));
}

// ---- any node ----

void Unparser::any(NodeId n) {
  switch (ast::kind_category(t_.kind(n))) {
    case ast::Category::Mod:
      switch (t_.kind(n)) {
        case NodeKind::Module:
          return statements(t_.list(n, Field::Module_body), true);
        case NodeKind::Interactive:
          return statements(t_.list(n, Field::Interactive_body), false);
        case NodeKind::Expression:
          return expr(t_.node(n, Field::Expression_body), Prec::NamedExpr);
        default:
          return;  // FunctionType: only from type comments, which are dropped
      }
    case ast::Category::Stmt:
      return stmt(n);
    case ast::Category::Expr:
      return expr(n, Prec::NamedExpr);
    case ast::Category::ExceptHandler: {
      // Alone, a handler prints as the clause it is.
      fill(t_.pos(n));
      write("except");
      if (NodeId type = t_.node(n, Field::ExceptHandler_type)) {
        write(" ");
        expr(type, Prec::Test);
        if (t_.has_str(n, Field::ExceptHandler_name)) {
          write(" as ");
          write_name(t_.ident(n, Field::ExceptHandler_name));
        }
      }
      return block(t_.list(n, Field::ExceptHandler_body));
    }
    case ast::Category::Arguments:
      return arguments(n, false);
    case ast::Category::Arg:
      write_name(t_.ident(n, Field::arg_arg));
      if (NodeId a = t_.node(n, Field::arg_annotation)) {
        write(": ");
        expr(a, Prec::Test);
      }
      return;
    case ast::Category::Keyword:
      return keyword(n);
    case ast::Category::Alias:
      return import_names(ast::Span<NodeId>{&n, 1});
    case ast::Category::WithItem:
      return with_items(ast::Span<NodeId>{&n, 1});
    case ast::Category::MatchCase:
      return match_case(n);
    case ast::Category::Pattern:
      return pattern(n);
    case ast::Category::Comprehension:
      return comprehensions(ast::Span<NodeId>{&n, 1});
    case ast::Category::TypeIgnore:
      return;
  }
}

Unparsed unparse_with_origins(const ast::Tree& tree, NodeId n) {
  Unparser u(tree);
  u.any(n);
  Unparsed r{std::move(u.text()), std::move(u.origins())};
  if (r.origins.empty() && !r.text.empty()) r.origins.push_back(tree.pos(n));
  ast::Category c = ast::kind_category(tree.kind(n));
  bool lines = c == ast::Category::Mod || c == ast::Category::Stmt ||
               c == ast::Category::ExceptHandler || c == ast::Category::MatchCase;
  if (lines && !r.text.empty() && tree.kind(n) != NodeKind::Expression) r.text += '\n';
  return r;
}

std::string unparse(const ast::Tree& tree, NodeId n) {
  return unparse_with_origins(tree, n).text;
}

}  // namespace xag::unparse
