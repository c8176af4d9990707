// Scope analysis: for every function, lambda, comprehension and class, which
// names are parameters, locals, declared global/nonlocal, free (resolved in
// an enclosing function) or implicitly global — Python's symtable rules.
#pragma once

#include <unordered_map>
#include <vector>

#include "converter/analysis/ast_util.h"
#include "converter/analysis/name_set.h"

namespace xag::analysis {

enum class ScopeKind { Module, Function, Lambda, Comprehension, Class };

struct ScopeInfo {
  ScopeKind kind = ScopeKind::Module;
  NodeId node;                   // Module, FunctionDef, Lambda, ListComp..., ClassDef
  NodeId parent;                 // enclosing scope's node; none for the module
  std::vector<NodeId> children;  // directly nested scopes, in source order
  NameSet params;
  NameSet locals;            // bound here (params included), not declared global/nonlocal
  NameSet globals;           // `global` declarations
  NameSet nonlocals;         // `nonlocal` declarations
  NameSet free;              // used here, bound in an enclosing function (closure cells)
  NameSet implicit_globals;  // used here, bound in no enclosing function
  NameSet used;              // every simple name read or written here
};

class ScopeTable {
 public:
  const ScopeInfo& at(NodeId scope) const { return scopes_.at(scope.index); }
  const ScopeInfo* find(NodeId scope) const {
    auto it = scopes_.find(scope.index);
    return it == scopes_.end() ? nullptr : &it->second;
  }
  ScopeInfo& add(NodeId n) { return scopes_[n.index]; }
  // Which of the names used in `scope` come from where, as Python would say:
  // "local", "global", "nonlocal", "free" or "" when unused.
  std::string classify(NodeId scope, const std::string& name) const;

 private:
  std::unordered_map<uint32_t, ScopeInfo> scopes_;
};

// Analyzes root (a Module, or any scope node) and every scope nested in it.
ScopeTable analyze_scopes(const Tree& t, NodeId root);

}  // namespace xag::analysis
