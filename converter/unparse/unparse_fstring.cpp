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

// Whether quotes q may open a string inside a field written under ctx.
bool quote_free(Quote q, const FStringContext& ctx) {
  uint8_t bit = quote_bit(quote_char(q));
  return !(ctx.forbidden & bit) && !(is_triple(q) && (ctx.forbidden_triple & bit));
}

// Whether a field's text can stand inside the enclosing string tokens.
bool fits_field(std::string_view text, const FStringContext& ctx) {
  if (text.find('\\') != std::string_view::npos) return false;
  if (!ctx.newlines_ok && text.find('\n') != std::string_view::npos) return false;
  if ((ctx.forbidden & 1) && text.find('\'') != std::string_view::npos) return false;
  if ((ctx.forbidden & 2) && text.find('"') != std::string_view::npos) return false;
  if ((ctx.forbidden_triple & 1) && text.find("'''") != std::string_view::npos) return false;
  if ((ctx.forbidden_triple & 2) && text.find("\"\"\"") != std::string_view::npos) return false;
  return true;
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
    if (!quote_free(q, fs_)) continue;
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

bool Unparser::fstring_field(NodeId n, std::string& body, char quote, bool triple,
                             const std::string_view* debug) {
  FStringContext inner;
  inner.inside = true;
  inner.forbidden = fs_.forbidden | (triple ? 0 : quote_bit(quote));
  inner.forbidden_triple = fs_.forbidden_triple | (triple ? quote_bit(quote) : 0);
  inner.newlines_ok = triple && (!fs_.inside || fs_.newlines_ok);
  int64_t conversion = t_.int_value(n, Field::FormattedValue_conversion);
  NodeId spec = t_.node(n, Field::FormattedValue_format_spec);
  body += '{';
  if (debug) {
    if (!fits_field(*debug, inner)) return false;
    body += *debug;
    // `{x=}` implies !r unless a format spec follows; no spelling gives neither.
    if (conversion == 'r' && !spec)
      conversion = -1;
    else if (conversion <= 0 && !spec)
      return false;
  } else {
    Unparser sub(t_, inner);
    // Lambdas, conditionals, walruses and tuples take parentheses: a bare `:`
    // or `!` would start the format spec or conversion.
    sub.expr(t_.node(n, Field::FormattedValue_value), Prec::Or);
    const std::string& text = sub.text();
    // Strings in it pick free quotes, but their text may hold a quote no
    // spelling can escape (no backslashes in 3.11 fields).
    if (sub.failed() || !fits_field(text, inner)) return false;
    // `{{` would be a literal brace.
    bool pad = !text.empty() && text[0] == '{';
    if (pad) body += ' ';
    body += text;
    if (pad) body += ' ';
  }
  if (conversion > 0) {
    body += '!';
    body += static_cast<char>(conversion);
  }
  if (spec) {
    body += ':';
    bool ok = true;
    fstring_body(spec, body, quote, triple, /*spec=*/true, ok);
    if (!ok) return false;
  }
  body += '}';
  return true;
}

BodyOptions Unparser::literal_options(bool triple, bool spec) const {
  BodyOptions opt;
  opt.allow_backslash = !fs_.inside;
  opt.double_braces = !spec;
  opt.escape_braces = spec;
  opt.raw_newlines = fs_.inside && triple && fs_.newlines_ok;
  return opt;
}

void Unparser::fstring_body(NodeId n, std::string& body, char quote, bool triple, bool spec,
                            bool& ok) {
  ast::Span<NodeId> values = t_.kind(n) == NodeKind::JoinedStr ? t_.list(n, Field::JoinedStr_values)
                                                               : ast::Span<NodeId>{&n, 1};
  Quote q = quote == '\'' ? (triple ? Quote::TripleSingle : Quote::Single)
                          : (triple ? Quote::TripleDouble : Quote::Double);
  for (uint32_t i = 0; i < values.size() && ok; ++i) {
    NodeId v = values[i];
    if (t_.kind(v) == NodeKind::FormattedValue) {
      ok = fstring_field(v, body, quote, triple);
    } else if (t_.kind(v) == NodeKind::Constant) {
      std::string_view text = t_.constant(v, Field::Constant_value).text;
      // Braces in a spec's text come from a self-documenting field's source
      // (`{a:{ {c}=}}`: ' {c}=') or from escapes (`{a:\x7b}`).
      bool braces = spec && text.find_first_of("{}") != std::string_view::npos;
      if (braces && i + 1 < values.size() && t_.kind(values[i + 1]) == NodeKind::FormattedValue &&
          spec_debug_field(v, values[i + 1], body, quote, triple)) {
        ++i;
        continue;
      }
      if (braces && !escape_spec_braces_) {
        spec_braces_refused_ = true;
        ok = false;
        break;
      }
      ok = append_str_body(body, text, q, literal_options(triple, spec));
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
  // Format spec braces as \x7b only when no quote kind lets the source of
  // their self-documenting field be written back (`f"{a:{'{'=}}"`).
  spec_braces_refused_ = false;
  escape_spec_braces_ = false;
  for (Quote q : order)
    if (joined_str_in(n, q)) return;
  escape_spec_braces_ = true;
  if (spec_braces_refused_)
    for (Quote q : order)
      if (joined_str_in(n, q)) return;
  // Nothing fits (a hand-built tree): write it anyway and let the caller know.
  failed_ = true;
  FStringContext saved = fs_;
  fs_ = FStringContext{};
  std::string body;
  bool ok = true;
  fstring_body(n, body, '\'', false, /*spec=*/false, ok);
  fs_ = saved;
  write("f'");
  write(body);
  write("'");
}

bool Unparser::joined_str_in(NodeId n, Quote q) {
  if (!quote_free(q, fs_)) return false;
  std::string body;
  bool ok = true;
  fstring_body(n, body, quote_char(q), is_triple(q), /*spec=*/false, ok);
  if (!ok) return false;
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
  return true;
}

}  // namespace xag::unparse
