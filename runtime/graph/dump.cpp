// Text and Graphviz renderings of a graph, and the op-name listing (ag.Graph.ops).
#include <map>
#include <sstream>
#include <unordered_map>

#include "runtime/graph/fused.h"
#include "runtime/graph/graph.h"

namespace xag::rt {

namespace {

// Numbers every node of a graph family in pre-order, so names are unique across subgraphs.
class Namer {
 public:
  explicit Namer(const Graph& g) { number(g); }
  int id(const Node* n) const {
    auto it = ids_.find(n);
    return it == ids_.end() ? -1 : it->second;
  }
  std::string value(const Value& v) const {
    if (!v.valid()) return "%?";
    std::string s = "%" + std::to_string(id(v.node));
    if (v.node->outputs.size() > 1) s += "." + std::to_string(v.index);
    return s;
  }

 private:
  void number(const Graph& g) {
    for (const auto& n : g.nodes()) {
      ids_[n.get()] = next_++;
      for (const auto& sg : n->subgraphs) number(*sg);
    }
  }
  std::unordered_map<const Node*, int> ids_;
  int next_ = 0;
};

std::string quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '\n') {
      q += "\\n";
    } else if (c == '"' || c == '\\') {
      q += '\\';
      q += c;
    } else {
      q += c;
    }
  }
  return q + "\"";
}

std::string axis_list(const AxisList& a) {
  std::string s = "[";
  for (int i = 0; i < a.size(); ++i) s += (i ? ", " : "") + std::to_string(a[i]);
  return s + "]";
}

// Non-default attributes of an op node, e.g. " axes=[0] keepdims".
std::string attr_text(const Node& n) {
  const OpAttrs& a = n.attrs;
  std::string s;
  if (a.has_axes) s += " axes=" + axis_list(a.axes);
  if (a.keepdims) s += " keepdims";
  if (a.perm.size()) s += " perm=" + axis_list(a.perm);
  if (a.has_axis) s += " axis=" + std::to_string(a.axis);
  if (a.has_dtype) s += std::string(" dtype=") + dtype_name(a.dtype);
  if (a.shape.rank() > 0) s += " shape=" + a.shape.to_string();
  if (!a.slices.empty()) s += " slices=" + std::to_string(a.slices.size());
  if (a.depth) s += " depth=" + std::to_string(a.depth);
  if (a.has_seed) s += " seed=" + std::to_string(a.seed);
  if (!a.text.empty()) s += " text=" + a.text;
  return s;
}

std::string types_text(const std::vector<Type>& ts) {
  std::string s;
  for (size_t i = 0; i < ts.size(); ++i) s += (i ? ", " : "") + ts[i].to_string();
  return s;
}

class Printer {
 public:
  explicit Printer(const Graph& root) : names_(root) {}

  void graph(const Graph& g, const std::string& indent) {
    out_ << indent << g.name() << "(";
    for (size_t i = 0; i < g.params().size(); ++i) {
      const Value& p = g.params()[i];
      out_ << (i ? ", " : "") << names_.value(p) << ": " << p.type().to_string();
      if (!p.node->name.empty()) out_ << " " << p.node->name;
    }
    out_ << ") {\n";
    for (const auto& n : g.nodes())
      if (n->kind != NodeKind::Placeholder) node(*n, indent + "  ");
    out_ << indent << "  return";
    for (size_t i = 0; i < g.outputs().size(); ++i)
      out_ << (i ? ", " : " ") << names_.value(g.outputs()[i]);
    out_ << "\n" << indent << "}\n";
  }

  std::string str() const { return out_.str(); }

 private:
  void node(const Node& n, const std::string& indent) {
    out_ << indent;
    if (!n.outputs.empty()) {
      for (size_t i = 0; i < n.outputs.size(); ++i)
        out_ << (i ? ", " : "") << names_.value(Value{const_cast<Node*>(&n), static_cast<int>(i)});
      out_ << " = ";
    }
    out_ << n.op_name();
    if (n.kind == NodeKind::Call && n.callee) out_ << " @" << n.callee->name();
    if (n.kind == NodeKind::Const) {
      out_ << " " << (n.value.num_elements() <= 8 ? n.value.to_string() : "...");
    }
    if (n.kind == NodeKind::Print) {
      out_ << "(";
      for (size_t i = 0; i < n.print_items.size(); ++i) {
        const PrintItem& it = n.print_items[i];
        out_ << (i ? ", " : "")
             << (it.input >= 0 ? names_.value(n.inputs[static_cast<size_t>(it.input)])
                               : quoted(it.text));
      }
      out_ << ") sep=" << quoted(n.sep) << " end=" << quoted(n.end);
    } else if (!n.inputs.empty() || n.kind == NodeKind::Op) {
      out_ << "(";
      for (size_t i = 0; i < n.inputs.size(); ++i)
        out_ << (i ? ", " : "") << names_.value(n.inputs[i]);
      out_ << ")";
    }
    if (n.kind == NodeKind::Op) out_ << attr_text(n);
    if (n.kind == NodeKind::While) {
      out_ << " loop_vars=" << n.num_loop_vars;
      if (n.has_max_iterations) out_ << " max_iterations";
    }
    if (n.kind == NodeKind::Assert) out_ << " " << quoted(n.message);
    if (n.variable) out_ << " var=" << quoted(n.variable->name());
    if (n.kind == NodeKind::FusedElementwise && n.fused)
      out_ << " {" << n.fused->to_string() << "}";
    if (n.kind == NodeKind::ListNew && !n.dynamic_size) out_ << " fixed_size";
    if (!n.outputs.empty()) out_ << " : " << types_text(n.outputs);
    if (!n.control_deps.empty()) {
      out_ << " after";
      for (const Node* d : n.control_deps) out_ << " %" << names_.id(d);
    }
    if (n.backward) out_ << "  [gradient]";
    if (n.loc.known()) out_ << "  # " << n.loc.to_string();
    out_ << "\n";
    for (const auto& sg : n.subgraphs) graph(*sg, indent + "  ");
  }

  Namer names_;
  std::ostringstream out_;
};

class DotPrinter {
 public:
  explicit DotPrinter(const Graph& root) : names_(root) {}

  void graph(const Graph& g, const std::string& indent) {
    nodes(g, indent);
    scopes(g, indent);
  }

  // One box per name scope (a layer's ops), around the nodes of `g` made in it.
  void scopes(const Graph& g, const std::string& indent) {
    std::vector<std::string> order;
    std::map<std::string, std::vector<const Node*>> members;
    for (const auto& n : g.nodes()) {
      if (n->scope.empty()) continue;
      auto& m = members[n->scope];
      if (m.empty()) order.push_back(n->scope);
      m.push_back(n.get());
    }
    for (const std::string& scope : order) {
      out_ << indent << "subgraph cluster_" << cluster_++ << " {\n";
      out_ << indent << "  label=" << escaped(scope) << "; style=dashed; color=\"#1c7ed6\";\n";
      for (const Node* n : members[scope]) out_ << indent << "  n" << names_.id(n) << ";\n";
      out_ << indent << "}\n";
    }
  }

  void nodes(const Graph& g, const std::string& indent) {
    for (const auto& n : g.nodes()) {
      const std::string id = "n" + std::to_string(names_.id(n.get()));
      std::string label = n->op_name();
      if (n->kind == NodeKind::Const && n->value.num_elements() <= 4) {
        label += " " + n->value.to_string();
      }
      if (n->kind == NodeKind::Placeholder) label += display_name(*n);
      // A call of a graph function (a recursive function) names the function it runs.
      if (n->kind == NodeKind::Call && n->callee) label += " " + n->callee->name();
      if (!n->outputs.empty()) label += "\\n" + types_text(n->outputs);
      const char* shape = n->kind == NodeKind::Call          ? "box3d"
                          : n->has_side_effects()            ? "octagon"
                          : n->kind == NodeKind::Placeholder ? "invhouse"
                          : n->kind == NodeKind::Const       ? "ellipse"
                          : !n->subgraphs.empty()            ? "diamond"
                                                             : "box";
      out_ << indent << id << " [label=" << escaped(label) << ", shape=" << shape;
      // Hovering a node in the SVG shows the user's line that made it.
      if (n->loc.line > 0) out_ << ", tooltip=" << escaped(line_text(n->loc));
      // The backward pass (nodes a gradient made) is filled orange, apart from the forward.
      if (n->backward) out_ << ", style=filled, fillcolor=\"" << kBackwardFill << "\"";
      out_ << "];\n";
      any_backward_ = any_backward_ || n->backward;
      for (const Value& in : n->inputs)
        out_ << indent << "n" << names_.id(in.node) << " -> " << id << ";\n";
      for (const Node* d : n->control_deps)
        out_ << indent << "n" << names_.id(d) << " -> " << id << " [style=dashed];\n";
      if (!n->subgraphs.empty()) subgraphs(*n, id, indent);
    }
  }

  // The subgraphs of a Cond/While, in one box labelled with the user's statement ("while
  // a != 1 — line 3"); the node itself stays outside. The edges from the subgraphs' results
  // to the node are written after the box: an edge inside a cluster would pull the node in.
  void subgraphs(const Node& n, const std::string& id, const std::string& indent) {
    out_ << indent << "subgraph cluster_" << cluster_++ << " {\n";
    const std::string statement = statement_text(n.loc);
    std::string label = statement.empty() ? n.op_name() : statement;
    if (n.loc.line > 0) label += " \u2014 line " + std::to_string(n.loc.line);
    out_ << indent << "  label=" << escaped(label) << "; style=dashed; color=\"#868e96\";\n";
    std::vector<const Value*> results;
    for (const auto& sg : n.subgraphs) {
      out_ << indent << "  subgraph cluster_" << cluster_++ << " {\n";
      out_ << indent << "    label=" << escaped(sg->name()) << ";\n";
      if (n.backward) {
        out_ << indent << "    style=\"rounded,filled\"; fillcolor=\"" << kBackwardCluster
             << "\";\n";
      } else {
        out_ << indent << "    style=rounded; color=\"#495057\";\n";
      }
      graph(*sg, indent + "    ");
      out_ << indent << "  }\n";
      for (const Value& o : sg->outputs()) results.push_back(&o);
    }
    out_ << indent << "}\n";
    for (const Value* o : results) {
      out_ << indent << "n" << names_.id(o->node) << " -> " << id
           << " [style=dotted, constraint=false];\n";
    }
  }

  // " x" for a named input; a subgraph's unnamed input takes the name of the named input it
  // receives from its Cond/While (a branch's capture of argument x is drawn as x).
  std::string display_name(const Node& n) const {
    if (!n.name.empty()) return " " + n.name;
    const Node* owner = n.graph ? n.graph->owner() : nullptr;
    if (!owner) return "";
    const auto& params = n.graph->params();
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i].node != &n) continue;
      // Cond inputs are [pred, x...]; While inputs are [vars..., captures..., max_iter?].
      const size_t k = owner->kind == NodeKind::Cond ? i + 1 : i;
      if (k < owner->inputs.size() && owner->inputs[k].node->kind == NodeKind::Placeholder)
        return display_name(*owner->inputs[k].node);
    }
    return "";
  }

  // "while a != 1" from the located source line "    while a != 1:" (empty when unknown).
  static std::string statement_text(const SourceLoc& loc) {
    std::string s = loc.source_line;
    const size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    s = s.substr(b);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
    if (!s.empty() && s.back() == ':') s.pop_back();
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    return s;
  }

  // "line 3: a = a // 2" for a tooltip.
  static std::string line_text(const SourceLoc& loc) {
    const std::string statement = statement_text(loc);
    return "line " + std::to_string(loc.line) + (statement.empty() ? "" : ": " + statement);
  }

  std::string str(const Graph& root) {
    // Left to right: traced graphs are shallow and wide, so this keeps most of them inside a
    // notebook's ~980 px output area; `size` scales down (only) what is still wider.
    out_ << "digraph " << escaped(root.name()) << " {\n"
         << "  graph [rankdir=LR, nodesep=0.15, ranksep=0.25, size=\"10.1,100\", "
            "fontname=\"sans-serif\", fontsize=11];\n"
         << "  node [fontname=\"monospace\", fontsize=10, height=0.3, margin=\"0.05,0.02\"];\n"
         << "  edge [arrowsize=0.7];\n";
    graph(root, "  ");
    for (size_t i = 0; i < root.outputs().size(); ++i) {
      out_ << "  out" << i << " [label=\"output " << i << "\", shape=house];\n";
      out_ << "  n" << names_.id(root.outputs()[i].node) << " -> out" << i << ";\n";
    }
    if (any_backward_) {
      out_ << "  legend [label=\"gradient (backward pass)\", shape=note, style=filled, fillcolor=\""
           << kBackwardFill << "\"];\n";
    }
    out_ << "}\n";
    return out_.str();
  }

 private:
  // Quotes for dot; keeps the "\n" line breaks we put in labels.
  static std::string escaped(const std::string& s) {
    std::string q = "\"";
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
        q += "\\n";
        ++i;
      } else if (c == '"' || c == '\\') {
        q += '\\';
        q += c;
      } else if (c == '\n') {
        q += "\\n";
      } else {
        q += c;
      }
    }
    return q + "\"";
  }

  static constexpr const char* kBackwardFill = "#ffd8a8";
  static constexpr const char* kBackwardCluster = "#fff4e6";

  Namer names_;
  std::ostringstream out_;
  int cluster_ = 0;
  bool any_backward_ = false;
};

void collect_ops(const Graph& g, bool recursive, std::vector<std::string>& out) {
  for (const auto& n : g.nodes()) {
    out.emplace_back(n->op_name());
    if (recursive)
      for (const auto& sg : n->subgraphs) collect_ops(*sg, true, out);
  }
}

}  // namespace

std::vector<std::string> Graph::ops(bool recursive) const {
  std::vector<std::string> out;
  collect_ops(*this, recursive, out);
  return out;
}

std::string Graph::dump() const {
  Printer p(*this);
  p.graph(*this, "");
  std::string text = p.str();
  // The graph functions its calls run (a recursive function's body), after it.
  for (const auto& fn : functions_) text += "function " + fn->dump();
  return text;
}

std::string Graph::to_dot() const {
  return DotPrinter(*this).str(*this);
}

}  // namespace xag::rt
