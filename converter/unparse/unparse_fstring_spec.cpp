// Self-documenting fields inside f-string format specs.
//
// Python 3.11 turns `{a:x{ {c}=}}` into the spec [Constant('x {c}='),
// FormattedValue({c}, 'r')]: the field's source text joins the literal before
// it. At the top level such braces are written `{{`, but a format spec has no
// brace escape (`{` opens a field, `}` ends the spec), so the constant is
// written back as the field's source instead: `x{ {c}=}`. Where the literal
// part ends and the source begins is not recorded, so each plausible split is
// tried and kept only if the parser reads it back to the same two nodes.
#include <cstring>

#include "converter/ast/dump.h"
#include "converter/parse/parser.h"
#include "converter/unparse/unparser.h"

namespace xag::unparse {
namespace {

// A few parses at most per constant: the split is almost always at the first
// or second candidate; pathological constants fall back to \x7b escapes.
constexpr int kMaxProbes = 8;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_name_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
         u >= 0x80;
}

// The `=` of `<expr>=<whitespace>` at the end of the text, or npos.
size_t debug_equals(std::string_view text) {
  size_t end = text.size();
  while (end > 0 && is_space(text[end - 1])) --end;
  if (end == 0 || text[end - 1] != '=') return std::string_view::npos;
  return end - 1;
}

// Whether the field's source could start at text[i]: the start of a run of
// whitespace, or a character an expression starts with that does not cut a
// name or number in two.
bool could_start_field(std::string_view text, size_t i) {
  char c = text[i];
  if (is_space(c)) return i == 0 || !is_space(text[i - 1]);
  if (i > 0 && is_name_char(text[i - 1]) && is_name_char(c)) return false;
  return is_name_char(c) || std::strchr("([{'\"-+~.*", c) != nullptr;
}

}  // namespace

bool Unparser::spec_debug_field(NodeId constant, NodeId field, std::string& body, char quote,
                                bool triple) {
  std::string_view text = t_.constant(constant, Field::Constant_value).text;
  size_t eq = debug_equals(text);
  size_t first_brace = text.find_first_of("{}");
  if (eq == std::string_view::npos || first_brace > eq) return false;
  Quote q = quote == '\'' ? (triple ? Quote::TripleSingle : Quote::Single)
                          : (triple ? Quote::TripleDouble : Quote::Double);
  int probes = 0;
  // The literal part has no braces, so the source starts at the first brace
  // or before it.
  for (size_t i = 0; i <= first_brace && probes < kMaxProbes; ++i) {
    if (!could_start_field(text, i)) continue;
    std::string piece;
    if (!append_str_body(piece, text.substr(0, i), q, literal_options(triple, /*spec=*/true)))
      continue;
    std::string_view source = text.substr(i);
    if (!fstring_field(field, piece, quote, triple, &source)) continue;
    ++probes;
    if (!spec_piece_reparses(piece, constant, field, quote_text(q))) continue;
    body += piece;
    return true;
  }
  return false;
}

// Parses f'{_:<piece>}' (in the quotes being written) and checks that its
// format spec is exactly [constant, field] again.
bool Unparser::spec_piece_reparses(const std::string& piece, NodeId constant, NodeId field,
                                   std::string_view quote) const {
  std::string source = "f";
  source += quote;
  source += "{_:";
  source += piece;
  source += "}";
  source += quote;
  source += "\n";
  parse::ParseResult r = parse::parse_module(source);
  if (!r.ok()) return false;
  const ast::Tree& p = r.tree;
  ast::Span<NodeId> body = p.list(p.root(), Field::Module_body);
  if (body.size() != 1 || p.kind(body[0]) != NodeKind::Expr) return false;
  NodeId joined = p.node(body[0], Field::Expr_value);
  if (p.kind(joined) != NodeKind::JoinedStr) return false;
  ast::Span<NodeId> outer = p.list(joined, Field::JoinedStr_values);
  if (outer.size() != 1 || p.kind(outer[0]) != NodeKind::FormattedValue) return false;
  NodeId spec = p.node(outer[0], Field::FormattedValue_format_spec);
  if (!spec || p.kind(spec) != NodeKind::JoinedStr) return false;
  ast::Span<NodeId> values = p.list(spec, Field::JoinedStr_values);
  return values.size() == 2 && ast::dump(p, values[0]) == ast::dump(t_, constant) &&
         ast::dump(p, values[1]) == ast::dump(t_, field);
}

}  // namespace xag::unparse
