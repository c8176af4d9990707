// Match statement patterns (PEP 634).
#include "converter/unparse/literals.h"
#include "converter/unparse/unparser.h"

namespace xag::unparse {

void Unparser::pattern(NodeId n, bool tight) {
  switch (t_.kind(n)) {
    case NodeKind::MatchValue:
      // Values are literals, `-1`, `1 + 2j` or dotted names: never parenthesized.
      return expr(t_.node(n, Field::MatchValue_value), Prec::NamedExpr);
    case NodeKind::MatchSingleton: {
      ast::ConstKind k = t_.constant(n, Field::MatchSingleton_value).kind;
      return write(k == ast::ConstKind::True    ? "True"
                   : k == ast::ConstKind::False ? "False"
                                                : "None");
    }
    case NodeKind::MatchSequence: {
      auto pats = t_.list(n, Field::MatchSequence_patterns);
      write("[");
      for (uint32_t i = 0; i < pats.size(); ++i) {
        if (i) write(", ");
        pattern(pats[i]);
      }
      return write("]");
    }
    case NodeKind::MatchMapping: {
      auto keys = t_.list(n, Field::MatchMapping_keys);
      auto pats = t_.list(n, Field::MatchMapping_patterns);
      write("{");
      for (uint32_t i = 0; i < keys.size() && i < pats.size(); ++i) {
        if (i) write(", ");
        expr(keys[i], Prec::NamedExpr);
        write(": ");
        pattern(pats[i]);
      }
      if (t_.has_str(n, Field::MatchMapping_rest)) {
        if (!keys.empty()) write(", ");
        write("**");
        write_name(t_.ident(n, Field::MatchMapping_rest));
      }
      return write("}");
    }
    case NodeKind::MatchClass: {
      expr(t_.node(n, Field::MatchClass_cls), Prec::Atom);
      write("(");
      auto pats = t_.list(n, Field::MatchClass_patterns);
      auto attrs = t_.idents(n, Field::MatchClass_kwd_attrs);
      auto kw_pats = t_.list(n, Field::MatchClass_kwd_patterns);
      bool first = true;
      for (NodeId p : pats) {
        if (!first) write(", ");
        first = false;
        pattern(p);
      }
      for (uint32_t i = 0; i < attrs.size() && i < kw_pats.size(); ++i) {
        if (!first) write(", ");
        first = false;
        write(t_.string(attrs[i]));
        write("=");
        pattern(kw_pats[i]);
      }
      return write(")");
    }
    case NodeKind::MatchStar:
      write("*");
      return write_name(t_.has_str(n, Field::MatchStar_name) ? t_.ident(n, Field::MatchStar_name)
                                                             : "_");
    case NodeKind::MatchAs: {
      NodeId p = t_.node(n, Field::MatchAs_pattern);
      bool named = t_.has_str(n, Field::MatchAs_name);
      if (!p) return write_name(named ? t_.ident(n, Field::MatchAs_name) : "_");
      // `p as x` binds looser than `|`; inside `|` or another `as` it needs parentheses.
      if (tight) write("(");
      pattern(p, /*tight=*/t_.kind(p) == NodeKind::MatchAs);
      write(" as ");
      write_name(named ? t_.ident(n, Field::MatchAs_name) : "_");
      if (tight) write(")");
      return;
    }
    case NodeKind::MatchOr: {
      auto alts = t_.list(n, Field::MatchOr_patterns);
      if (tight) write("(");
      for (uint32_t i = 0; i < alts.size(); ++i) {
        if (i) write(" | ");
        pattern(alts[i], /*tight=*/true);
      }
      if (tight) write(")");
      return;
    }
    default:
      return write("<unknown pattern>");
  }
}

}  // namespace xag::unparse
