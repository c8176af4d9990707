#include "converter/analysis/activity.h"

#include <string>

namespace xag::analysis {

using ast::FieldType;
using ast::Op;

void Activity::merge(const Activity& o) {
  add_all(read, o.read);
  add_all(modified, o.modified);
  add_all(bound, o.bound);
  add_all(deleted, o.deleted);
}

std::string qualified_name(const Tree& t, NodeId e) {
  switch (t.kind(e)) {
    case NodeKind::Name:
      return std::string(t.ident(e, Field::Name_id));
    case NodeKind::Attribute: {
      std::string base = qualified_name(t, t.node(e, Field::Attribute_value));
      if (base.empty()) return base;
      return base + "." + std::string(t.ident(e, Field::Attribute_attr));
    }
    case NodeKind::Subscript: {
      std::string base = qualified_name(t, t.node(e, Field::Subscript_value));
      if (base.empty()) return base;
      return base + "[]";
    }
    default:
      return {};
  }
}

namespace {

class Walker {
 public:
  explicit Walker(const Tree& t, ActivityCache* cache = nullptr) : t_(t), cache_(cache) {}

  void expr(NodeId e, Activity& a);
  void stmt(NodeId s, Activity& a, bool header_only);
  void block(ast::Span<NodeId> stmts, Activity& a) {
    for (NodeId s : stmts) stmt(s, a, false);
  }
  // A nested def/lambda/class body: what it reads from and modifies in the
  // enclosing scope.
  void nested_scope(NodeId scope, Activity& a);

 private:
  void target(NodeId e, Activity& a, Op ctx);
  void arguments_defaults(NodeId args, Activity& a);
  void pattern(NodeId p, Activity& a);
  void comprehension(NodeId e, Activity& a);
  void function_def(NodeId s, Activity& a);
  void children(NodeId n, Activity& a) {
    ast::for_each_child(t_, n, [&](NodeId c) { expr(c, a); });
  }

  const Tree& t_;
  ActivityCache* cache_;
};

// Targets of assignments, for, with, del: Store/Del context.
void Walker::target(NodeId e, Activity& a, Op ctx) {
  switch (t_.kind(e)) {
    case NodeKind::Name: {
      std::string n(t_.ident(e, Field::Name_id));
      a.modified.insert(n);
      if (ctx == Op::Del)
        a.deleted.insert(n);
      else
        a.bound.insert(n);
      return;
    }
    case NodeKind::Tuple:
    case NodeKind::List:
      for (NodeId x :
           t_.list(e, t_.kind(e) == NodeKind::Tuple ? Field::Tuple_elts : Field::List_elts))
        target(x, a, ctx);
      return;
    case NodeKind::Starred:
      target(t_.node(e, Field::Starred_value), a, ctx);
      return;
    case NodeKind::Attribute: {
      std::string q = qualified_name(t_, e);
      if (!q.empty()) a.modified.insert(q);
      expr(t_.node(e, Field::Attribute_value), a);
      return;
    }
    case NodeKind::Subscript: {
      std::string q = qualified_name(t_, e);
      if (!q.empty()) a.modified.insert(q);
      expr(t_.node(e, Field::Subscript_value), a);
      expr(t_.node(e, Field::Subscript_slice), a);
      return;
    }
    default:
      expr(e, a);
  }
}

void Walker::arguments_defaults(NodeId args, Activity& a) {
  for (NodeId d : t_.list(args, Field::arguments_defaults)) expr(d, a);
  for (NodeId d : t_.list(args, Field::arguments_kw_defaults))
    if (d) expr(d, a);
}

void Walker::comprehension(NodeId e, Activity& a) {
  // Everything inside runs in the comprehension's own scope, except the
  // first iterable; walrus targets leak out to the enclosing scope.
  Activity inner;
  NameSet locals;
  bool first = true;
  Field gens = Field::ListComp_generators;
  switch (t_.kind(e)) {
    case NodeKind::SetComp:
      gens = Field::SetComp_generators;
      break;
    case NodeKind::DictComp:
      gens = Field::DictComp_generators;
      break;
    case NodeKind::GeneratorExp:
      gens = Field::GeneratorExp_generators;
      break;
    default:
      break;
  }
  for (NodeId g : t_.list(e, gens)) {
    if (first)
      expr(t_.node(g, Field::comprehension_iter), a);
    else
      expr(t_.node(g, Field::comprehension_iter), inner);
    first = false;
    Activity tgt;
    target(t_.node(g, Field::comprehension_target), tgt, Op::Store);
    add_all(locals, tgt.bound);
    for (NodeId c : t_.list(g, Field::comprehension_ifs)) expr(c, inner);
  }
  switch (t_.kind(e)) {
    case NodeKind::DictComp:
      expr(t_.node(e, Field::DictComp_key), inner);
      expr(t_.node(e, Field::DictComp_value), inner);
      break;
    case NodeKind::SetComp:
      expr(t_.node(e, Field::SetComp_elt), inner);
      break;
    case NodeKind::GeneratorExp:
      expr(t_.node(e, Field::GeneratorExp_elt), inner);
      break;
    default:
      expr(t_.node(e, Field::ListComp_elt), inner);
  }
  for (const auto& n : inner.read)
    if (!locals.count(std::string(base_name(n)))) a.read.insert(n);
  // Walrus bindings inside the comprehension bind in the enclosing scope.
  for (const auto& n : inner.bound)
    if (!locals.count(n)) {
      a.bound.insert(n);
      a.modified.insert(n);
    }
}

void Walker::expr(NodeId e, Activity& a) {
  if (!e) return;
  switch (t_.kind(e)) {
    case NodeKind::Name: {
      Op ctx = t_.op(e, Field::Name_ctx);
      if (ctx == Op::Load)
        a.read.insert(std::string(t_.ident(e, Field::Name_id)));
      else
        target(e, a, ctx);
      return;
    }
    case NodeKind::Attribute:
    case NodeKind::Subscript: {
      Field ctxf = t_.kind(e) == NodeKind::Attribute ? Field::Attribute_ctx : Field::Subscript_ctx;
      Op ctx = t_.op(e, ctxf);
      if (ctx != Op::Load) return target(e, a, ctx);
      std::string q = qualified_name(t_, e);
      if (!q.empty() && t_.kind(e) == NodeKind::Attribute) a.read.insert(q);
      children(e, a);
      return;
    }
    case NodeKind::Starred:
    case NodeKind::Tuple:
    case NodeKind::List: {
      Field ctxf = t_.kind(e) == NodeKind::Starred ? Field::Starred_ctx
                   : t_.kind(e) == NodeKind::Tuple ? Field::Tuple_ctx
                                                   : Field::List_ctx;
      if (t_.op(e, ctxf) != Op::Load) return target(e, a, t_.op(e, ctxf));
      children(e, a);
      return;
    }
    case NodeKind::NamedExpr:
      expr(t_.node(e, Field::NamedExpr_value), a);
      target(t_.node(e, Field::NamedExpr_target), a, Op::Store);
      return;
    case NodeKind::Lambda:
      arguments_defaults(t_.node(e, Field::Lambda_args), a);
      nested_scope(e, a);
      return;
    case NodeKind::ListComp:
    case NodeKind::SetComp:
    case NodeKind::DictComp:
    case NodeKind::GeneratorExp:
      comprehension(e, a);
      return;
    default:
      children(e, a);
  }
}

void Walker::nested_scope(NodeId scope, Activity& a) {
  NodeKind k = t_.kind(scope);
  Activity inner;
  NameSet locals, globals, nonlocals;
  if (is_function(k)) {
    for (auto p : parameter_names(t_, t_.node(scope, function_args_field(k))))
      locals.insert(std::string(p));
  }
  if (k == NodeKind::Lambda) {
    expr(t_.node(scope, Field::Lambda_body), inner);
  } else {
    Field body = k == NodeKind::ClassDef ? Field::ClassDef_body : function_body_field(k);
    block(t_.list(scope, body), inner);
    // Declarations anywhere in the body (not inside further nested scopes).
    std::vector<NodeId> work(t_.list(scope, body).begin(), t_.list(scope, body).end());
    while (!work.empty()) {
      NodeId s = work.back();
      work.pop_back();
      NodeKind sk = t_.kind(s);
      if (sk == NodeKind::Global || sk == NodeKind::Nonlocal) {
        Field f = sk == NodeKind::Global ? Field::Global_names : Field::Nonlocal_names;
        for (auto id : t_.idents(s, f))
          (sk == NodeKind::Global ? globals : nonlocals).insert(std::string(t_.string(id)));
      }
      for (Field f : stmt_blocks(sk))
        for (NodeId c : t_.list(s, f)) work.push_back(c);
      if (sk == NodeKind::Try || sk == NodeKind::TryStar) {
        Field hf = sk == NodeKind::Try ? Field::Try_handlers : Field::TryStar_handlers;
        for (NodeId h : t_.list(s, hf))
          for (NodeId c : t_.list(h, Field::ExceptHandler_body)) work.push_back(c);
      }
    }
  }
  for (const auto& n : inner.bound)
    if (!globals.count(n) && !nonlocals.count(n)) locals.insert(n);
  for (const auto& n : inner.deleted)
    if (!globals.count(n) && !nonlocals.count(n)) locals.insert(n);
  for (const auto& n : inner.read)
    if (!locals.count(std::string(base_name(n))) && !globals.count(std::string(base_name(n))))
      a.read.insert(n);
  for (const auto& n : inner.modified)
    if (nonlocals.count(std::string(base_name(n)))) a.modified.insert(n);
  // Composite modifications of free variables (`x.a = 1` inside) leak out too.
  for (const auto& n : inner.modified)
    if (!is_simple(n) && !locals.count(std::string(base_name(n)))) a.modified.insert(n);
}

void Walker::pattern(NodeId p, Activity& a) {
  if (!p) return;
  auto bind = [&](NodeId n, Field f) {
    if (t_.has_str(n, f)) {
      std::string name(t_.str(n, f));
      a.bound.insert(name);
      a.modified.insert(name);
    }
  };
  switch (t_.kind(p)) {
    case NodeKind::MatchAs:
      pattern(t_.node(p, Field::MatchAs_pattern), a);
      bind(p, Field::MatchAs_name);
      return;
    case NodeKind::MatchStar:
      bind(p, Field::MatchStar_name);
      return;
    case NodeKind::MatchMapping:
      for (NodeId k : t_.list(p, Field::MatchMapping_keys)) expr(k, a);
      for (NodeId q : t_.list(p, Field::MatchMapping_patterns)) pattern(q, a);
      bind(p, Field::MatchMapping_rest);
      return;
    case NodeKind::MatchClass:
      expr(t_.node(p, Field::MatchClass_cls), a);
      for (NodeId q : t_.list(p, Field::MatchClass_patterns)) pattern(q, a);
      for (NodeId q : t_.list(p, Field::MatchClass_kwd_patterns)) pattern(q, a);
      return;
    case NodeKind::MatchValue:
      expr(t_.node(p, Field::MatchValue_value), a);
      return;
    case NodeKind::MatchSequence:
      for (NodeId q : t_.list(p, Field::MatchSequence_patterns)) pattern(q, a);
      return;
    case NodeKind::MatchOr:
      for (NodeId q : t_.list(p, Field::MatchOr_patterns)) pattern(q, a);
      return;
    default:
      return;
  }
}

// Activity is a union, so a def's own share can be computed apart (and
// cached) and merged.
void Walker::function_def(NodeId s, Activity& a) {
  NodeKind k = t_.kind(s);
  for (NodeId d : t_.list(s, k == NodeKind::FunctionDef ? Field::FunctionDef_decorator_list
                                                        : Field::AsyncFunctionDef_decorator_list))
    expr(d, a);
  NodeId args = t_.node(s, function_args_field(k));
  arguments_defaults(args, a);
  nested_scope(s, a);
  std::string name(t_.ident(s, function_name_field(k)));
  a.bound.insert(name);
  a.modified.insert(name);
}

void Walker::stmt(NodeId s, Activity& a, bool header_only) {
  NodeKind k = t_.kind(s);
  switch (k) {
    case NodeKind::FunctionDef:
    case NodeKind::AsyncFunctionDef: {
      if (!cache_ || !cache_->stable_defs.count(s.index)) return function_def(s, a);
      auto it = cache_->done.find(s.index);
      if (it == cache_->done.end()) {
        Activity d;
        function_def(s, d);  // may fill the cache with inner defs first
        it = cache_->done.emplace(s.index, std::move(d)).first;
      }
      a.merge(it->second);
      return;
    }
    case NodeKind::ClassDef: {
      for (NodeId d : t_.list(s, Field::ClassDef_decorator_list)) expr(d, a);
      for (NodeId b : t_.list(s, Field::ClassDef_bases)) expr(b, a);
      for (NodeId kw : t_.list(s, Field::ClassDef_keywords)) expr(kw, a);
      nested_scope(s, a);
      std::string name(t_.ident(s, Field::ClassDef_name));
      a.bound.insert(name);
      a.modified.insert(name);
      return;
    }
    case NodeKind::Assign:
      expr(t_.node(s, Field::Assign_value), a);
      for (NodeId tg : t_.list(s, Field::Assign_targets)) target(tg, a, Op::Store);
      return;
    case NodeKind::AugAssign: {
      NodeId tg = t_.node(s, Field::AugAssign_target);
      expr(t_.node(s, Field::AugAssign_value), a);
      // x += 1 reads x before rebinding it.
      std::string q = qualified_name(t_, tg);
      if (!q.empty()) a.read.insert(q);
      target(tg, a, Op::Store);
      return;
    }
    case NodeKind::AnnAssign: {
      expr(t_.node(s, Field::AnnAssign_annotation), a);
      NodeId v = t_.node(s, Field::AnnAssign_value);
      if (v) {
        expr(v, a);
        target(t_.node(s, Field::AnnAssign_target), a, Op::Store);
      }
      return;
    }
    case NodeKind::Delete:
      for (NodeId tg : t_.list(s, Field::Delete_targets)) target(tg, a, Op::Del);
      return;
    case NodeKind::Import:
    case NodeKind::ImportFrom:
      for (NodeId al :
           t_.list(s, k == NodeKind::Import ? Field::Import_names : Field::ImportFrom_names)) {
        std::string name = t_.has_str(al, Field::alias_asname)
                               ? std::string(t_.ident(al, Field::alias_asname))
                               : std::string(base_name(t_.ident(al, Field::alias_name)));
        if (name == "*") continue;
        // `import a.b` binds a.
        name = name.substr(0, name.find('.'));
        a.bound.insert(name);
        a.modified.insert(name);
      }
      return;
    case NodeKind::For:
    case NodeKind::AsyncFor: {
      bool af = k == NodeKind::AsyncFor;
      expr(t_.node(s, af ? Field::AsyncFor_iter : Field::For_iter), a);
      target(t_.node(s, af ? Field::AsyncFor_target : Field::For_target), a, Op::Store);
      break;
    }
    case NodeKind::While:
      expr(t_.node(s, Field::While_test), a);
      break;
    case NodeKind::If:
      expr(t_.node(s, Field::If_test), a);
      break;
    case NodeKind::With:
    case NodeKind::AsyncWith:
      for (NodeId it :
           t_.list(s, k == NodeKind::With ? Field::With_items : Field::AsyncWith_items)) {
        expr(t_.node(it, Field::withitem_context_expr), a);
        if (NodeId v = t_.node(it, Field::withitem_optional_vars)) target(v, a, Op::Store);
      }
      break;
    case NodeKind::Try:
    case NodeKind::TryStar:
      if (!header_only)
        for (NodeId h :
             t_.list(s, k == NodeKind::Try ? Field::Try_handlers : Field::TryStar_handlers)) {
          expr(t_.node(h, Field::ExceptHandler_type), a);
          if (t_.has_str(h, Field::ExceptHandler_name)) {
            std::string n(t_.ident(h, Field::ExceptHandler_name));
            a.bound.insert(n);
            a.modified.insert(n);
          }
          block(t_.list(h, Field::ExceptHandler_body), a);
        }
      break;
    case NodeKind::Match:
      expr(t_.node(s, Field::Match_subject), a);
      if (!header_only)
        for (NodeId c : t_.list(s, Field::Match_cases)) {
          pattern(t_.node(c, Field::match_case_pattern), a);
          expr(t_.node(c, Field::match_case_guard), a);
          block(t_.list(c, Field::match_case_body), a);
        }
      return;
    case NodeKind::Global:
    case NodeKind::Nonlocal:
      return;
    default:
      // Return, Raise, Assert, Expr, Pass, Break, Continue: expressions only.
      ast::for_each_child(t_, s, [&](NodeId c) { expr(c, a); });
      return;
  }
  if (header_only) return;
  for (Field f : stmt_blocks(k)) block(t_.list(s, f), a);
}

}  // namespace

Activity expr_activity(const Tree& t, NodeId e) {
  Activity a;
  Walker(t).expr(e, a);
  return a;
}

Activity stmt_activity(const Tree& t, NodeId s, ActivityCache* cache) {
  Activity a;
  Walker(t, cache).stmt(s, a, false);
  return a;
}

Activity block_activity(const Tree& t, ast::Span<NodeId> stmts, ActivityCache* cache) {
  Activity a;
  Walker(t, cache).block(stmts, a);
  return a;
}

Activity header_activity(const Tree& t, NodeId s, ActivityCache* cache) {
  Activity a;
  Walker(t, cache).stmt(s, a, true);
  return a;
}

ActivityTable analyze_activity(const Tree& t, NodeId fn) {
  ActivityTable table;
  std::vector<NodeId> work;
  auto push_block = [&](ast::Span<NodeId> b) {
    for (NodeId s : b) work.push_back(s);
  };
  push_block(t.list(fn, function_body_field(t.kind(fn))));
  while (!work.empty()) {
    NodeId s = work.back();
    work.pop_back();
    table[s.index] = stmt_activity(t, s);
    for_each_nested_block(t, s, push_block);
  }
  return table;
}

}  // namespace xag::analysis
