#include "converter/transforms/templates.h"

#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "converter/parse/parser.h"

namespace xag::transforms {

using ast::Constant;
using ast::ConstKind;
using ast::FieldType;

namespace {

// Templates are written indented inside C++ raw strings; drop the first
// empty line and the common indentation so they parse as a module.
std::string dedent(std::string_view src) {
  if (!src.empty() && src.front() == '\n') src.remove_prefix(1);
  size_t indent = std::string_view::npos;
  size_t pos = 0;
  while (pos < src.size()) {
    size_t end = src.find('\n', pos);
    if (end == std::string_view::npos) end = src.size();
    std::string_view line = src.substr(pos, end - pos);
    size_t first = line.find_first_not_of(' ');
    if (first != std::string_view::npos && first < indent) indent = first;
    pos = end + 1;
  }
  if (indent == std::string_view::npos) indent = 0;
  std::string out;
  pos = 0;
  while (pos < src.size()) {
    size_t end = src.find('\n', pos);
    if (end == std::string_view::npos) end = src.size();
    std::string_view line = src.substr(pos, end - pos);
    if (line.size() > indent) out.append(line.substr(indent));
    out += '\n';
    pos = end + 1;
  }
  return out;
}

// Parsed templates, kept for the life of the process: the same few sources
// are instantiated for every if and loop.
const ast::Tree& parsed(std::string_view src) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::unique_ptr<ast::Tree>> cache;
  std::lock_guard<std::mutex> lock(mu);
  std::string key(src);
  auto it = cache.find(key);
  if (it != cache.end()) return *it->second;
  parse::ParseResult r = parse::parse_module(dedent(src));
  if (!r.ok())
    throw std::logic_error("template does not parse: " + r.error->message + " in\n" + key);
  auto tree = std::make_unique<ast::Tree>(std::move(r.tree));
  const ast::Tree& ref = *tree;
  cache.emplace(std::move(key), std::move(tree));
  return ref;
}

class Instantiator {
 public:
  Instantiator(Builder& b, const ast::Tree& src, const Substitutions& subs)
      : b_(b), t_(b.tree()), src_(src), subs_(subs) {}

  // Copies n; a placeholder may expand to several nodes (or none).
  std::vector<NodeId> copy(NodeId n) {
    if (!n) return {n};
    NodeKind k = src_.kind(n);
    if (k == NodeKind::Name) {
      if (const Subst* s = find(src_.ident(n, Field::Name_id))) return substitute(*s, n);
    }
    if (k == NodeKind::Expr) {
      NodeId v = src_.node(n, Field::Expr_value);
      if (src_.kind(v) == NodeKind::Name)
        if (const Subst* s = find(src_.ident(v, Field::Name_id)); s && s->kind == Subst::Nodes)
          return s->nodes;
    }
    if (k == NodeKind::Constant) {
      const Constant& c = src_.constant(n, Field::Constant_value);
      if (c.kind == ConstKind::Str)
        if (const Subst* s = find(c.text); s && s->kind == Subst::Name) {
          NodeId r = b_.str(s->text);
          return {r};
        }
    }
    NodeId r = b_.make(k);
    for (Field f : ast::Tree::fields(k)) {
      switch (ast::field_info(f).type) {
        case FieldType::Node:
        case FieldType::OptNode: {
          auto c = copy(src_.node(n, f));
          t_.set_node(r, f, c.empty() ? NodeId{} : c[0]);
          break;
        }
        case FieldType::Nodes: {
          std::vector<NodeId> out;
          for (NodeId x : src_.list(n, f))
            for (NodeId y : copy(x)) out.push_back(y);
          t_.set_list(r, f, out);
          break;
        }
        case FieldType::Ident:
        case FieldType::OptIdent:
        case FieldType::OptStr:
          if (src_.has_str(n, f)) {
            std::string_view s = src_.str(n, f);
            const Subst* sub = find(s);
            t_.set_str(
                r, f, t_.intern(sub && sub->kind == Subst::Name ? std::string_view(sub->text) : s));
          }
          break;
        case FieldType::Idents: {
          std::vector<ast::StrId> ids;
          for (auto id : src_.idents(n, f)) {
            std::string_view s = src_.string(id);
            const Subst* sub = find(s);
            if (sub && sub->kind == Subst::Names) {
              for (const auto& x : sub->names) ids.push_back(t_.intern(x));
            } else {
              ids.push_back(
                  t_.intern(sub && sub->kind == Subst::Name ? std::string_view(sub->text) : s));
            }
          }
          // `nonlocal` of nothing: the declaration disappears.
          if (ids.empty()) return {};
          t_.set_idents(r, f, ast::Span<ast::StrId>{ids.data(), static_cast<uint32_t>(ids.size())});
          break;
        }
        case FieldType::Int:
        case FieldType::OptInt:
          t_.set_int(r, f, src_.int_value(n, f));
          break;
        case FieldType::Const: {
          Constant c = src_.constant(n, f);
          c.text = t_.keep(c.text);
          t_.set_constant(r, f, c);
          break;
        }
        case FieldType::CmpOps: {
          auto ops = src_.ops(n, f);
          std::vector<Op> v(ops.begin(), ops.end());
          t_.set_ops(r, f, ast::Span<Op>{v.data(), static_cast<uint32_t>(v.size())});
          break;
        }
        default:
          t_.set_op(r, f, src_.op(n, f));
          break;
      }
    }
    return {r};
  }

 private:
  const Subst* find(std::string_view name) const {
    for (const auto& [k, v] : subs_)
      if (k == name) return &v;
    return nullptr;
  }

  std::vector<NodeId> substitute(const Subst& s, NodeId placeholder) {
    Op ctx = src_.op(placeholder, Field::Name_ctx);
    switch (s.kind) {
      case Subst::Name:
        return {b_.name(s.text, ctx)};
      case Subst::Node: {
        // A node substituted twice must not be shared: copy it the second time.
        NodeId n = used_.insert(s.node.index).second ? s.node : deep_copy(t_, s.node);
        if (ctx != Op::Load) set_ctx(t_, n, ctx);
        return {n};
      }
      case Subst::Nodes:
        return s.nodes;
      case Subst::Names: {
        std::vector<NodeId> r;
        for (const auto& x : s.names) r.push_back(b_.name(x, ctx));
        return r;
      }
    }
    return {};
  }

  Builder& b_;
  Tree& t_;
  const ast::Tree& src_;
  const Substitutions& subs_;
  std::unordered_set<uint32_t> used_;
};

}  // namespace

std::vector<NodeId> replace(Builder& b, std::string_view template_src, const Substitutions& subs) {
  const ast::Tree& src = parsed(template_src);
  Instantiator inst(b, src, subs);
  std::vector<NodeId> out;
  for (NodeId s : src.list(src.root(), Field::Module_body))
    for (NodeId n : inst.copy(s)) out.push_back(n);
  return out;
}

NodeId replace_expr(Builder& b, std::string_view template_src, const Substitutions& subs) {
  std::vector<NodeId> stmts = replace(b, template_src, subs);
  if (stmts.size() != 1 || b.tree().kind(stmts[0]) != NodeKind::Expr)
    throw std::logic_error("expression template is not one expression");
  return b.tree().node(stmts[0], Field::Expr_value);
}

}  // namespace xag::transforms
