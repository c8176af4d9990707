// Statements: simple statements, blocks and compound statements.
// A compound statement ends at the last token of its last block that is not
// NEWLINE/INDENT/DEDENT (so a trailing ';' counts, as in CPython).
#include <cstring>

#include "converter/parse/parser_impl.h"

namespace xag::parse {

Pos Parser::block_span(const Token& start) const {
  size_t i = pos_ - 1;
  while (i > 0 && (toks_[i].kind == TokenKind::Newline || toks_[i].kind == TokenKind::Indent ||
                   toks_[i].kind == TokenKind::Dedent))
    --i;
  return span(start, toks_[i]);
}

// statements until `end` (ENDMARKER or DEDENT), each pushed on the stack.
void Parser::statements(TokenKind end) {
  while (!at(end)) statement();
}

void Parser::statement() {
  switch (kind()) {
    case TokenKind::KwDef:
    case TokenKind::KwIf:
    case TokenKind::KwClass:
    case TokenKind::KwWith:
    case TokenKind::KwFor:
    case TokenKind::KwTry:
    case TokenKind::KwWhile:
    case TokenKind::At:
      stack_.push_back(compound_stmt());
      return;
    case TokenKind::KwAsync:
      if (kind(1) == TokenKind::KwDef || kind(1) == TokenKind::KwFor ||
          kind(1) == TokenKind::KwWith) {
        stack_.push_back(compound_stmt());
        return;
      }
      break;
    case TokenKind::Indent:
      fail_generic();  // reported as "unexpected indent" (see choose_error)
    case TokenKind::Name:
      if (at_soft("match") && kind(1) != TokenKind::Equal && kind(1) != TokenKind::Dot &&
          kind(1) != TokenKind::Newline && kind(1) != TokenKind::Colon) {
        // `match` is a keyword only when a whole `match subject:` NEWLINE
        // follows; otherwise it is a plain name.
        size_t save = pos_;
        auto mark = tree_.mark();
        size_t stack_size = stack_.size();
        bool had_error = has_error_;
        try {
          NodeId m = match_stmt();
          stack_.push_back(m);
          return;
        } catch (ParseFail&) {
          // A message of its own from the subject (`match x = 3:`: "Maybe you meant '=='")
          // is CPython's too: its subject rule raises it before any other reading is tried.
          const bool subject_error = has_error_ && !had_error && !generic_;
          if (pos_ == save && !subject_error) {
            // Not a match statement: backtrack and read a simple statement.
            tree_.rewind(mark);
            stack_.resize(stack_size);
            has_error_ = had_error;
            generic_ = false;
            deferred_error_.clear();
          } else {
            throw;
          }
        }
      }
      break;
    default:
      break;
  }
  simple_stmts();
}

// simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
void Parser::simple_stmts() {
  for (;;) {
    stack_.push_back(simple_stmt());
    if (!accept(TokenKind::Semi)) break;
    if (at(TokenKind::Newline)) break;
  }
  if (!at(TokenKind::Newline)) fail_generic();
  advance();
}

NodeId Parser::simple_stmt() {
  const Token& start = tok();
  switch (start.kind) {
    case TokenKind::KwPass:
    case TokenKind::KwBreak:
    case TokenKind::KwContinue:
      advance();
      return make(start.kind == TokenKind::KwPass    ? NodeKind::Pass
                  : start.kind == TokenKind::KwBreak ? NodeKind::Break
                                                     : NodeKind::Continue,
                  span(start, start));
    case TokenKind::KwReturn:
      return return_stmt();
    case TokenKind::KwImport:
      return import_name();
    case TokenKind::KwFrom:
      return import_from();
    case TokenKind::KwRaise:
      return raise_stmt();
    case TokenKind::KwGlobal:
      return global_stmt(false);
    case TokenKind::KwNonlocal:
      return global_stmt(true);
    case TokenKind::KwDel:
      return del_stmt();
    case TokenKind::KwAssert:
      return assert_stmt();
    default:
      return assignment_or_expr();
  }
}

// assignment | star_expressions, told apart by what follows the first
// expression: '=', ':' or an augmented assignment operator.
NodeId Parser::assignment_or_expr() {
  const Token& start = tok();
  NodeId first = at(TokenKind::KwYield) ? yield_expr() : star_expressions();
  auto rhs = [&] { return at(TokenKind::KwYield) ? yield_expr() : star_expressions(); };

  if (at(TokenKind::Colon)) {
    NodeKind k = tree_.kind(first);
    // CPython names the bad target only when an annotation follows.
    if (k != NodeKind::Name && k != NodeKind::Attribute && k != NodeKind::Subscript) {
      advance();
      if (!starts_expression() || at(TokenKind::Star)) fail_generic();
    }
    if (k == NodeKind::Tuple) fail_node(first, "only single target (not tuple) can be annotated");
    if (k == NodeKind::List) fail_node(first, "only single target (not list) can be annotated");
    if (k != NodeKind::Name && k != NodeKind::Attribute && k != NodeKind::Subscript)
      fail_node(first, "illegal target for annotation");
    advance();
    set_ctx(first, Op::Store);
    NodeId annotation = expression();
    NodeId value;
    if (accept(TokenKind::Equal)) value = rhs();
    NodeId n = make(NodeKind::AnnAssign, span_from(start));
    tree_.set_node(n, Field::AnnAssign_target, first);
    tree_.set_node(n, Field::AnnAssign_annotation, annotation);
    tree_.set_node(n, Field::AnnAssign_value, value);
    bool simple = k == NodeKind::Name && start.kind != TokenKind::LPar;
    tree_.set_int(n, Field::AnnAssign_simple, simple ? 1 : 0);
    return n;
  }

  if (at(TokenKind::Equal)) {
    size_t base = mark_stack();
    NodeId value = first;
    while (accept(TokenKind::Equal)) {
      check_target(value, TargetUse::Assign);
      set_ctx(value, Op::Store);
      stack_.push_back(value);
      value = rhs();
    }
    NodeId n = make(NodeKind::Assign, span_from(start));
    set_list_from(n, Field::Assign_targets, base);
    tree_.set_node(n, Field::Assign_value, value);
    return n;
  }

  Op op;
  bool aug = true;
  switch (kind()) {
    case TokenKind::PlusEqual:
      op = Op::Add;
      break;
    case TokenKind::MinEqual:
      op = Op::Sub;
      break;
    case TokenKind::StarEqual:
      op = Op::Mult;
      break;
    case TokenKind::AtEqual:
      op = Op::MatMult;
      break;
    case TokenKind::SlashEqual:
      op = Op::Div;
      break;
    case TokenKind::PercentEqual:
      op = Op::Mod;
      break;
    case TokenKind::AmperEqual:
      op = Op::BitAnd;
      break;
    case TokenKind::VBarEqual:
      op = Op::BitOr;
      break;
    case TokenKind::CircumflexEqual:
      op = Op::BitXor;
      break;
    case TokenKind::LeftShiftEqual:
      op = Op::LShift;
      break;
    case TokenKind::RightShiftEqual:
      op = Op::RShift;
      break;
    case TokenKind::DoubleStarEqual:
      op = Op::Pow;
      break;
    case TokenKind::DoubleSlashEqual:
      op = Op::FloorDiv;
      break;
    default:
      aug = false;
      op = Op::Add;
      break;
  }
  if (aug) {
    check_target(first, TargetUse::AugAssign);
    set_ctx(first, Op::Store);
    advance();
    NodeId value = rhs();
    NodeId n = make(NodeKind::AugAssign, span_from(start));
    tree_.set_node(n, Field::AugAssign_target, first);
    tree_.set_op(n, Field::AugAssign_op, op);
    tree_.set_node(n, Field::AugAssign_value, value);
    return n;
  }

  // Python 2's print and exec statements.
  if (tree_.kind(first) == NodeKind::Name && starts_expression() && !at(TokenKind::Star) &&
      !at(TokenKind::Minus) && !at(TokenKind::Plus) && !at(TokenKind::LPar) &&
      !at(TokenKind::LSqb)) {
    std::string_view id = tree_.ident(first, Field::Name_id);
    if (id == "print" || id == "exec") {
      fail_node(first, "Missing parentheses in call to '" + std::string(id) + "'. Did you mean " +
                           std::string(id) + "(...)?");
    }
  }
  NodeId n = make(NodeKind::Expr, span_from(start));
  tree_.set_node(n, Field::Expr_value, first);
  return n;
}

NodeId Parser::return_stmt() {
  const Token& start = advance();
  NodeId v;
  if (starts_expression()) v = star_expressions();
  NodeId n = make(NodeKind::Return, span_from(start));
  tree_.set_node(n, Field::Return_value, v);
  return n;
}

NodeId Parser::raise_stmt() {
  const Token& start = advance();
  NodeId exc, cause;
  if (starts_expression()) {
    exc = expression();
    if (accept(TokenKind::KwFrom)) cause = expression();
  }
  NodeId n = make(NodeKind::Raise, span_from(start));
  tree_.set_node(n, Field::Raise_exc, exc);
  tree_.set_node(n, Field::Raise_cause, cause);
  return n;
}

NodeId Parser::global_stmt(bool nonlocal) {
  const Token& start = advance();
  std::vector<ast::StrId> names;
  do {
    names.push_back(name_str(expect(TokenKind::Name)));
  } while (accept(TokenKind::Comma));
  NodeId n = make(nonlocal ? NodeKind::Nonlocal : NodeKind::Global, span_from(start));
  tree_.set_idents(n, nonlocal ? Field::Nonlocal_names : Field::Global_names,
                   ast::Span<ast::StrId>{names.data(), static_cast<uint32_t>(names.size())});
  return n;
}

// del_stmt: 'del' ','.del_target+ [','] &(';' | NEWLINE)
NodeId Parser::del_stmt() {
  const Token& start = advance();
  size_t base = mark_stack();
  do {
    if (at(TokenKind::Semi) || at(TokenKind::Newline)) break;
    NodeId t = at(TokenKind::Star) ? star_target() : primary();
    check_target(t, TargetUse::Del);
    set_ctx(t, Op::Del);
    stack_.push_back(t);
  } while (accept(TokenKind::Comma));
  if (!at(TokenKind::Semi) && !at(TokenKind::Newline)) fail_generic();
  if (mark_stack() == base) fail_generic();
  NodeId n = make(NodeKind::Delete, span_from(start));
  set_list_from(n, Field::Delete_targets, base);
  return n;
}

NodeId Parser::assert_stmt() {
  const Token& start = advance();
  NodeId test = expression();
  NodeId msg;
  if (accept(TokenKind::Comma)) msg = expression();
  NodeId n = make(NodeKind::Assert, span_from(start));
  tree_.set_node(n, Field::Assert_test, test);
  tree_.set_node(n, Field::Assert_msg, msg);
  return n;
}

// import_name: 'import' ','.(dotted_name ['as' NAME])+
NodeId Parser::import_name() {
  const Token& start = advance();
  size_t base = mark_stack();
  do {
    stack_.push_back(dotted_name_alias(true));
  } while (accept(TokenKind::Comma));
  NodeId n = make(NodeKind::Import, span_from(start));
  set_list_from(n, Field::Import_names, base);
  return n;
}

// dotted_name ['as' NAME] (or NAME ['as' NAME] after `from ... import`)
NodeId Parser::dotted_name_alias(bool dotted) {
  const Token& first = expect(TokenKind::Name);
  ast::StrId name = name_str(first);
  if (dotted && at(TokenKind::Dot)) {
    std::string full(tree_.string(name));
    while (accept(TokenKind::Dot)) {
      full += '.';
      full += tree_.string(name_str(expect(TokenKind::Name)));
    }
    name = tree_.intern(full);
  }
  ast::StrId asname;
  if (accept(TokenKind::KwAs)) asname = name_str(expect(TokenKind::Name));
  NodeId a = make(NodeKind::alias, span_from(first));
  tree_.set_ident(a, Field::alias_name, name);
  tree_.set_ident(a, Field::alias_asname, asname);
  return a;
}

// import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets
//            | 'from' ('.' | '...')+ 'import' import_from_targets
NodeId Parser::import_from() {
  const Token& start = advance();
  int level = 0;
  for (;;) {
    if (accept(TokenKind::Dot)) {
      level += 1;
    } else if (accept(TokenKind::Ellipsis)) {
      level += 3;
    } else {
      break;
    }
  }
  ast::StrId module;
  if (at(TokenKind::Name)) {
    const Token& first = advance();
    module = name_str(first);
    if (at(TokenKind::Dot)) {
      std::string full(tree_.string(module));
      while (accept(TokenKind::Dot)) {
        full += '.';
        full += tree_.string(name_str(expect(TokenKind::Name)));
      }
      module = tree_.intern(full);
    }
  } else if (level == 0) {
    fail_generic();
  }
  expect(TokenKind::KwImport);
  size_t base = mark_stack();
  if (at(TokenKind::Star)) {
    const Token& star = advance();
    NodeId a = make(NodeKind::alias, span(star, star));
    tree_.set_ident(a, Field::alias_name, tree_.view_source(text(star)));
    stack_.push_back(a);
  } else if (accept(TokenKind::LPar)) {
    do {
      if (at(TokenKind::RPar) && mark_stack() > base) break;
      stack_.push_back(dotted_name_alias(false));
    } while (accept(TokenKind::Comma));
    expect(TokenKind::RPar);
  } else {
    for (;;) {
      stack_.push_back(dotted_name_alias(false));
      if (!accept(TokenKind::Comma)) break;
      if (at(TokenKind::Newline) || at(TokenKind::Semi))
        fail_at(last(), "trailing comma not allowed without surrounding parentheses");
    }
  }
  NodeId n = make(NodeKind::ImportFrom, span_from(start));
  tree_.set_ident(n, Field::ImportFrom_module, module);
  set_list_from(n, Field::ImportFrom_names, base);
  tree_.set_int(n, Field::ImportFrom_level, level);
  return n;
}

// block: NEWLINE INDENT statements DEDENT | simple_stmts
// `what` names the owner for "expected an indented block after ..." errors.
void Parser::block(NodeId n, Field f, const Token& owner, const char* what) {
  if (!at(TokenKind::Colon)) fail_at(last(), "expected ':'");
  advance();
  Depth guard(*this);
  size_t base = mark_stack();
  if (accept(TokenKind::Newline)) {
    const auto no_block = [&] {
      fail_at(tok(),
              std::string("expected an indented block after ") + what + " on line " +
                  std::to_string(owner.lineno),
              "IndentationError");
    };
    if (!at(TokenKind::Indent)) no_block();
    advance();
    // An indent with nothing in it: only a line continuation and blanks before the end of
    // the file (`if x:\n  \\\n  `); CPython reports the missing block there too.
    if (at(TokenKind::Dedent)) no_block();
    statements(TokenKind::Dedent);
    advance();
  } else {
    simple_stmts();
  }
  set_list_from(n, f, base);
}

NodeId Parser::compound_stmt() {
  switch (kind()) {
    case TokenKind::At:
      return decorated();
    case TokenKind::KwDef:
      return function_def(tok(), mark_stack(), false);
    case TokenKind::KwClass:
      return class_def(tok(), mark_stack());
    case TokenKind::KwIf:
      return if_stmt(false);
    case TokenKind::KwWhile:
      return while_stmt();
    case TokenKind::KwFor:
      return for_stmt(nullptr);
    case TokenKind::KwWith:
      return with_stmt(nullptr);
    case TokenKind::KwTry:
      return try_stmt();
    case TokenKind::KwAsync: {
      const Token& async_tok = advance();
      if (at(TokenKind::KwDef)) return function_def(async_tok, mark_stack(), true);
      if (at(TokenKind::KwFor)) return for_stmt(&async_tok);
      return with_stmt(&async_tok);
    }
    default:
      fail_generic();
  }
}

// decorators: ('@' named_expression NEWLINE)+, then a def or class.
NodeId Parser::decorated() {
  size_t base = mark_stack();
  while (accept(TokenKind::At)) {
    stack_.push_back(named_expression());
    if (!at(TokenKind::Newline)) fail_generic();
    advance();
  }
  if (at(TokenKind::KwDef)) return function_def(tok(), base, false);
  if (at(TokenKind::KwClass)) return class_def(tok(), base);
  if (at(TokenKind::KwAsync) && kind(1) == TokenKind::KwDef) {
    const Token& async_tok = advance();
    return function_def(async_tok, base, true);
  }
  fail_generic();
}

// function_def: 'def' NAME '(' [params] ')' ['->' expression] ':' block
NodeId Parser::function_def(const Token& start, size_t decorators_base, bool is_async) {
  const Token& def_tok = is_async ? tok() : start;
  expect(TokenKind::KwDef);
  const Token& name = expect(TokenKind::Name);
  expect(TokenKind::LPar, "expected '('");
  NodeId args = parameters(TokenKind::RPar, false);
  expect(TokenKind::RPar);
  NodeId returns;
  if (accept(TokenKind::RArrow)) returns = expression();
  NodeKind k = is_async ? NodeKind::AsyncFunctionDef : NodeKind::FunctionDef;
  NodeId n = make(k, Pos{});
  // The decorators sit below the body on the scratch stack; take them first.
  std::vector<NodeId> decorators(stack_.begin() + decorators_base, stack_.end());
  stack_.resize(decorators_base);
  block(n, is_async ? Field::AsyncFunctionDef_body : Field::FunctionDef_body, def_tok,
        "function definition");
  if (is_async) {
    tree_.set_ident(n, Field::AsyncFunctionDef_name, name_str(name));
    tree_.set_node(n, Field::AsyncFunctionDef_args, args);
    tree_.set_list(n, Field::AsyncFunctionDef_decorator_list, decorators);
    tree_.set_node(n, Field::AsyncFunctionDef_returns, returns);
    tree_.set_pos(n, block_span(start));
  } else {
    tree_.set_ident(n, Field::FunctionDef_name, name_str(name));
    tree_.set_node(n, Field::FunctionDef_args, args);
    tree_.set_list(n, Field::FunctionDef_decorator_list, decorators);
    tree_.set_node(n, Field::FunctionDef_returns, returns);
    tree_.set_pos(n, block_span(start));
  }
  return n;
}

// class_def: 'class' NAME ['(' [arguments] ')'] ':' block
NodeId Parser::class_def(const Token& start, size_t decorators_base) {
  advance();
  const Token& name = expect(TokenKind::Name);
  NodeId n = make(NodeKind::ClassDef, Pos{});
  std::vector<NodeId> decorators(stack_.begin() + decorators_base, stack_.end());
  stack_.resize(decorators_base);
  if (at(TokenKind::LPar)) {
    // Reuse the call-argument grammar, then move its lists over.
    NodeId c = call(make_name(name, Op::Load), name);
    tree_.set_list(n, Field::ClassDef_bases, tree_.list(c, Field::Call_args));
    tree_.set_list(n, Field::ClassDef_keywords, tree_.list(c, Field::Call_keywords));
  }
  block(n, Field::ClassDef_body, start, "class definition");
  tree_.set_ident(n, Field::ClassDef_name, name_str(name));
  tree_.set_list(n, Field::ClassDef_decorator_list, decorators);
  tree_.set_pos(n, block_span(start));
  return n;
}

// if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
NodeId Parser::if_stmt(bool elif) {
  Depth guard(*this);  // elif chains nest
  const Token& start = advance();
  NodeId test = named_expression();
  NodeId n = make(NodeKind::If, Pos{});
  tree_.set_node(n, Field::If_test, test);
  block(n, Field::If_body, start, elif ? "'elif' statement" : "'if' statement");
  if (at(TokenKind::KwElif)) {
    NodeId e = if_stmt(true);
    tree_.set_list(n, Field::If_orelse, {e});
  } else if (at(TokenKind::KwElse)) {
    const Token& else_tok = advance();
    block(n, Field::If_orelse, else_tok, "'else' statement");
  }
  tree_.set_pos(n, block_span(start));
  return n;
}

NodeId Parser::while_stmt() {
  const Token& start = advance();
  NodeId test = named_expression();
  NodeId n = make(NodeKind::While, Pos{});
  tree_.set_node(n, Field::While_test, test);
  block(n, Field::While_body, start, "'while' statement");
  if (at(TokenKind::KwElse)) {
    const Token& else_tok = advance();
    block(n, Field::While_orelse, else_tok, "'else' statement");
  }
  tree_.set_pos(n, block_span(start));
  return n;
}

// for_stmt: ['async'] 'for' star_targets 'in' star_expressions ':' block [else_block]
NodeId Parser::for_stmt(const Token* async_tok) {
  const Token& start = async_tok ? *async_tok : tok();
  const Token& for_tok = advance();
  NodeId target = star_targets();
  check_target(target, TargetUse::For);
  set_ctx(target, Op::Store);
  if (!at(TokenKind::KwIn)) fail_generic();
  advance();
  NodeId iter = star_expressions();
  bool a = async_tok != nullptr;
  NodeId n = make(a ? NodeKind::AsyncFor : NodeKind::For, Pos{});
  tree_.set_node(n, a ? Field::AsyncFor_target : Field::For_target, target);
  tree_.set_node(n, a ? Field::AsyncFor_iter : Field::For_iter, iter);
  Field body = a ? Field::AsyncFor_body : Field::For_body;
  Field orelse = a ? Field::AsyncFor_orelse : Field::For_orelse;
  block(n, body, for_tok, "'for' statement");
  if (at(TokenKind::KwElse)) {
    const Token& else_tok = advance();
    block(n, orelse, else_tok, "'else' statement");
  }
  tree_.set_pos(n, block_span(start));
  return n;
}

// with_item: expression 'as' star_target &(',' | ')' | ':') | expression
NodeId Parser::with_item() {
  NodeId ctx = expression();
  NodeId vars;
  if (accept(TokenKind::KwAs)) {
    vars = star_target();
    check_target(vars, TargetUse::With);
    set_ctx(vars, Op::Store);
    if (!at(TokenKind::Comma) && !at(TokenKind::RPar) && !at(TokenKind::Colon)) fail_generic();
  }
  NodeId w = make(NodeKind::withitem, Pos{});
  tree_.set_node(w, Field::withitem_context_expr, ctx);
  tree_.set_node(w, Field::withitem_optional_vars, vars);
  return w;
}

// 'with' '(' ','.with_item+ [','] ')' ':' — tried first; on failure the
// parentheses belong to the first item's expression.
bool Parser::with_items_parenthesized() {
  size_t save = pos_;
  auto mark = tree_.mark();
  size_t stack_size = stack_.size();
  bool had_error = has_error_;
  try {
    advance();
    do {
      if (at(TokenKind::RPar) && stack_.size() > stack_size) break;
      stack_.push_back(with_item());
    } while (accept(TokenKind::Comma));
    expect(TokenKind::RPar);
    if (!at(TokenKind::Colon)) fail_generic();
    return true;
  } catch (ParseFail&) {
    pos_ = save;
    tree_.rewind(mark);
    stack_.resize(stack_size);
    has_error_ = had_error;
    generic_ = false;
    deferred_error_.clear();
    return false;
  }
}

NodeId Parser::with_stmt(const Token* async_tok) {
  const Token& start = async_tok ? *async_tok : tok();
  const Token& with_tok = advance();
  size_t base = mark_stack();
  if (!(at(TokenKind::LPar) && with_items_parenthesized())) {
    do {
      stack_.push_back(with_item());
    } while (accept(TokenKind::Comma));
  }
  bool a = async_tok != nullptr;
  NodeId n = make(a ? NodeKind::AsyncWith : NodeKind::With, Pos{});
  set_list_from(n, a ? Field::AsyncWith_items : Field::With_items, base);
  Field body = a ? Field::AsyncWith_body : Field::With_body;
  block(n, body, with_tok, "'with' statement");
  tree_.set_pos(n, block_span(start));
  return n;
}

// try_stmt: 'try' ':' block (finally_block | except_block+ [else] [finally])
NodeId Parser::try_stmt() {
  const Token& start = advance();
  NodeId n = make(NodeKind::Try, Pos{});
  block(n, Field::Try_body, start, "'try' statement");
  size_t base = mark_stack();
  bool star = false, first = true;
  while (at(TokenKind::KwExcept)) {
    NodeId h = except_block(star, first);
    first = false;
    stack_.push_back(h);
  }
  bool has_handlers = mark_stack() > base;
  NodeKind k = star ? NodeKind::TryStar : NodeKind::Try;
  if (star) {
    // Rebuild as TryStar, keeping the body already parsed.
    NodeId t = make(NodeKind::TryStar, Pos{});
    tree_.set_list(t, Field::TryStar_body, tree_.list(n, Field::Try_body));
    n = t;
  }
  set_list_from(n, k == NodeKind::Try ? Field::Try_handlers : Field::TryStar_handlers, base);
  if (has_handlers && at(TokenKind::KwElse)) {
    const Token& else_tok = advance();
    Field f = k == NodeKind::Try ? Field::Try_orelse : Field::TryStar_orelse;
    block(n, f, else_tok, "'else' statement");
  }
  if (at(TokenKind::KwFinally)) {
    const Token& fin = advance();
    Field f = k == NodeKind::Try ? Field::Try_finalbody : Field::TryStar_finalbody;
    block(n, f, fin, "'finally' statement");
  } else if (!has_handlers) {
    fail_at(tok(), "expected 'except' or 'finally' block");
  }
  tree_.set_pos(n, block_span(start));
  return n;
}

// except_block: 'except' ['*'] [expression ['as' NAME]] ':' block
NodeId Parser::except_block(bool& star, bool first) {
  const Token& start = advance();
  bool this_star = accept(TokenKind::Star);
  if (first) {
    star = this_star;
  } else if (this_star != star) {
    fail_range(span_from(start), "cannot have both 'except' and 'except*' on the same 'try'");
  }
  NodeId type;
  ast::StrId name;
  if (!at(TokenKind::Colon)) {
    const Token& type_start = tok();
    type = expression();
    if (at(TokenKind::Comma)) {
      // `except A, B:` is Python 2 syntax.
      advance();
      expressions();
      if (at(TokenKind::Colon) || at(TokenKind::KwAs))
        fail_range(span_from(type_start), "multiple exception types must be parenthesized");
      fail_generic();
    }
    if (accept(TokenKind::KwAs)) name = name_str(expect(TokenKind::Name));
  } else if (this_star) {
    fail_at(tok(), "expected one or more exception types");
  }
  NodeId h = make(NodeKind::ExceptHandler, Pos{});
  tree_.set_node(h, Field::ExceptHandler_type, type);
  tree_.set_ident(h, Field::ExceptHandler_name, name);
  block(h, Field::ExceptHandler_body, start,
        this_star ? "'except*' statement" : "'except' statement");
  tree_.set_pos(h, block_span(start));
  return h;
}

// Parameters of a def (up to ')') or a lambda (up to ':'):
// posonly '/' args '*' [vararg] kwonly '**' kwarg, with defaults.
NodeId Parser::parameters(TokenKind end, bool lambda) {
  NodeId a = make(NodeKind::arguments, Pos{});
  std::vector<NodeId> posonly, args, defaults, kwonly, kw_defaults;
  NodeId vararg, kwarg;
  bool seen_star = false, seen_default = false;
  while (!at(end)) {
    const Token& t = tok();
    if (t.kind == TokenKind::Slash) {
      if (seen_star) fail_at(t, "/ must be ahead of *");
      if (!posonly.empty()) fail_at(t, "/ may appear only once");
      if (args.empty()) fail_at(t, "at least one argument must precede /");
      advance();
      posonly.swap(args);
    } else if (t.kind == TokenKind::Star) {
      if (seen_star) fail_at(t, "* argument may appear only once");
      advance();
      seen_star = true;
      if (at(TokenKind::Comma) || at(end)) {
        if (at(end) || kind(1) == end || kind(1) == TokenKind::DoubleStar)
          fail_at(t, "named arguments must follow bare *");
      } else {
        vararg = param(lambda, !lambda);
        if (at(TokenKind::Equal))
          fail_at(tok(), "var-positional argument cannot have default value");
      }
    } else if (t.kind == TokenKind::DoubleStar) {
      advance();
      kwarg = param(lambda, false);
      if (at(TokenKind::Equal)) fail_at(tok(), "var-keyword argument cannot have default value");
      accept(TokenKind::Comma);
      if (!at(end)) fail_at(tok(), "arguments cannot follow var-keyword argument");
      break;
    } else {
      NodeId p = param(lambda, false);
      NodeId d;
      if (accept(TokenKind::Equal)) d = expression();
      if (seen_star) {
        kwonly.push_back(p);
        kw_defaults.push_back(d);
      } else {
        args.push_back(p);
        if (d) {
          defaults.push_back(d);
          seen_default = true;
        } else if (seen_default) {
          fail_node(p, "non-default argument follows default argument");
        }
      }
    }
    if (!accept(TokenKind::Comma)) break;
  }
  tree_.set_list(a, Field::arguments_posonlyargs, posonly);
  tree_.set_list(a, Field::arguments_args, args);
  tree_.set_node(a, Field::arguments_vararg, vararg);
  tree_.set_list(a, Field::arguments_kwonlyargs, kwonly);
  tree_.set_list(a, Field::arguments_kw_defaults, kw_defaults);
  tree_.set_node(a, Field::arguments_kwarg, kwarg);
  tree_.set_list(a, Field::arguments_defaults, defaults);
  return a;
}

// param: NAME [':' expression]   (star_annotation: ':' star_expression, for *args)
NodeId Parser::param(bool lambda, bool star_annotation) {
  const Token& name = expect(TokenKind::Name);
  NodeId annotation;
  if (!lambda && accept(TokenKind::Colon))
    annotation = star_annotation ? star_expression() : expression();
  NodeId p = make(NodeKind::arg, span_from(name));
  tree_.set_ident(p, Field::arg_arg, name_str(name));
  tree_.set_node(p, Field::arg_annotation, annotation);
  return p;
}

// match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT
// Throws without moving pos_ when this is not a match statement at all.
NodeId Parser::match_stmt() {
  const Token& start = tok();
  size_t save = pos_;
  advance();
  NodeId subject;
  try {
    const Token& s = tok();
    NodeId first = star_named_expression();
    if (at(TokenKind::Comma)) {
      size_t base = mark_stack();
      stack_.push_back(first);
      while (accept(TokenKind::Comma)) {
        if (at(TokenKind::Colon)) break;
        stack_.push_back(star_named_expression());
      }
      subject = make(NodeKind::Tuple, span_from(s));
      set_list_from(subject, Field::Tuple_elts, base);
      tree_.set_op(subject, Field::Tuple_ctx, Op::Load);
    } else {
      subject = first;
    }
    if (!at(TokenKind::Colon) || kind(1) != TokenKind::Newline) fail_generic();
  } catch (ParseFail&) {
    pos_ = save;
    throw;
  }
  advance();
  advance();
  const auto no_block = [&] {
    fail_at(tok(),
            "expected an indented block after 'match' statement on line " +
                std::to_string(start.lineno),
            "IndentationError");
  };
  if (!at(TokenKind::Indent)) no_block();
  advance();
  if (at(TokenKind::Dedent)) no_block();  // only a line continuation (see block())
  NodeId n = make(NodeKind::Match, Pos{});
  tree_.set_node(n, Field::Match_subject, subject);
  size_t base = mark_stack();
  while (!at(TokenKind::Dedent)) {
    if (!at_soft("case")) fail_generic();
    stack_.push_back(case_block());
  }
  advance();
  set_list_from(n, Field::Match_cases, base);
  tree_.set_pos(n, block_span(start));
  return n;
}

// case_block: "case" patterns guard? ':' block
NodeId Parser::case_block() {
  const Token& start = advance();
  NodeId pat = patterns();
  NodeId guard;
  if (accept(TokenKind::KwIf)) guard = named_expression();
  NodeId c = make(NodeKind::match_case, Pos{});
  tree_.set_node(c, Field::match_case_pattern, pat);
  tree_.set_node(c, Field::match_case_guard, guard);
  block(c, Field::match_case_body, start, "'case' statement");
  tree_.set_pos(c, block_span(start));
  return c;
}

}  // namespace xag::parse
