// Unit tests of the converter's front end: tokenizer, parser, AST API, dump.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "converter/ast/ast.h"
#include "converter/ast/dump.h"
#include "converter/lex/lexer.h"
#include "converter/parse/parser.h"

using namespace xag;
using ast::Field;
using ast::NodeKind;
using lex::TokenKind;

namespace {

std::vector<lex::Token> tokenize(std::string_view src) {
  std::vector<lex::Token> toks;
  lex::Lexer lexer(src);
  lexer.tokenize(toks);
  return toks;
}

std::vector<TokenKind> kinds(std::string_view src) {
  std::vector<TokenKind> out;
  for (const lex::Token& t : tokenize(src)) out.push_back(t.kind);
  return out;
}

std::string dump_of(std::string_view src, bool positions = false) {
  parse::ParseResult r = parse::parse_module(src);
  REQUIRE(r.ok());
  return ast::dump(r.tree, r.tree.root(), positions);
}

}  // namespace

TEST_CASE("tokenizer: simple statement, operators take the longest match") {
  auto k = kinds("x **= 1 // 2\n");
  std::vector<TokenKind> want{
      TokenKind::Name,   TokenKind::DoubleStarEqual, TokenKind::Number,   TokenKind::DoubleSlash,
      TokenKind::Number, TokenKind::Newline,         TokenKind::EndMarker};
  CHECK(k == want);
}

TEST_CASE("tokenizer: indentation produces INDENT and DEDENT; blank lines are skipped") {
  auto k = kinds("if x:\n\n    y\n  # comment\nz\n");
  std::vector<TokenKind> want{TokenKind::KwIf,    TokenKind::Name,     TokenKind::Colon,
                              TokenKind::Newline, TokenKind::Indent,   TokenKind::Name,
                              TokenKind::Newline, TokenKind::Dedent,   TokenKind::Name,
                              TokenKind::Newline, TokenKind::EndMarker};
  CHECK(k == want);
}

TEST_CASE("tokenizer: newlines inside brackets and after a backslash are joined") {
  auto k = kinds("f(a,\n  b) + \\\n c\n");
  CHECK(std::count(k.begin(), k.end(), TokenKind::Newline) == 1);
  auto toks = tokenize("f(a,\n  b)\n");
  CHECK(toks[4].kind == TokenKind::Name);  // b
  CHECK(toks[4].lineno == 2);
  CHECK(toks[4].col_offset == 2);
}

TEST_CASE("tokenizer: strings keep prefix and quotes; positions in UTF-8 bytes") {
  std::string_view src = "s = rb'\\x' + f\"\"\"a\nb\"\"\" + 'é' + x\n";
  auto toks = tokenize(src);
  REQUIRE(toks[2].kind == TokenKind::String);
  CHECK(src.substr(toks[2].begin, toks[2].end - toks[2].begin) == "rb'\\x'");
  CHECK(toks[4].kind == TokenKind::String);
  CHECK(toks[4].lineno == 1);
  CHECK(toks[4].end_lineno == 2);
  // "é" is two bytes: x after it is at byte column 14 of line 2.
  CHECK(toks[8].kind == TokenKind::Name);
  CHECK(toks[8].col_offset == 14);
}

TEST_CASE("tokenizer: errors carry CPython's message and line") {
  lex::Lexer lexer("x = 1\ns = 'abc\n");
  std::vector<lex::Token> toks;
  lexer.tokenize(toks);
  REQUIRE(lexer.error().has_value());
  CHECK(lexer.error()->message == "unterminated string literal (detected at line 2)");
  CHECK(lexer.error()->lineno == 2);
  CHECK(toks.back().kind == TokenKind::Error);

  lex::Lexer tabs("if x:\n        a\n\tb\n");
  toks.clear();
  tabs.tokenize(toks);
  REQUIRE(tabs.error().has_value());
  CHECK(tabs.error()->type == "TabError");
  CHECK(tabs.error()->lineno == 3);
}

TEST_CASE("parser: precedence and associativity") {
  CHECK(dump_of("a + b * c ** -d\n") ==
        "Module(body=[Expr(value=BinOp(left=Name(id='a', ctx=Load()), op=Add(), "
        "right=BinOp(left=Name(id='b', ctx=Load()), op=Mult(), right=BinOp(left=Name(id='c', "
        "ctx=Load()), op=Pow(), right=UnaryOp(op=USub(), operand=Name(id='d', "
        "ctx=Load()))))))], type_ignores=[])");
  CHECK(dump_of("a < b < c\n") ==
        "Module(body=[Expr(value=Compare(left=Name(id='a', ctx=Load()), ops=[Lt(), Lt()], "
        "comparators=[Name(id='b', ctx=Load()), Name(id='c', ctx=Load())]))], type_ignores=[])");
}

TEST_CASE("parser: the tree API reads fields generically and by name") {
  parse::ParseResult r = parse::parse_module("def f(x):\n    return x + 1\n");
  REQUIRE(r.ok());
  const ast::Tree& t = r.tree;
  auto body = t.list(t.root(), Field::Module_body);
  REQUIRE(body.size() == 1);
  ast::NodeId def = body[0];
  CHECK(t.kind(def) == NodeKind::FunctionDef);
  CHECK(t.ident(def, Field::FunctionDef_name) == "f");
  CHECK(t.pos(def).lineno == 1);
  CHECK(t.pos(def).end_lineno == 2);
  CHECK(t.pos(def).end_col_offset == 16);
  auto field = ast::Tree::find_field(NodeKind::FunctionDef, "body");
  REQUIRE(field.has_value());
  CHECK(*field == Field::FunctionDef_body);
  ast::NodeId ret = t.list(def, *field)[0];
  CHECK(t.kind(ret) == NodeKind::Return);
  int children = 0;
  ast::for_each_child(t, t.node(ret, Field::Return_value), [&](ast::NodeId) { ++children; });
  CHECK(children == 2);  // x and 1 (the operator is not a node)
  CHECK(ast::Tree::fields(NodeKind::arguments).size() == 7);
  CHECK(std::string(ast::field_info(Field::arguments_kw_defaults).name) == "kw_defaults");
}

TEST_CASE("tree: building nodes by hand and dumping them") {
  ast::Tree t("");
  ast::Pos p{1, 0, 1, 5};
  ast::NodeId name = t.make(NodeKind::Name, p);
  t.set_ident(name, Field::Name_id, t.intern("total"));
  t.set_op(name, Field::Name_ctx, ast::Op::Store);
  ast::NodeId value = t.make(NodeKind::Constant, p);
  ast::Constant c;
  c.kind = ast::ConstKind::Int;
  c.text = t.keep("42");
  t.set_constant(value, Field::Constant_value, c);
  ast::NodeId assign = t.make(NodeKind::Assign, p);
  t.set_list(assign, Field::Assign_targets, {name});
  t.set_node(assign, Field::Assign_value, value);
  CHECK(ast::dump(t, assign) ==
        "Assign(targets=[Name(id='total', ctx=Store())], value=Constant(value=42))");
}

TEST_CASE("parser: f-strings become JoinedStr with FormattedValue parts") {
  CHECK(dump_of("f'a{x!r:>{w}}b{y=}'\n") ==
        "Module(body=[Expr(value=JoinedStr(values=[Constant(value='a'), "
        "FormattedValue(value=Name(id='x', ctx=Load()), conversion=114, "
        "format_spec=JoinedStr(values=[Constant(value='>'), FormattedValue(value=Name(id='w', "
        "ctx=Load()), conversion=-1)])), Constant(value='by='), "
        "FormattedValue(value=Name(id='y', ctx=Load()), conversion=114)]))], type_ignores=[])");
}

TEST_CASE("parser: soft keywords: match is a statement or a name") {
  CHECK(dump_of("match = 1\n") ==
        "Module(body=[Assign(targets=[Name(id='match', ctx=Store())], value=Constant(value=1))], "
        "type_ignores=[])");
  std::string m = dump_of("match x:\n    case [1, *r] | None: pass\n");
  CHECK(m.find("Match(subject=Name(id='x', ctx=Load()), cases=[match_case(pattern=MatchOr("
               "patterns=[MatchSequence(patterns=[MatchValue(value=Constant(value=1)), "
               "MatchStar(name='r')]), MatchSingleton(value=None)])") != std::string::npos);
}

TEST_CASE("constants print like Python's repr") {
  CHECK(dump_of("x = 0xff, 1e16, 1e15, 0.1, 2.5j, 1e400\n")
            .find("elts=[Constant(value=255), Constant(value=1e+16), "
                  "Constant(value=1000000000000000.0), Constant(value=0.1), "
                  "Constant(value=2.5j), Constant(value=inf)]") != std::string::npos);
  CHECK(dump_of("x = 'it\\'s', b'\\x00\"', '\\u200b\\n'\n")
            .find("Constant(value=\"it's\"), Constant(value=b'\\x00\"'), "
                  "Constant(value='\\u200b\\n')") != std::string::npos);
  CHECK(dump_of("x = 123456789012345678901234567890 + 0b1_0\n")
            .find("Constant(value=123456789012345678901234567890)") != std::string::npos);
}

TEST_CASE("syntax errors: line and message like CPython") {
  parse::ParseResult r = parse::parse_module("x = 1\nfoo(a, b\ny = 2\n");
  REQUIRE(r.error.has_value());
  CHECK(r.error->message == "'(' was never closed");
  CHECK(r.error->lineno == 2);
  std::string text = diag::format_syntax_error(*r.error, "t.py", r.tree.source());
  CHECK(text ==
        "  File \"t.py\", line 2\n    foo(a, b\n       ^\nSyntaxError: '(' was never closed\n");

  r = parse::parse_module("if x:\npass\n");
  REQUIRE(r.error.has_value());
  CHECK(r.error->type == "IndentationError");
  CHECK(r.error->lineno == 2);
}

TEST_CASE("deep nesting is refused, not a stack overflow") {
  std::string deep(100000, '-');
  deep += "1\n";
  parse::ParseResult r = parse::parse_module(deep);
  REQUIRE(r.error.has_value());
  std::string chain = "x" + std::string();
  for (int i = 0; i < 50000; ++i) chain += "[0]";
  r = parse::parse_module(chain + "\n");
  REQUIRE(r.error.has_value());
  CHECK(r.error->type == "RecursionError");
}
