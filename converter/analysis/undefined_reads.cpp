#include "converter/analysis/undefined_reads.h"

#include "converter/analysis/cfg.h"
#include "converter/analysis/reaching_definitions.h"
#include "converter/analysis/scopes.h"

namespace xag::analysis {

namespace {

// Name loads of an expression, not descending into nested scopes. Only
// locals can be unassigned; globals and builtins are someone else's business.
// Whether a read of name at CFG statement s may find it unassigned.
struct MaybeUnassigned {
  const NameSet& locals;
  const ReachingDefinitions& defs;
  NodeId s;
  bool operator()(const std::string& name) const {
    return locals.count(name) && !defs.is_defined_in(s, name);
  }
};

void loads(const Tree& t, NodeId e, const MaybeUnassigned& unassigned,
           std::unordered_set<uint32_t>& out) {
  if (!e) return;
  NodeKind k = t.kind(e);
  if (opens_scope(k)) return;
  if (k == NodeKind::Name && t.op(e, Field::Name_ctx) == ast::Op::Load) {
    std::string name(t.ident(e, Field::Name_id));
    if (unassigned(name)) out.insert(e.index);
  }
  ast::for_each_child(t, e, [&](NodeId c) {
    // Statement children belong to other CFG nodes.
    if (ast::kind_category(t.kind(c)) != ast::Category::Stmt) loads(t, c, unassigned, out);
  });
}

}  // namespace

std::unordered_set<uint32_t> maybe_undefined_reads(const Tree& t, NodeId fn) {
  Cfg cfg = build_cfg(t, fn);
  ReachingDefinitions defs = analyze_reaching_definitions(t, fn, cfg, /*only_defined_in=*/true);
  ScopeTable scopes = analyze_scopes(t, fn);
  const NameSet& locals = scopes.at(fn).locals;
  std::unordered_set<uint32_t> out;
  for (size_t i = 2; i < cfg.nodes().size(); ++i) {
    NodeId s = cfg.node(static_cast<int>(i)).stmt;
    NodeKind k = t.kind(s);
    if (k == NodeKind::FunctionDef || k == NodeKind::AsyncFunctionDef || k == NodeKind::ClassDef)
      continue;
    // A for target node: its reads (x[i] = ...) happen as the iteration starts.
    MaybeUnassigned unassigned{locals, defs, s};
    switch (k) {
      case NodeKind::For:
        loads(t, t.node(s, Field::For_iter), unassigned, out);
        break;
      case NodeKind::AsyncFor:
        loads(t, t.node(s, Field::AsyncFor_iter), unassigned, out);
        break;
      case NodeKind::ExceptHandler:
        loads(t, t.node(s, Field::ExceptHandler_type), unassigned, out);
        break;
      case NodeKind::Match:
        loads(t, t.node(s, Field::Match_subject), unassigned, out);
        break;
      case NodeKind::Try:
      case NodeKind::TryStar:
        break;
      case NodeKind::AugAssign: {
        // x += 1 reads x first: its target counts as a read.
        NodeId target = t.node(s, Field::AugAssign_target);
        if (t.kind(target) == NodeKind::Name) {
          std::string name(t.ident(target, Field::Name_id));
          if (unassigned(name)) out.insert(target.index);
        }
        loads(t, s, unassigned, out);
        break;
      }
      default:
        // Simple statements and the headers of if/while/with (their blocks
        // are statements, skipped by loads()).
        loads(t, s, unassigned, out);
    }
  }
  return out;
}

}  // namespace xag::analysis
