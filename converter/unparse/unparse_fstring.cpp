// f-strings. Python 3.11 reads a replacement field's expression out of the
// string token itself, so the expression may contain neither a backslash nor
// the quote character that delimits the f-string. The writer therefore tries
// each quote kind in turn and renders every field under that choice, with
// string constants inside fields picking a quote the enclosing strings leave
// free; the first quote kind for which everything fits wins.
#include "converter/unparse/literals.h"
#include "converter/unparse/unparser.h"

namespace xag::unparse {
namespace {

uint8_t quote_bit(char ch) {
  return ch == '\'' ? 1 : 2;
}

// Quote kinds in the order to try: what repr() would pick, then the other
// single one, then the triple kinds.
void quote_order(Quote preferred, Quote out[4]) {
  bool single_first = preferred == Quote::Single;
  out[0] = single_first ? Quote::Single : Quote::Double;
  out[1] = single_first ? Quote::Double : Quote::Single;
  out[2] = single_first ? Quote::TripleSingle : Quote::TripleDouble;
  out[3] = single_first ? Quote::TripleDouble : Quote::TripleSingle;
}

}  // namespace

bool Unparser::fstring_str(std::string_view text, bool bytes, std::string& out) {
  Quote order[4];
  quote_order(repr_quote(text), order);
  bool has_newline = text.find('\n') != std::string_view::npos;
  for (Quote q : order) {
    if (fs_.forbidden & quote_bit(quote_char(q))) continue;
    if (is_triple(q) && has_newline && !fs_.newlines_ok) continue;
    BodyOptions opt;
    opt.allow_backslash = false;
    opt.raw_newlines = is_triple(q);
    opt.raw_tabs = true;
    std::string lit = bytes ? "b" : "";
    lit += quote_text(q);
    bool ok = bytes ? append_bytes_body(lit, text, q, opt) : append_str_body(lit, text, q, opt);
    if (!ok) continue;
    out = lit + quote_text(q);
    return true;
  }
  out = bytes ? bytes_repr(text) : str_repr(text);
  return false;
}

bool Unparser::fstring_field(NodeId n, std::string& body, char quote, bool triple) {
  FStringContext inner;
  inner.inside = true;
  inner.forbidden = fs_.forbidden | quote_bit(quote);
  inner.newlines_ok = triple && (!fs_.inside || fs_.newlines_ok);
  Unparser sub(t_, inner);
  // Lambdas, conditionals, walruses and tuples take parentheses: a bare `:`
  // or `!` would start the format spec or conversion.
  sub.expr(t_.node(n, Field::FormattedValue_value), Prec::Or);
  const std::string& text = sub.text();
  if (sub.failed() || text.find('\\') != std::string::npos) return false;
  if (!inner.newlines_ok && text.find('\n') != std::string::npos) return false;
  body += '{';
  // `{{` would be a literal brace.
  bool pad = !text.empty() && text[0] == '{';
  if (pad) body += ' ';
  body += text;
  if (pad) body += ' ';
  int64_t conversion = t_.int_value(n, Field::FormattedValue_conversion);
  if (conversion > 0) {
    body += '!';
    body += static_cast<char>(conversion);
  }
  if (NodeId spec = t_.node(n, Field::FormattedValue_format_spec)) {
    body += ':';
    bool ok = true;
    fstring_body(spec, body, quote, triple, ok);
    if (!ok) return false;
  }
  body += '}';
  return true;
}

void Unparser::fstring_body(NodeId n, std::string& body, char quote, bool triple, bool& ok) {
  ast::Span<NodeId> values = t_.kind(n) == NodeKind::JoinedStr ? t_.list(n, Field::JoinedStr_values)
                                                               : ast::Span<NodeId>{&n, 1};
  Quote q = quote == '\'' ? (triple ? Quote::TripleSingle : Quote::Single)
                          : (triple ? Quote::TripleDouble : Quote::Double);
  for (NodeId v : values) {
    if (!ok) return;
    if (t_.kind(v) == NodeKind::FormattedValue) {
      ok = fstring_field(v, body, quote, triple);
    } else if (t_.kind(v) == NodeKind::Constant) {
      BodyOptions opt;
      opt.allow_backslash = !fs_.inside;
      opt.double_braces = true;
      opt.raw_newlines = fs_.inside && triple && fs_.newlines_ok;
      ok = append_str_body(body, t_.constant(v, Field::Constant_value).text, q, opt);
    } else {
      ok = false;  // only constants and fields belong in an f-string
    }
  }
}

bool Unparser::leading_u_kind(NodeId n) const {
  if (t_.kind(n) != NodeKind::JoinedStr) return false;
  ast::Span<NodeId> values = t_.list(n, Field::JoinedStr_values);
  if (values.empty() || t_.kind(values[0]) != NodeKind::Constant) return false;
  return t_.has_str(values[0], Field::Constant_kind) &&
         t_.str(values[0], Field::Constant_kind) == "u";
}

void Unparser::joined_str(NodeId n) {
  // Prefer the quote repr() would give the literal text.
  std::string literal;
  if (t_.kind(n) == NodeKind::JoinedStr)
    for (NodeId v : t_.list(n, Field::JoinedStr_values))
      if (t_.kind(v) == NodeKind::Constant) literal += t_.constant(v, Field::Constant_value).text;
  Quote order[4];
  quote_order(repr_quote(literal), order);
  for (Quote q : order) {
    if (fs_.forbidden & quote_bit(quote_char(q))) continue;
    std::string body;
    bool ok = true;
    fstring_body(n, body, quote_char(q), is_triple(q), ok);
    if (!ok) continue;
    // CPython gives the leading constant of `u"a" f"{x}"` kind 'u'; an empty
    // u-string in front of the f-string keeps it.
    if (leading_u_kind(n)) {
      write("u");
      write(quote_text(q));
      write(quote_text(q));
      write(" ");
    }
    write("f");
    write(quote_text(q));
    write(body);
    write(quote_text(q));
    return;
  }
  // Nothing fits (a hand-built tree): write it anyway and let the caller know.
  failed_ = true;
  FStringContext saved = fs_;
  fs_ = FStringContext{};
  std::string body;
  bool ok = true;
  fstring_body(n, body, '\'', false, ok);
  fs_ = saved;
  write("f'");
  write(body);
  write("'");
}

}  // namespace xag::unparse
