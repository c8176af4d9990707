#include "converter/analysis/scopes.h"

namespace xag::analysis {

using ast::Op;

namespace {

// Collects what each scope binds and uses; resolution happens afterwards,
// once every enclosing scope is known.
class Collector {
 public:
  Collector(const Tree& t, ScopeTable& table) : t_(t), table_(table) {}

  void scope(NodeId n, NodeId parent) {
    ScopeInfo& info = table_.add(n);
    info.node = n;
    info.parent = parent;
    NodeKind k = t_.kind(n);
    info.kind = k == NodeKind::Module     ? ScopeKind::Module
                : k == NodeKind::Lambda   ? ScopeKind::Lambda
                : k == NodeKind::ClassDef ? ScopeKind::Class
                : is_comprehension(k)     ? ScopeKind::Comprehension
                                          : ScopeKind::Function;
    if (parent.valid()) table_.add(parent).children.push_back(n);
    NodeId saved = cur_;
    cur_ = n;
    switch (info.kind) {
      case ScopeKind::Module:
        for (NodeId s : t_.list(n, Field::Module_body)) visit(s);
        break;
      case ScopeKind::Class:
        for (NodeId s : t_.list(n, Field::ClassDef_body)) visit(s);
        break;
      case ScopeKind::Function:
      case ScopeKind::Lambda: {
        NodeId args = t_.node(n, function_args_field(k));
        for (auto p : parameter_names(t_, args)) {
          table_.add(n).params.insert(std::string(p));
          bind(std::string(p));
        }
        // Annotations and defaults were evaluated in the parent scope.
        if (k == NodeKind::Lambda)
          visit(t_.node(n, Field::Lambda_body));
        else
          for (NodeId s : t_.list(n, function_body_field(k))) visit(s);
        break;
      }
      case ScopeKind::Comprehension: {
        // The first iterable was already visited in the parent scope.
        bool first = true;
        for (NodeId g : t_.list(n, generators(k))) {
          if (!first) visit(t_.node(g, Field::comprehension_iter));
          first = false;
          visit(t_.node(g, Field::comprehension_target));
          for (NodeId c : t_.list(g, Field::comprehension_ifs)) visit(c);
        }
        ast::for_each_child(t_, n, [&](NodeId c) {
          if (t_.kind(c) != NodeKind::comprehension) visit(c);
        });
        break;
      }
    }
    cur_ = saved;
  }

 private:
  static Field generators(NodeKind k) {
    switch (k) {
      case NodeKind::SetComp:
        return Field::SetComp_generators;
      case NodeKind::DictComp:
        return Field::DictComp_generators;
      case NodeKind::GeneratorExp:
        return Field::GeneratorExp_generators;
      default:
        return Field::ListComp_generators;
    }
  }

  void bind(const std::string& name) {
    ScopeInfo& s = table_.add(cur_);
    s.used.insert(name);
    bound_[cur_.index].insert(name);
  }
  void use(const std::string& name) { table_.add(cur_).used.insert(name); }

  // A walrus binds in the nearest enclosing non-comprehension scope.
  void bind_walrus(const std::string& name) {
    NodeId s = cur_;
    while (table_.at(s).kind == ScopeKind::Comprehension) {
      table_.add(s).used.insert(name);
      table_.add(s).nonlocals.insert(name);  // resolved outward, like nonlocal
      s = table_.at(s).parent;
    }
    table_.add(s).used.insert(name);
    bound_[s.index].insert(name);
  }

  void visit(NodeId n) {
    if (!n) return;
    NodeKind k = t_.kind(n);
    switch (k) {
      case NodeKind::Name:
        if (t_.op(n, Field::Name_ctx) == Op::Load)
          use(std::string(t_.ident(n, Field::Name_id)));
        else
          bind(std::string(t_.ident(n, Field::Name_id)));
        return;
      case NodeKind::NamedExpr:
        visit(t_.node(n, Field::NamedExpr_value));
        bind_walrus(std::string(t_.ident(t_.node(n, Field::NamedExpr_target), Field::Name_id)));
        return;
      case NodeKind::Global:
      case NodeKind::Nonlocal: {
        ScopeInfo& s = table_.add(cur_);
        for (auto id :
             t_.idents(n, k == NodeKind::Global ? Field::Global_names : Field::Nonlocal_names)) {
          std::string name(t_.string(id));
          (k == NodeKind::Global ? s.globals : s.nonlocals).insert(name);
          s.used.insert(name);
        }
        return;
      }
      case NodeKind::FunctionDef:
      case NodeKind::AsyncFunctionDef: {
        for (NodeId d :
             t_.list(n, k == NodeKind::FunctionDef ? Field::FunctionDef_decorator_list
                                                   : Field::AsyncFunctionDef_decorator_list))
          visit(d);
        visit_signature(t_.node(n, function_args_field(k)));
        visit(t_.node(n, k == NodeKind::FunctionDef ? Field::FunctionDef_returns
                                                    : Field::AsyncFunctionDef_returns));
        bind(std::string(t_.ident(n, function_name_field(k))));
        scope(n, cur_);
        return;
      }
      case NodeKind::Lambda:
        visit_signature(t_.node(n, Field::Lambda_args));
        scope(n, cur_);
        return;
      case NodeKind::ClassDef:
        for (NodeId d : t_.list(n, Field::ClassDef_decorator_list)) visit(d);
        for (NodeId b : t_.list(n, Field::ClassDef_bases)) visit(b);
        for (NodeId kw : t_.list(n, Field::ClassDef_keywords)) visit(kw);
        bind(std::string(t_.ident(n, Field::ClassDef_name)));
        scope(n, cur_);
        return;
      case NodeKind::ListComp:
      case NodeKind::SetComp:
      case NodeKind::DictComp:
      case NodeKind::GeneratorExp:
        visit(t_.node(t_.list(n, generators(k))[0], Field::comprehension_iter));
        scope(n, cur_);
        return;
      case NodeKind::Import:
      case NodeKind::ImportFrom:
        for (NodeId al :
             t_.list(n, k == NodeKind::Import ? Field::Import_names : Field::ImportFrom_names)) {
          std::string name(t_.has_str(al, Field::alias_asname) ? t_.ident(al, Field::alias_asname)
                                                               : t_.ident(al, Field::alias_name));
          if (name != "*") bind(name.substr(0, name.find('.')));
        }
        return;
      case NodeKind::ExceptHandler:
        if (t_.has_str(n, Field::ExceptHandler_name))
          bind(std::string(t_.ident(n, Field::ExceptHandler_name)));
        break;
      case NodeKind::MatchAs:
        if (t_.has_str(n, Field::MatchAs_name)) bind(std::string(t_.str(n, Field::MatchAs_name)));
        break;
      case NodeKind::MatchStar:
        if (t_.has_str(n, Field::MatchStar_name))
          bind(std::string(t_.str(n, Field::MatchStar_name)));
        break;
      case NodeKind::MatchMapping:
        if (t_.has_str(n, Field::MatchMapping_rest))
          bind(std::string(t_.str(n, Field::MatchMapping_rest)));
        break;
      default:
        break;
    }
    ast::for_each_child(t_, n, [&](NodeId c) { visit(c); });
  }

  void visit_signature(NodeId args) {
    for (NodeId d : t_.list(args, Field::arguments_defaults)) visit(d);
    for (NodeId d : t_.list(args, Field::arguments_kw_defaults)) visit(d);
    // Annotations are evaluated in the enclosing scope too.
    auto ann = [&](NodeId a) {
      if (a) visit(t_.node(a, Field::arg_annotation));
    };
    for (NodeId a : t_.list(args, Field::arguments_posonlyargs)) ann(a);
    for (NodeId a : t_.list(args, Field::arguments_args)) ann(a);
    ann(t_.node(args, Field::arguments_vararg));
    for (NodeId a : t_.list(args, Field::arguments_kwonlyargs)) ann(a);
    ann(t_.node(args, Field::arguments_kwarg));
  }

 public:
  std::unordered_map<uint32_t, NameSet> bound_;

 private:
  const Tree& t_;
  ScopeTable& table_;
  NodeId cur_;
};

// Does an enclosing function scope of `s` (classes skipped) bind name?
bool bound_in_enclosing_function(const ScopeTable& table, const ScopeInfo& s,
                                 const std::string& name) {
  NodeId p = s.parent;
  while (p.valid()) {
    const ScopeInfo& ps = table.at(p);
    if (ps.kind == ScopeKind::Module) return false;
    if (ps.kind != ScopeKind::Class) {
      if (ps.globals.count(name)) return false;
      if (ps.locals.count(name) || ps.nonlocals.count(name)) return true;
    }
    p = ps.parent;
  }
  return false;
}

void resolve(ScopeTable& table, NodeId n, std::unordered_map<uint32_t, NameSet>& bound) {
  ScopeInfo& s = table.add(n);
  for (const auto& name : bound[n.index])
    if (!s.globals.count(name) && !s.nonlocals.count(name)) s.locals.insert(name);
  // Parents resolve before children: free names depend on enclosing locals.
  for (NodeId c : std::vector<NodeId>(s.children)) resolve(table, c, bound);
}

void classify_uses(ScopeTable& table, NodeId n) {
  ScopeInfo& s = table.add(n);
  for (const auto& name : s.used) {
    if (s.locals.count(name) || s.globals.count(name)) continue;
    if (s.kind == ScopeKind::Module) continue;
    if (s.nonlocals.count(name) || bound_in_enclosing_function(table, s, name))
      s.free.insert(name);
    else
      s.implicit_globals.insert(name);
  }
  for (NodeId c : std::vector<NodeId>(s.children)) classify_uses(table, c);
}

}  // namespace

std::string ScopeTable::classify(NodeId scope, const std::string& name) const {
  const ScopeInfo& s = at(scope);
  if (s.globals.count(name) || s.implicit_globals.count(name)) return "global";
  if (s.nonlocals.count(name)) return "nonlocal";
  if (s.locals.count(name)) return s.kind == ScopeKind::Module ? "global" : "local";
  if (s.free.count(name)) return "free";
  return "";
}

ScopeTable analyze_scopes(const Tree& t, NodeId root) {
  ScopeTable table;
  Collector c(t, table);
  c.scope(root, NodeId{});
  resolve(table, root, c.bound_);
  classify_uses(table, root);
  return table;
}

}  // namespace xag::analysis
