// Code templates: Python source with placeholder names, parsed by our own
// parser and instantiated with AST nodes or names substituted in.
//
//   auto stmts = replace(b, R"(
//   def body_fn():
//       nonlocal_names
//       body
//   )", {{"body_fn", Subst::name("if_body")}, {"body", Subst::nodes(stmts)},
//        {"nonlocal_names", Subst::names({"x", "y"})}});
//
// A placeholder is an identifier of the template. Where it appears:
//   - as a Name: replaced by a node (its context set to the template's), by a
//     list of nodes spliced into the enclosing list (statements when the
//     Name is a whole expression statement, else expressions), or renamed;
//   - as a def/arg/keyword identifier: renamed;
//   - in `global`/`nonlocal`: expanded to a list of names; a declaration left
//     empty is dropped;
//   - as a whole string constant 'placeholder': replaced by the name's text.
// Every node made from the template gets the builder's origin position;
// substituted nodes keep their own.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "converter/transforms/builder.h"

namespace xag::transforms {

struct Subst {
  enum Kind { Node, Nodes, Name, Names } kind = Node;
  NodeId node;
  std::vector<NodeId> nodes;
  std::string text;
  std::vector<std::string> names;

  static Subst of(NodeId n) {
    Subst s;
    s.kind = Node;
    s.node = n;
    return s;
  }
  static Subst list(std::vector<NodeId> ns) {
    Subst s;
    s.kind = Nodes;
    s.nodes = std::move(ns);
    return s;
  }
  static Subst name(std::string n) {
    Subst s;
    s.kind = Name;
    s.text = std::move(n);
    return s;
  }
  static Subst name_list(std::vector<std::string> ns) {
    Subst s;
    s.kind = Names;
    s.names = std::move(ns);
    return s;
  }
};

using Substitutions = std::vector<std::pair<std::string, Subst>>;

// The template's statements, instantiated into b's tree. Throws
// std::logic_error when the template does not parse (a bug in a transform).
std::vector<NodeId> replace(Builder& b, std::string_view template_src, const Substitutions& subs);

// The template must be a single expression statement; returns the expression.
NodeId replace_expr(Builder& b, std::string_view template_src, const Substitutions& subs);

}  // namespace xag::transforms
