#include "converter/analysis/cfg.h"

#include <algorithm>

namespace xag::analysis {

int Cfg::add(NodeId stmt) {
  nodes_.push_back(Node{stmt, {}, {}});
  int i = static_cast<int>(nodes_.size()) - 1;
  if (stmt.valid()) index_[stmt.index] = i;
  return i;
}

void Cfg::connect(int from, int to) {
  auto& s = nodes_[from].succ;
  if (std::find(s.begin(), s.end(), to) != s.end()) return;
  s.push_back(to);
  nodes_[to].pred.push_back(from);
}

std::string Cfg::name_of(const Tree& t, int i) const {
  if (i == 0) return "entry";
  if (i == 1) return "exit";
  const auto& p = t.pos(nodes_[i].stmt);
  return std::to_string(p.lineno) + ":" + std::to_string(p.col_offset);
}

std::string Cfg::describe(const Tree& t) const {
  std::vector<std::string> lines;
  for (size_t i = 0; i < nodes_.size(); ++i)
    for (int s : nodes_[i].succ)
      lines.push_back(name_of(t, static_cast<int>(i)) + " -> " + name_of(t, s));
  std::string r;
  for (const auto& l : lines) r += l + "\n";
  return r;
}

std::vector<int> Cfg::nodes_within(const Tree& t, NodeId stmt) const {
  std::vector<int> r;
  std::vector<NodeId> work{stmt};
  while (!work.empty()) {
    NodeId s = work.back();
    work.pop_back();
    int i = index_of(s);
    if (i >= 0) r.push_back(i);
    NodeKind k = t.kind(s);
    if (k == NodeKind::FunctionDef || k == NodeKind::AsyncFunctionDef || k == NodeKind::ClassDef)
      continue;
    if (k == NodeKind::For || k == NodeKind::AsyncFor) {
      int target =
          index_of(t.node(s, k == NodeKind::For ? Field::For_target : Field::AsyncFor_target));
      if (target >= 0) r.push_back(target);
    }
    for (Field f : stmt_blocks(k))
      for (NodeId c : t.list(s, f)) work.push_back(c);
    if (k == NodeKind::Try || k == NodeKind::TryStar)
      for (NodeId h : t.list(s, k == NodeKind::Try ? Field::Try_handlers : Field::TryStar_handlers))
        work.push_back(h);
    if (k == NodeKind::ExceptHandler)
      for (NodeId c : t.list(s, Field::ExceptHandler_body)) work.push_back(c);
    if (k == NodeKind::Match)
      for (NodeId c : t.list(s, Field::Match_cases))
        for (NodeId b : t.list(c, Field::match_case_body)) work.push_back(b);
  }
  std::sort(r.begin(), r.end());
  return r;
}

namespace {

using Frontier = std::vector<int>;  // nodes whose next statement is not yet known

class Builder {
 public:
  Builder(const Tree& t, Cfg& g) : t_(t), g_(g) {}

  Frontier block(ast::Span<NodeId> stmts, Frontier in) {
    for (NodeId s : stmts) in = stmt(s, std::move(in));
    return in;
  }

 private:
  struct Loop {
    int header;
    Frontier breaks;
    size_t try_depth;  // finally blocks between here and the loop don't matter for targets
  };
  struct TryCtx {
    std::vector<int> handlers;  // handler nodes, or the finally entry
    Frontier* finally_in;       // jumps out (return) collect here when there is a finally
  };

  void link(const Frontier& from, int to) {
    for (int f : from) g_.connect(f, to);
  }
  int node(NodeId s, const Frontier& in) {
    int n = g_.add(s);
    link(in, n);
    // Anything in a try body may raise into the handlers.
    if (!tries_.empty())
      for (int h : tries_.back().handlers) g_.connect(n, h);
    return n;
  }
  void to_exit(int from) {
    // A return inside try/finally runs the finally first.
    for (auto it = tries_.rbegin(); it != tries_.rend(); ++it)
      if (it->finally_in) {
        it->finally_in->push_back(from);
        return;
      }
    g_.connect(from, g_.exit());
  }

  Frontier stmt(NodeId s, Frontier in) {
    NodeKind k = t_.kind(s);
    switch (k) {
      case NodeKind::If: {
        int n = node(s, in);
        Frontier out = block(t_.list(s, Field::If_body), {n});
        auto orelse = t_.list(s, Field::If_orelse);
        Frontier e = block(orelse, {n});
        out.insert(out.end(), e.begin(), e.end());
        return out;
      }
      case NodeKind::While:
      case NodeKind::For:
      case NodeKind::AsyncFor: {
        int n = node(s, in);
        // A for loop binds its target only on the way into the body: the
        // target expression gets a node of its own between header and body.
        int entry = n;
        if (k != NodeKind::While) {
          entry =
              g_.add(t_.node(s, k == NodeKind::For ? Field::For_target : Field::AsyncFor_target));
          g_.connect(n, entry);
        }
        Field body = k == NodeKind::While ? Field::While_body
                     : k == NodeKind::For ? Field::For_body
                                          : Field::AsyncFor_body;
        Field orelse = k == NodeKind::While ? Field::While_orelse
                       : k == NodeKind::For ? Field::For_orelse
                                            : Field::AsyncFor_orelse;
        loops_.push_back(Loop{n, {}, tries_.size()});
        Frontier end = block(t_.list(s, body), {entry});
        link(end, n);
        Frontier breaks = std::move(loops_.back().breaks);
        loops_.pop_back();
        Frontier out = block(t_.list(s, orelse), {n});
        out.insert(out.end(), breaks.begin(), breaks.end());
        return out;
      }
      case NodeKind::With:
      case NodeKind::AsyncWith: {
        int n = node(s, in);
        return block(t_.list(s, k == NodeKind::With ? Field::With_body : Field::AsyncWith_body),
                     {n});
      }
      case NodeKind::Try:
      case NodeKind::TryStar:
        return try_stmt(s, std::move(in));
      case NodeKind::Match: {
        int n = node(s, in);
        Frontier out;
        bool irrefutable = false;
        for (NodeId c : t_.list(s, Field::Match_cases)) {
          Frontier e = block(t_.list(c, Field::match_case_body), {n});
          out.insert(out.end(), e.begin(), e.end());
          NodeId p = t_.node(c, Field::match_case_pattern);
          if (t_.kind(p) == NodeKind::MatchAs && !t_.node(p, Field::MatchAs_pattern) &&
              !t_.node(c, Field::match_case_guard))
            irrefutable = true;
        }
        if (!irrefutable) out.push_back(n);
        return out;
      }
      case NodeKind::Break: {
        int n = node(s, in);
        if (!loops_.empty()) loops_.back().breaks.push_back(n);
        return {};
      }
      case NodeKind::Continue: {
        int n = node(s, in);
        if (!loops_.empty()) g_.connect(n, loops_.back().header);
        return {};
      }
      case NodeKind::Return: {
        int n = node(s, in);
        to_exit(n);
        return {};
      }
      case NodeKind::Raise: {
        int n = node(s, in);
        if (tries_.empty()) g_.connect(n, g_.exit());
        return {};
      }
      default:
        return {node(s, in)};
    }
  }

  Frontier try_stmt(NodeId s, Frontier in) {
    bool star = t_.kind(s) == NodeKind::TryStar;
    int n = node(s, in);
    auto handlers = t_.list(s, star ? Field::TryStar_handlers : Field::Try_handlers);
    auto finalbody = t_.list(s, star ? Field::TryStar_finalbody : Field::Try_finalbody);
    std::vector<int> hnodes;
    for (NodeId h : handlers) hnodes.push_back(g_.add(h));
    // An exception in the first statement reaches a handler with none of the
    // body's effects; later ones from the statements' own nodes (below).
    for (int h : hnodes) g_.connect(n, h);
    Frontier finally_in;  // what flows into the finally block
    TryCtx ctx{hnodes, finalbody.empty() ? nullptr : &finally_in};
    tries_.push_back(ctx);
    Frontier body_end = block(t_.list(s, star ? Field::TryStar_body : Field::Try_body), {n});
    tries_.pop_back();
    Frontier out = block(t_.list(s, star ? Field::TryStar_orelse : Field::Try_orelse), body_end);
    // Handlers run outside this try's own handlers, but inside its finally.
    TryCtx outer{{}, finalbody.empty() ? nullptr : &finally_in};
    if (!finalbody.empty()) tries_.push_back(outer);
    for (size_t i = 0; i < hnodes.size(); ++i) {
      Frontier e = block(t_.list(handlers[i], Field::ExceptHandler_body), {hnodes[i]});
      out.insert(out.end(), e.begin(), e.end());
    }
    if (!finalbody.empty()) tries_.pop_back();
    if (finalbody.empty()) return out;
    // Normal completion and jumps (returns) both run the finally block; after
    // it, control continues normally or leaves to the exit.
    Frontier fin_in = out;
    fin_in.insert(fin_in.end(), finally_in.begin(), finally_in.end());
    fin_in.push_back(n);  // an exception raised anywhere in the try body, modelled from its entry
    Frontier fin_out = block(finalbody, fin_in);
    if (!finally_in.empty())
      for (int f : fin_out) to_exit(f);
    return fin_out;
  }

  const Tree& t_;
  Cfg& g_;
  std::vector<Loop> loops_;
  std::vector<TryCtx> tries_;
};

}  // namespace

Cfg build_cfg(const Tree& t, NodeId fn) {
  Cfg g;
  g.add(NodeId{});  // entry
  g.add(NodeId{});  // exit
  Builder b(t, g);
  Frontier end = b.block(t.list(fn, function_body_field(t.kind(fn))), {g.entry()});
  for (int f : end) g.connect(f, g.exit());
  return g;
}

}  // namespace xag::analysis
